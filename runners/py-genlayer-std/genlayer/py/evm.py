"""Solidity ABI v2 codec for EVM ("ghost") contracts (python-sdk.md §15): selectors, head/tail encoding, decoding."""

from __future__ import annotations

import collections.abc
import typing

from .keccak import Keccak256
from .types import SIZED_INTS, Address, SizedArray

__all__ = (
    'InplaceTuple',
    'encode',
    'decode',
    'selector_of',
    'signature_of',
    'type_name_of',
    'MethodEncoder',
    *[f'bytes{n}' for n in range(1, 33)],
)

# bytes1..bytes32: NewTypes of bytes, fixed-size ABI byte strings.
_FIXED_BYTES: dict[object, int] = {}
for _n in range(1, 33):
    globals()[f'bytes{_n}'] = _nt = typing.NewType(f'bytes{_n}', bytes)
    _FIXED_BYTES[_nt] = _n
del _n, _nt


class InplaceTuple:
    """Marker: ``tuple[InplaceTuple, A, B]`` is an argument list (encoded as the elements of a tuple)."""


def _array_length(tp: typing.Any) -> int | None:
    from .storage import Array

    origin = typing.get_origin(tp)
    if origin in (Array, SizedArray):
        arg = typing.get_args(tp)[1]
        (n,) = typing.get_args(arg) if typing.get_origin(arg) is typing.Literal else (arg,)
        return int(n)
    return None


def _elements(tp: typing.Any) -> list[typing.Any] | None:
    """Element types of a tuple annotation, or None."""
    if typing.get_origin(tp) is tuple:
        args = list(typing.get_args(tp))
        if args and args[0] is InplaceTuple:
            args = args[1:]
        return args
    return None


def type_name_of(tp: typing.Any) -> str:
    """The canonical ABI type name (``uint256``, ``address``, ``(uint8,string)``, ``bytes32[]``...)."""
    if tp in SIZED_INTS:
        size, signed = SIZED_INTS[tp]
        return f'{"int" if signed else "uint"}{size * 8}'
    if tp in _FIXED_BYTES:
        return f'bytes{_FIXED_BYTES[tp]}'
    if tp is bool:
        return 'bool'
    if tp is Address:
        return 'address'
    if tp is str:
        return 'string'
    if tp is bytes:
        return 'bytes'
    elems = _elements(tp)
    if elems is not None:
        return '(' + ','.join(type_name_of(e) for e in elems) + ')'
    n = _array_length(tp)
    if n is not None:
        return f'{type_name_of(typing.get_args(tp)[0])}[{n}]'
    origin = typing.get_origin(tp)
    if origin is list or (isinstance(origin, type) and issubclass(origin, collections.abc.Sequence)):
        return f'{type_name_of(typing.get_args(tp)[0])}[]'
    raise TypeError(f'type is not ABI-encodable: {tp!r}')


def signature_of(name: str, params: typing.Sequence[typing.Any]) -> str:
    return name + '(' + ','.join(type_name_of(p) for p in params) + ')'


def selector_of(name: str, params: typing.Sequence[typing.Any]) -> bytes:
    return Keccak256(signature_of(name, params).encode('ascii')).digest()[:4]


def _is_dynamic(tp: typing.Any) -> bool:
    if tp is str or tp is bytes:
        return True
    elems = _elements(tp)
    if elems is not None:
        return any(_is_dynamic(e) for e in elems)
    n = _array_length(tp)
    if n is not None:
        return _is_dynamic(typing.get_args(tp)[0])
    if tp in SIZED_INTS or tp in _FIXED_BYTES or tp is bool or tp is Address:
        return False
    return True  # T[]


def _word(value: int, signed: bool = False) -> bytes:
    return value.to_bytes(32, 'big', signed=signed)


def _encode_seq(types: list[typing.Any], values: typing.Sequence[typing.Any]) -> bytes:
    if len(types) != len(values):
        raise ValueError(f'expected {len(types)} values, got {len(values)}')
    heads: list[bytes | None] = []
    tails: list[bytes] = []
    for tp, v in zip(types, values):
        enc = _encode_one(tp, v)
        if _is_dynamic(tp):
            heads.append(None)
            tails.append(enc)
        else:
            heads.append(enc)
            tails.append(b'')
    head_size = sum(32 if h is None else len(h) for h in heads)
    out = bytearray()
    offset = head_size
    for h, t in zip(heads, tails):
        if h is None:
            out += _word(offset)
            offset += len(t)
        else:
            out += h
    for t in tails:
        out += t
    return bytes(out)


