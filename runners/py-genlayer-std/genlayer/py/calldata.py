"""The calldata codec (python-sdk.md §3, calldata.md): a ULEB128 header ``h``, type ``h & 7``, payload ``h >> 3``."""

from __future__ import annotations

import abc
import collections.abc
import dataclasses
import json
import typing

from .types import Address

__all__ = ('encode', 'decode', 'to_str', 'DecodingError', 'CalldataEncodable', 'EncodableWithDefault')

# Type tags (calldata.md §3).
_SPECIAL = 0
_PINT = 1
_NINT = 2
_BYTES = 3
_STR = 4
_ARR = 5
_MAP = 6

# Payloads of the special tag (calldata.md §3.1).
_NULL = 0
_FALSE = 1
_TRUE = 2
_ADDR = 3


class DecodingError(ValueError):
    """The input is not one canonical calldata value."""


class CalldataEncodable(abc.ABC):
    """Objects that encode as the value their ``__to_calldata__`` returns (§3.2 step 2)."""

    @abc.abstractmethod
    def __to_calldata__(self) -> typing.Any: ...


EncodableWithDefault = typing.Any


def _default(value: typing.Any) -> typing.Any:
    # §3.2 step 1: a dataclass instance becomes the dict of its fields (read through storage for views).
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    return value


def _uleb(out: bytearray, n: int) -> None:
    while True:
        low = n & 0x7F
        n >>= 7
        if n:
            out.append(low | 0x80)
        else:
            out.append(low)
            return


def encode(value: typing.Any, *, default: typing.Callable[[typing.Any], typing.Any] = _default) -> bytes:
    """Encodes ``value``; the order of checks is the one of python-sdk.md §3.2 (it decides the bytes)."""
    out = bytearray()

    def put(v: typing.Any) -> None:
        v = default(v)
        if isinstance(v, CalldataEncodable):
            v = v.__to_calldata__()
        if v is None:
            out.append(_NULL << 3 | _SPECIAL)
        elif v is True:
            out.append(_TRUE << 3 | _SPECIAL)
        elif v is False:
            out.append(_FALSE << 3 | _SPECIAL)
        elif isinstance(v, int):
            if v >= 0:
                _uleb(out, v << 3 | _PINT)
            else:
                _uleb(out, (-v - 1) << 3 | _NINT)
        elif isinstance(v, Address):
            out.append(_ADDR << 3 | _SPECIAL)
            out.extend(v.as_bytes)
        elif isinstance(v, (bytes, bytearray)):
            _uleb(out, len(v) << 3 | _BYTES)
            out.extend(v)
        elif isinstance(v, memoryview):
            # QUIRK (python-sdk.md §3.2 step 7, §21.2): raw bytes without a header, as the reference does.
            out.extend(v)
        elif isinstance(v, str):
            data = v.encode('utf-8')
            _uleb(out, len(data) << 3 | _STR)
            out.extend(data)
        elif isinstance(v, collections.abc.Sequence):
            _uleb(out, len(v) << 3 | _ARR)
            for item in v:
                put(item)
        elif isinstance(v, collections.abc.Mapping):
            keys = list(v.keys())
            for k in keys:
                if not isinstance(k, str):
                    raise TypeError(f'key is not string {k!r}')
            # Python str order is code point order, which equals UTF-8 byte order (calldata.md §5).
            keys.sort()
            _uleb(out, len(keys) << 3 | _MAP)
            for k in keys:
                data = k.encode('utf-8')
                _uleb(out, len(data))
                out.extend(data)
                put(v[k])
        else:
            raise TypeError(f'not calldata encodable {v!r}: {type(v)}')

    put(value)
    return bytes(out)


def decode(
    data: bytes | bytearray | memoryview,
    *,
    memview2bytes: typing.Callable[[memoryview], typing.Any] = bytes,
) -> typing.Any:
    """Decodes exactly one canonical value (§3.3); anything else raises :class:`DecodingError`."""
    mem = memoryview(data)
    pos = 0

    def uleb() -> int:
        nonlocal pos
        result = 0
        shift = 0
        first = True
        while True:
            if pos >= len(mem):
                raise DecodingError('unterminated uleb')
            b = mem[pos]
            pos += 1
            if b & 0x80 == 0 and b == 0 and not first:
                raise DecodingError('most significant octet can not be zero')
            result |= (b & 0x7F) << shift
            shift += 7
            first = False
            if b & 0x80 == 0:
                return result

    def take(n: int) -> memoryview:
        nonlocal pos
        if n > len(mem) - pos:
            raise DecodingError('invalid size')
        part = mem[pos : pos + n]
        pos += n
        return part

    def text(n: int) -> str:
        try:
            return str(take(n), 'utf-8')
        except UnicodeDecodeError as e:
            raise DecodingError(str(e)) from e

    def get() -> typing.Any:
        h = uleb()
        tag = h & 7
        p = h >> 3
        if tag == _SPECIAL:
            if p == _NULL:
                return None
            if p == _FALSE:
                return False
            if p == _TRUE:
                return True
            if p == _ADDR:
                return Address(bytes(take(Address.SIZE)))
            raise DecodingError(f'Unknown special {p}')
        if tag == _PINT:
            return p
        if tag == _NINT:
            return -p - 1
        if tag == _BYTES:
            return memview2bytes(take(p))
        if tag == _STR:
            return text(p)
        if tag == _ARR:
            return [get() for _ in range(p)]
        if tag == _MAP:
            result: dict[str, typing.Any] = {}
            prev: str | None = None
            for _ in range(p):
                key = text(uleb())
                if prev is not None and not prev < key:
                    raise DecodingError(f'unordered calldata keys: {prev!r} >= {key!r}')
                prev = key
                result[key] = get()
            return result
        raise DecodingError(f'invalid type {tag}')

    value = get()
    if pos != len(mem):
        raise DecodingError(f'unparsed end {bytes(mem[pos:])!r}')
    return value


def to_str(value: typing.Any) -> str:
    """A JSON-like debug rendering (calldata.md §9.3): ``b#<hex>``, ``addr#<hex>``, ``null/true/false``."""
    parts: list[str] = []

    def put(v: typing.Any) -> None:
        v = _default(v)
        if isinstance(v, CalldataEncodable):
            v = v.__to_calldata__()
        if v is None:
            parts.append('null')
        elif v is True:
            parts.append('true')
        elif v is False:
            parts.append('false')
        elif isinstance(v, int):
            parts.append(str(v))
        elif isinstance(v, Address):
            parts.append('addr#' + v.as_bytes.hex())
        elif isinstance(v, (bytes, bytearray, memoryview)):
            parts.append('b#' + bytes(v).hex())
        elif isinstance(v, str):
            parts.append(json.dumps(v))
        elif isinstance(v, collections.abc.Sequence):
            parts.append('[')
            for i, item in enumerate(v):
                if i:
                    parts.append(',')
                put(item)
            parts.append(']')
        elif isinstance(v, collections.abc.Mapping):
            parts.append('{')
            for i, k in enumerate(sorted(v.keys())):
                if i:
                    parts.append(',')
                parts.append(json.dumps(k))
                parts.append(':')
                put(v[k])
            parts.append('}')
        else:
            raise TypeError(f'not calldata encodable {v!r}: {type(v)}')

    put(value)
    return ''.join(parts)
