"""Basic value types of the SDK (python-sdk.md §2): sized integers, ``bigint``, ``Address``, ``Lazy``."""

from __future__ import annotations

import base64
import typing
from typing import Callable, Generic, NewType, TypeVar

from .keccak import Keccak256

T = TypeVar('T')

bigint = NewType('bigint', int)

# Every multiple of 8 up to 256 (python-sdk.md §2.1): plain NewTypes, no range check until written to storage.
u8 = NewType('u8', int)
u16 = NewType('u16', int)
u24 = NewType('u24', int)
u32 = NewType('u32', int)
u40 = NewType('u40', int)
u48 = NewType('u48', int)
u56 = NewType('u56', int)
u64 = NewType('u64', int)
u72 = NewType('u72', int)
u80 = NewType('u80', int)
u88 = NewType('u88', int)
u96 = NewType('u96', int)
u104 = NewType('u104', int)
u112 = NewType('u112', int)
u120 = NewType('u120', int)
u128 = NewType('u128', int)
u136 = NewType('u136', int)
u144 = NewType('u144', int)
u152 = NewType('u152', int)
u160 = NewType('u160', int)
u168 = NewType('u168', int)
u176 = NewType('u176', int)
u184 = NewType('u184', int)
u192 = NewType('u192', int)
u200 = NewType('u200', int)
u208 = NewType('u208', int)
u216 = NewType('u216', int)
u224 = NewType('u224', int)
u232 = NewType('u232', int)
u240 = NewType('u240', int)
u248 = NewType('u248', int)
u256 = NewType('u256', int)
i8 = NewType('i8', int)
i16 = NewType('i16', int)
i24 = NewType('i24', int)
i32 = NewType('i32', int)
i40 = NewType('i40', int)
i48 = NewType('i48', int)
i56 = NewType('i56', int)
i64 = NewType('i64', int)
i72 = NewType('i72', int)
i80 = NewType('i80', int)
i88 = NewType('i88', int)
i96 = NewType('i96', int)
i104 = NewType('i104', int)
i112 = NewType('i112', int)
i120 = NewType('i120', int)
i128 = NewType('i128', int)
i136 = NewType('i136', int)
i144 = NewType('i144', int)
i152 = NewType('i152', int)
i160 = NewType('i160', int)
i168 = NewType('i168', int)
i176 = NewType('i176', int)
i184 = NewType('i184', int)
i192 = NewType('i192', int)
i200 = NewType('i200', int)
i208 = NewType('i208', int)
i216 = NewType('i216', int)
i224 = NewType('i224', int)
i232 = NewType('i232', int)
i240 = NewType('i240', int)
i248 = NewType('i248', int)
i256 = NewType('i256', int)

#: NewType → (byte size, signed) for every sized integer; the storage layer and the schema use it.
SIZED_INTS: dict[object, tuple[int, bool]] = {}
for _bits in range(8, 257, 8):
    SIZED_INTS[globals()[f'u{_bits}']] = (_bits // 8, False)
    SIZED_INTS[globals()[f'i{_bits}']] = (_bits // 8, True)
del _bits


class Address:
    """A 20-byte account address (python-sdk.md §2.2)."""

    SIZE = 20
    __slots__ = ('_bytes', '_hex')

    def __init__(self, val: str | bytes | bytearray | memoryview | Address) -> None:
        if isinstance(val, Address):
            raw = val._bytes
        elif isinstance(val, str):
            if len(val) == 2 + 2 * Address.SIZE and val.startswith('0x'):
                raw = bytes.fromhex(val[2:])
            elif len(val) > Address.SIZE:
                raw = base64.b64decode(val)
            else:
                raw = b''
        else:
            raw = bytes(val)
        if len(raw) != Address.SIZE:
            raise Exception(f'invalid address {val!r}')
        self._bytes = raw
        self._hex: str | None = None

    @property
    def as_bytes(self) -> bytes:
        """The 20 raw bytes."""
        return self._bytes

    @property
    def as_hex(self) -> str:
        """EIP-55 checksummed hex with ``0x`` prefix."""
        if self._hex is None:
            plain = self._bytes.hex()
            digest = Keccak256(plain.encode('ascii')).digest()
            chars = []
            for i, ch in enumerate(plain):
                nibble = (digest[i // 2] >> (4 if i % 2 == 0 else 0)) & 0xF
                chars.append(ch.upper() if ch.isalpha() and nibble >= 8 else ch)
            self._hex = '0x' + ''.join(chars)
        return self._hex

    @property
    def as_b64(self) -> str:
        """Standard base64 with padding."""
        return base64.b64encode(self._bytes).decode('ascii')

    @property
    def as_int(self) -> int:
        """Unsigned little-endian interpretation of the bytes."""
        return int.from_bytes(self._bytes, 'little')

    def __str__(self) -> str:
        return self.as_hex

    def __repr__(self) -> str:
        return f'Address("{self.as_hex}")'

    def __format__(self, spec: str) -> str:
        if spec == '':
            return repr(self)
        if spec == 's':
            return str(self)
        if spec == 'x':
            return self.as_hex
        if spec == 'b64':
            return self.as_b64
        if spec == 'cd':
            return 'addr#' + self._bytes.hex()
        raise TypeError(f'unsupported format spec {spec!r} for Address')

    def __hash__(self) -> int:
        return hash(self._bytes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Address) and self._bytes == other._bytes

    def __lt__(self, other: Address) -> bool:
        assert isinstance(other, Address)
        return self._bytes < other._bytes

    def __le__(self, other: Address) -> bool:
        assert isinstance(other, Address)
        return self._bytes <= other._bytes

    def __gt__(self, other: Address) -> bool:
        assert isinstance(other, Address)
        return self._bytes > other._bytes

    def __ge__(self, other: Address) -> bool:
        assert isinstance(other, Address)
        return self._bytes >= other._bytes

    def __reduce__(self) -> tuple[type[Address], tuple[bytes]]:
        return (Address, (self._bytes,))


class Lazy(Generic[T]):
    """A value computed once on the first ``get()``; a raised exception is cached and re-raised (§2.3)."""

    __slots__ = ('_fn', '_done', '_value', '_error')

    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn: Callable[[], T] | None = fn
        self._done = False
        self._value: T | None = None
        self._error: BaseException | None = None

    def get(self) -> T:
        if not self._done:
            fn = self._fn
            self._fn = None
            self._done = True
            assert fn is not None
            try:
                self._value = fn()
            except BaseException as e:
                self._error = e
        if self._error is not None:
            raise self._error
        return typing.cast(T, self._value)


S = TypeVar('S')


@typing.runtime_checkable
class SizedArray(typing.Protocol[T, S]):  # type: ignore[misc]
    """Typing-only fixed-size sequence protocol (EVM fixed arrays, §2.5)."""

    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> T: ...
    def __iter__(self) -> typing.Iterator[T]: ...


__all__ = (
    ['Address', 'Lazy', 'Keccak256', 'bigint', 'SizedArray']
    + [f'u{b}' for b in range(8, 257, 8)]
    + [f'i{b}' for b in range(8, 257, 8)]
)