def _pad(data: bytes) -> bytes:
    return data + bytes(-len(data) % 32)


def _encode_one(tp: typing.Any, v: typing.Any) -> bytes:
    if tp in SIZED_INTS:
        size, signed = SIZED_INTS[tp]
        v = int(v)
        if signed:
            if not -(1 << (size * 8 - 1)) <= v < (1 << (size * 8 - 1)):
                raise OverflowError(f'{v} does not fit in int{size * 8}')
            return _word(v, True)
        if not 0 <= v < (1 << (size * 8)):
            raise OverflowError(f'{v} does not fit in uint{size * 8}')
        return _word(v)
    if tp in _FIXED_BYTES:
        data = bytes(v)
        if len(data) != _FIXED_BYTES[tp]:
            raise ValueError(f'expected {_FIXED_BYTES[tp]} bytes, got {len(data)}')
        return _pad(data)
    if tp is bool:
        return _word(1 if v else 0)
    if tp is Address:
        return bytes(12) + Address(v).as_bytes
    if tp is str:
        data = v.encode('utf-8')
        return _word(len(data)) + _pad(data)
    if tp is bytes:
        data = bytes(v)
        return _word(len(data)) + _pad(data)
    elems = _elements(tp)
    if elems is not None:
        return _encode_seq(elems, list(v))
    n = _array_length(tp)
    item = typing.get_args(tp)[0]
    values = list(v)
    if n is not None:
        return _encode_seq([item] * n, values)
    return _word(len(values)) + _encode_seq([item] * len(values), values)


def encode(tp: typing.Any, value: typing.Any) -> bytes:
    """Encodes ``value`` as ABI type ``tp`` (an argument list when ``tp`` is ``tuple[InplaceTuple, ...]``)."""
    return _encode_one(tp, value)


def _read_word(data: bytes, pos: int) -> int:
    if pos + 32 > len(data):
        raise ValueError('ABI data too short')
    return int.from_bytes(data[pos : pos + 32], 'big')


def _decode_seq(types: list[typing.Any], data: bytes, base: int) -> list[typing.Any]:
    out: list[typing.Any] = []
    pos = base
    for tp in types:
        if _is_dynamic(tp):
            out.append(_decode_one(tp, data, base + _read_word(data, pos)))
            pos += 32
        else:
            out.append(_decode_one(tp, data, pos))
            pos += _static_size(tp)
    return out


def _static_size(tp: typing.Any) -> int:
    elems = _elements(tp)
    if elems is not None:
        return sum(_static_size(e) for e in elems)
    n = _array_length(tp)
    if n is not None:
        return n * _static_size(typing.get_args(tp)[0])
    return 32


def _decode_one(tp: typing.Any, data: bytes, pos: int) -> typing.Any:
    if tp in SIZED_INTS:
        size, signed = SIZED_INTS[tp]
        raw = _read_word(data, pos)
        if signed and raw >= 1 << 255:
            raw -= 1 << 256
        return raw
    if tp in _FIXED_BYTES:
        return data[pos : pos + _FIXED_BYTES[tp]]
    if tp is bool:
        return _read_word(data, pos) != 0
    if tp is Address:
        return Address(data[pos + 12 : pos + 32])
    if tp is str or tp is bytes:
        n = _read_word(data, pos)
        raw = data[pos + 32 : pos + 32 + n]
        if len(raw) != n:
            raise ValueError('ABI data too short')
        return raw.decode('utf-8') if tp is str else raw
    elems = _elements(tp)
    if elems is not None:
        return tuple(_decode_seq(elems, data, pos))
    n = _array_length(tp)
    item = typing.get_args(tp)[0]
    if n is not None:
        return _decode_seq([item] * n, data, pos)
    count = _read_word(data, pos)
    return _decode_seq([item] * count, data, pos + 32)


def decode(tp: typing.Any, data: bytes) -> typing.Any:
    """Decodes ABI ``data`` of type ``tp``."""
    return _decode_one(tp, bytes(data), 0)


class MethodEncoder:
    """Selector + argument encoding of one method, and decoding of its single return value."""

    def __init__(self, name: str, params: typing.Sequence[typing.Any], ret: typing.Any) -> None:
        self.name = name
        self.params = list(params)
        self.ret = ret
        self.selector = selector_of(name, self.params)

    def encode_call(self, args: typing.Sequence[typing.Any]) -> bytes:
        return self.selector + _encode_seq(self.params, list(args))

    def decode_ret(self, data: bytes) -> typing.Any:
        if self.ret is None or self.ret is type(None):
            return None
        return _decode_seq([self.ret], bytes(data), 0)[0]
