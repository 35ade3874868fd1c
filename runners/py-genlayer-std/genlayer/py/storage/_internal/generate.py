"""Storage layout generation from type annotations (python-sdk.md §17.3, §17.5, §17.6)."""

from __future__ import annotations

import datetime
import typing

from ...types import SIZED_INTS, Address, bigint
from .array import Array, ArrayDesc
from .core import (
    ROOT_SLOT_ID,
    AddressDesc,
    BigIntDesc,
    BoolDesc,
    BytesDesc,
    CopyAction,
    DatetimeDesc,
    FloatDesc,
    InmemManager,
    IntDesc,
    NoneDesc,
    Slot,
    StrDesc,
    TypeDesc,
    merge_actions,
    run_copy,
)
from .dynarray import DynArray, DynArrayDesc
from .treemap import TreeMap, TreeMapDesc, first_desc
from .vla import VLA, Indirection, IndirectionDesc, VLADesc

__all__ = ('generate_storage', 'allow_storage', 'RecordDesc', 'inmem_allocate', 'copy_to_memory', 'is_storage_class')

_SCALARS: dict[object, TypeDesc] = {
    bool: BoolDesc(),
    bigint: BigIntDesc(),
    str: StrDesc(),
    bytes: BytesDesc(),
    float: FloatDesc(),
    Address: AddressDesc(),
    datetime.datetime: DatetimeDesc(),
    None: NoneDesc(),
    type(None): NoneDesc(),
}
for _tp, (_size, _signed) in SIZED_INTS.items():
    _SCALARS[_tp] = IntDesc(_size, _signed)

# One descriptor per (substituted) annotation, so equal annotations share the descriptor object: assignments
# between views compare layouts by identity (§17.5, §17.7).
_cache: dict[typing.Any, TypeDesc] = {}


class _FieldProp:
    """Data descriptor installed on a record class for one persistent field."""

    __slots__ = ('desc', 'off', 'name')

    def __init__(self, name: str, desc: TypeDesc, off: int) -> None:
        self.name = name
        self.desc = desc
        self.off = off

    def __get__(self, obj: typing.Any, owner: type | None = None) -> typing.Any:
        if obj is None:
            return self
        return self.desc.get(obj._gl_slot, obj._gl_off + self.off)

    def __set__(self, obj: typing.Any, value: typing.Any) -> None:
        self.desc.set(obj._gl_slot, obj._gl_off + self.off, value)


class RecordDesc(TypeDesc):
    """A record: members back to back in ``get_type_hints`` order, ``ClassVar`` skipped (§17.5)."""

    def __init__(self, view_cls: type, name: str) -> None:
        self.view_cls = view_cls
        self.name = name
        self.fields: list[tuple[str, TypeDesc, int]] = []
        self.size = 0
        self._actions: list[CopyAction] | None = None

    def get(self, slot: Slot, off: int) -> typing.Any:
        obj = object.__new__(self.view_cls)
        obj._gl_slot = slot
        obj._gl_off = off
        return obj

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        if getattr(type(value), '__gl_desc__', None) is not self or not hasattr(value, '_gl_slot'):
            raise AssertionError(f'Is right the same storage type? `{self.name}` <- `{type(value).__name__}`')
        run_copy(self.copy_actions(), value._gl_slot, value._gl_off, slot, off)

    def copy_actions(self) -> list[CopyAction]:
        if self._actions is None:
            self._actions = merge_actions(a.shifted(off) for _, desc, off in self.fields for a in desc.copy_actions())
        return self._actions


def is_storage_class(cls: object) -> bool:
    return isinstance(cls, type) and cls.__dict__.get('__gl_allow_storage__', False)


def _type_params(cls: type) -> tuple[typing.Any, ...]:
    params = getattr(cls, '__type_params__', ()) or getattr(cls, '__parameters__', ())
    return tuple(params)


def _new_slot() -> Slot:
    return InmemManager().get_store_slot(ROOT_SLOT_ID)


def allow_storage(cls: type) -> type:
    """Marks a class as storable; its layout is built lazily, when first needed (§17.6)."""
    cls.__gl_allow_storage__ = True  # type: ignore[attr-defined]
    generic = bool(_type_params(cls))

    def __new__(klass: type, *args: typing.Any, **kwargs: typing.Any) -> typing.Any:
        if generic or _type_params(klass):
            err = TypeError('generic storage classes can not be instantiated with __init__, please, use gl.storage.inmem_allocate')
            err.add_note(f'class: {klass.__qualname__}')
            raise err
        desc = generate_storage(klass)
        assert isinstance(desc, RecordDesc)
        # A fresh private in-memory store; the original __init__ then writes through the properties (§17.5).
        return desc.get(_new_slot(), 0)

    cls.__new__ = __new__  # type: ignore[method-assign,assignment]
    return cls


def _substitute(tp: typing.Any, subst: dict[typing.Any, typing.Any]) -> typing.Any:
    if isinstance(tp, typing.TypeVar):
        if tp not in subst:
            raise TypeError(f'unbound type variable {tp}')
        return subst[tp]
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is None or not args or origin is typing.Literal:
        return tp
    new_args = tuple(_substitute(a, subst) for a in args)
    if new_args == args:
        return tp
    return origin[new_args if len(new_args) > 1 else new_args[0]]


