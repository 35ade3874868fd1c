"""The ``#get-schema`` generator (python-sdk.md §7): compact JSON, keys in construction order."""

from __future__ import annotations

import collections.abc
import dataclasses
import inspect
import json
import types
import typing

from .types import Address

__all__ = ('get_schema', 'schema_of_type')


def _is_newtype(tp: typing.Any) -> bool:
    return hasattr(tp, '__supertype__') and callable(tp)


def schema_of_type(tp: typing.Any) -> typing.Any:
    """Maps one annotation to its schema value, in the order of checks of §7 (anything else raises)."""
    if tp is inspect.Parameter.empty or tp is inspect.Signature.empty:
        return 'any'
    if isinstance(tp, str):
        raise TypeError(f'string annotations are not supported: {tp!r}')
    if _is_newtype(tp):
        return schema_of_type(tp.__supertype__)
    if tp is None or tp is type(None):
        return 'null'
    if tp is bool:
        return 'bool'
    if tp is int:
        return 'int'
    if tp is str:
        return 'string'
    if tp is bytes:
        return 'bytes'
    if tp is Address:
        return 'address'
    if isinstance(tp, type) and (tp is list or issubclass(tp, collections.abc.Sequence)) and not dataclasses.is_dataclass(tp):
        return 'array'
    if isinstance(tp, type) and (tp is dict or issubclass(tp, collections.abc.Mapping)) and not dataclasses.is_dataclass(tp):
        return 'dict'
    if tp is typing.Any:
        return 'any'
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union or origin is types.UnionType:
        return {'$or': [schema_of_type(a) for a in args]}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return {name: schema_of_type(t) for name, t in typing.get_type_hints(tp).items()}
    if origin is typing.Literal:
        return 'any'
    if isinstance(origin, type) and issubclass(origin, collections.abc.Mapping):
        key, value = args
        assert key is str, f'only str keys are supported in schemas, got {key!r}'
        return {'$dict': schema_of_type(value)}
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return [{'$rep': schema_of_type(args[0])}]
        return [schema_of_type(a) for a in args]
    if isinstance(origin, type) and issubclass(origin, collections.abc.Sequence):
        (item,) = args[:1]
        return [{'$rep': schema_of_type(item)}]
    raise TypeError(f'type is not supported in schemas: {tp!r}')


def _params(fn: typing.Callable[..., typing.Any]) -> dict[str, typing.Any]:
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    if not params or params[0].name != 'self':
        raise TypeError(f'first parameter of {fn.__qualname__} must be self')
    positional: list[list[typing.Any]] = []
    keyword: dict[str, typing.Any] = {}
    for p in params[1:]:
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
            positional.append([p.name, schema_of_type(p.annotation)])
        elif p.kind == inspect.Parameter.KEYWORD_ONLY:
            name = '$' + p.name if p.name.startswith('$') else p.name
            keyword[name] = schema_of_type(p.annotation)
        else:
            raise TypeError(f'*args and **kwargs are not supported in public methods: {fn.__qualname__}')
    return {'params': positional, 'kwparams': keyword}


def get_schema(cls: type) -> str:
    """The schema JSON string of a contract class."""
    init = cls.__dict__.get('__init__')
    if not inspect.isfunction(init):
        raise TypeError('improper contract: define __init__ in the contract class')
    if getattr(init, '__gl_public__', False):
        raise TypeError('__init__ must be private')
    methods: dict[str, typing.Any] = {}
    for name, member in inspect.getmembers(cls):
        if not getattr(member, '__gl_public__', False) or not callable(member):
            continue
        if name == '__on_errored_message__':
            continue
        if name.startswith('__'):
            raise TypeError(f'public methods can not start with __: {name}')
        entry = _params(member)
        leader = getattr(member, '__gl_min_gas_leader__', None)
        validator = getattr(member, '__gl_min_gas_validator__', None)
        if leader:
            entry['min_gas_leader'] = leader
        if validator:
            entry['min_gas_validator'] = validator
        readonly = bool(getattr(member, '__gl_readonly__', False))
        entry['readonly'] = readonly
        entry['ret'] = schema_of_type(inspect.signature(member).return_annotation)
        if not readonly:
            entry['payable'] = bool(getattr(member, '__gl_payable__', False))
        methods[name] = entry
    schema = {'ctor': _params(init), 'methods': methods}
    return json.dumps(schema, separators=(',', ':'))