def _literal_int(tp: typing.Any) -> int:
    if typing.get_origin(tp) is typing.Literal:
        (n,) = typing.get_args(tp)
        return int(n)
    if isinstance(tp, int):
        return tp
    raise TypeError(f'expected Literal[int], got {tp!r}')


def _record_fields(cls: type, subst: dict[typing.Any, typing.Any]) -> list[tuple[str, typing.Any]]:
    hints = typing.get_type_hints(cls, include_extras=False)
    out: list[tuple[str, typing.Any]] = []
    for name, tp in hints.items():
        if tp is typing.ClassVar or typing.get_origin(tp) is typing.ClassVar:
            continue
        out.append((name, _substitute(tp, subst)))
    return out


def _build_record(key: typing.Any, cls: type, view_cls: type, subst: dict[typing.Any, typing.Any], name: str) -> RecordDesc:
    desc = RecordDesc(view_cls, name)
    _cache[key] = desc  # before the members: a record may refer to itself through a collection
    try:
        off = 0
        for field_name, tp in _record_fields(cls, subst):
            member = generate_storage(tp)
            desc.fields.append((field_name, member, off))
            off += member.size
        desc.size = off
    except BaseException:
        del _cache[key]
        raise
    for field_name, member, field_off in desc.fields:
        setattr(view_cls, field_name, _FieldProp(field_name, member, field_off))
    view_cls.__gl_desc__ = desc  # type: ignore[attr-defined]
    return desc


def generate_storage(tp: typing.Any) -> TypeDesc:
    """The descriptor of a storable annotation; raises TypeError/AssertionError for unstorable ones (§17.3)."""
    try:
        cached = _cache.get(tp)
    except TypeError:  # unhashable annotation
        cached = None
    if cached is not None:
        return cached
    scalar = _SCALARS.get(tp) if _hashable(tp) else None
    if scalar is not None:
        return scalar
    if tp is int:
        raise TypeError('use bigint or one of sized integers')
    if tp is list or typing.get_origin(tp) is list:
        raise AssertionError('use DynArray')
    if tp is dict or typing.get_origin(tp) is dict:
        raise AssertionError('use TreeMap')
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    desc: TypeDesc
    if origin is DynArray:
        desc = DynArrayDesc(generate_storage(args[0]))
    elif origin is Array:
        desc = ArrayDesc(generate_storage(args[0]), _literal_int(args[1]))
    elif origin is TreeMap:
        desc = TreeMapDesc(generate_storage(args[0]), generate_storage(args[1]))
        if not first_desc:
            first_desc.append(desc)
    elif origin is VLA:
        desc = VLADesc(generate_storage(args[0]))
    elif origin is Indirection:
        desc = IndirectionDesc(generate_storage(args[0]))
    elif origin is not None and is_storage_class(origin):
        params = _type_params(origin)
        if len(params) != len(args):
            raise TypeError(f'wrong number of type arguments for {origin.__qualname__}')
        subst = dict(zip(params, args))
        arg_names = ', '.join(getattr(a, '__name__', repr(a)) for a in args)
        name = f'{origin.__qualname__}[{arg_names}]'
        view_cls = type(name, (origin,), {'__module__': origin.__module__, '__qualname__': name})
        return _build_record(tp, origin, view_cls, subst, name)
    elif is_storage_class(tp):
        if _type_params(tp):
            raise TypeError(f'generic storage class {tp.__qualname__} needs type arguments')
        return _build_record(tp, tp, tp, {}, tp.__qualname__)
    else:
        raise TypeError(f'type is not storable: {tp!r} (use @allow_storage on classes)')
    _cache[tp] = desc
    return desc


def _hashable(tp: typing.Any) -> bool:
    try:
        hash(tp)
    except TypeError:
        return False
    return True


def inmem_allocate(tp: typing.Any, *args: typing.Any, **kwargs: typing.Any) -> typing.Any:
    """Allocates ``tp`` in a private in-memory store and runs its class's original ``__init__`` (§16)."""
    desc = generate_storage(tp)
    value = desc.get(_new_slot(), 0)
    if isinstance(desc, RecordDesc):
        type(value).__init__(value, *args, **kwargs)
    return value


def _desc_of_view(view: typing.Any) -> TypeDesc:
    desc = getattr(view, '_gl_desc', None) or getattr(type(view), '__gl_desc__', None)
    if desc is None:
        raise TypeError(f'not a storage view: {type(view)}')
    return typing.cast(TypeDesc, desc)


def copy_to_memory(view: typing.Any) -> typing.Any:
    """Deep copy of a storage view into a fresh in-memory store (§16, §17.12)."""
    desc = _desc_of_view(view)
    slot = _new_slot()
    run_copy(desc.copy_actions(), view._gl_slot, view._gl_off, slot, 0)
    return desc.get(slot, 0)
