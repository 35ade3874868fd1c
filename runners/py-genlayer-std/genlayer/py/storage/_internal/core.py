"""Slots, slot managers, type descriptors and copy actions (python-sdk.md §17.1-§17.4, §17.11).

A *descriptor* knows the in-place size of one storable type at a (slot, offset) position, how to read a Python value
(or a live view) from there, how to write one, and which *copy actions* copy it to another position. Composite
layouts place members back to back, with no padding, headers or tags (§17.2).
"""

from __future__ import annotations

import datetime
import hashlib
import struct
import time
import typing

from ...types import Address

__all__ = (
    'ROOT_SLOT_ID',
    'Slot',
    'Manager',
    'InmemManager',
    'WasiManager',
    'TypeDesc',
    'CopyAction',
    'CopyBytes',
    'run_copy',
    'merge_actions',
)

ROOT_SLOT_ID = bytes(32)


class Manager:
    """A store of slots: slot id (32 bytes) → linear byte memory, unwritten bytes read as zero (§17.1)."""

    def read(self, slot_id: bytes, off: int, n: int) -> bytes:
        raise NotImplementedError

    def write(self, slot_id: bytes, off: int, data: bytes | bytearray | memoryview) -> None:
        raise NotImplementedError

    def get_store_slot(self, slot_id: bytes) -> Slot:
        return Slot(slot_id, self)


class InmemManager(Manager):
    """A private in-memory store (dataclass constructors, ``inmem_allocate``, ``copy_to_memory``)."""

    def __init__(self) -> None:
        self.slots: dict[bytes, bytearray] = {}

    def read(self, slot_id: bytes, off: int, n: int) -> bytes:
        mem = self.slots.get(slot_id)
        if mem is None:
            return bytes(n)
        chunk = bytes(mem[off : off + n])
        return chunk + bytes(n - len(chunk))

    def write(self, slot_id: bytes, off: int, data: bytes | bytearray | memoryview) -> None:
        mem = self.slots.setdefault(slot_id, bytearray())
        end = off + len(data)
        if len(mem) < end:
            mem.extend(bytes(end - len(mem)))
        mem[off:end] = data


class WasiManager(Manager):
    """The contract's storage, reached through the builtin ``_genlayer_wasi`` module (§18.2)."""

    def read(self, slot_id: bytes, off: int, n: int) -> bytes:
        import _genlayer_wasi

        buf = bytearray(n)
        _genlayer_wasi.storage_read(slot_id, off, buf)
        return bytes(buf)

    def write(self, slot_id: bytes, off: int, data: bytes | bytearray | memoryview) -> None:
        import _genlayer_wasi

        _genlayer_wasi.storage_write(slot_id, off, data)


class Slot:
    """One slot of a manager (§16)."""

    __slots__ = ('id', 'manager', '_children')

    def __init__(self, slot_id: bytes, manager: Manager) -> None:
        self.id = slot_id
        self.manager = manager
        self._children: dict[int, Slot] | None = None

    def indirect(self, off: int) -> Slot:
        """``child(slot, off) = SHA3-256(slot_id ‖ u32le(off))`` (§17.1)."""
        children = self._children
        if children is None:
            children = self._children = {}
        child = children.get(off)
        if child is None:
            child_id = hashlib.sha3_256(self.id + off.to_bytes(4, 'little')).digest()
            child = children[off] = Slot(child_id, self.manager)
        return child

    def read(self, off: int, n: int) -> bytes:
        return self.manager.read(self.id, off, n)

    def write(self, off: int, data: bytes | bytearray | memoryview) -> None:
        self.manager.write(self.id, off, data)

    def as_int(self) -> int:
        return int.from_bytes(self.id, 'little')

    def __repr__(self) -> str:
        return f'Slot({self.id.hex()})'


def read_u32(slot: Slot, off: int) -> int:
    return int.from_bytes(slot.read(off, 4), 'little')


def write_u32(slot: Slot, off: int, value: int) -> None:
    slot.write(off, value.to_bytes(4, 'little'))


# ---------------------------------------------------------------------------------------------------------------
# Copy actions (§17.11)


class CopyAction:
    """Copies part of a value from (src, src_off) to (dst, dst_off); offsets inside are relative to the value."""

    def shifted(self, by: int) -> CopyAction:
        raise NotImplementedError

    def run(self, src: Slot, src_off: int, dst: Slot, dst_off: int) -> None:
        raise NotImplementedError


class CopyBytes(CopyAction):
    """A run of fixed bytes: one read, one write."""

    __slots__ = ('off', 'n')

    def __init__(self, off: int, n: int) -> None:
        self.off = off
        self.n = n

    def shifted(self, by: int) -> CopyAction:
        return CopyBytes(self.off + by, self.n)

    def run(self, src: Slot, src_off: int, dst: Slot, dst_off: int) -> None:
        dst.write(dst_off + self.off, src.read(src_off + self.off, self.n))


class CopyLengthPrefixed(CopyAction):
    """str/bytes/bigint: the u32le length word, then exactly ``length`` payload bytes between the child slots."""

    __slots__ = ('off',)

    def __init__(self, off: int) -> None:
        self.off = off

    def shifted(self, by: int) -> CopyAction:
        return CopyLengthPrefixed(self.off + by)

    def run(self, src: Slot, src_off: int, dst: Slot, dst_off: int) -> None:
        length = src.read(src_off + self.off, 4)
        dst.write(dst_off + self.off, length)
        n = int.from_bytes(length, 'little')
        payload = src.indirect(src_off + self.off).read(0, n)
        dst.indirect(dst_off + self.off).write(0, payload)


def merge_actions(actions: typing.Iterable[CopyAction]) -> list[CopyAction]:
    """Merges adjacent fixed byte runs into one read+write (§17.11); drops empty runs."""
    out: list[CopyAction] = []
    for a in actions:
        if isinstance(a, CopyBytes):
            if a.n == 0:
                continue
            last = out[-1] if out else None
            if isinstance(last, CopyBytes) and last.off + last.n == a.off:
                out[-1] = CopyBytes(last.off, last.n + a.n)
                continue
        out.append(a)
    return out


def run_copy(actions: list[CopyAction], src: Slot, src_off: int, dst: Slot, dst_off: int) -> None:
    if src.manager is dst.manager and src.id == dst.id and src_off == dst_off:
        return
    for a in actions:
        a.run(src, src_off, dst, dst_off)


# ---------------------------------------------------------------------------------------------------------------
# Descriptors


class TypeDesc:
    """How one storable type lives at (slot, offset)."""

    size: int = 0
    #: Human-readable type name for error messages.
    name: str = '?'

    def get(self, slot: Slot, off: int) -> typing.Any:
        raise NotImplementedError

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        raise NotImplementedError

    def copy_actions(self) -> list[CopyAction]:
        return [CopyBytes(0, self.size)]

    def __repr__(self) -> str:
        return self.name


class IntDesc(TypeDesc):
    """``uN``/``iN``: little-endian, two's complement for signed; out of range raises OverflowError (§17.3)."""

    def __init__(self, size: int, signed: bool) -> None:
        self.size = size
        self.signed = signed
        self.name = f'{"i" if signed else "u"}{size * 8}'

    def get(self, slot: Slot, off: int) -> int:
        return int.from_bytes(slot.read(off, self.size), 'little', signed=self.signed)

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        slot.write(off, int(value).to_bytes(self.size, 'little', signed=self.signed))


class BoolDesc(TypeDesc):
    size = 1
    name = 'bool'

    def get(self, slot: Slot, off: int) -> bool:
        return slot.read(off, 1)[0] != 0

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        slot.write(off, b'\x01' if value else b'\x00')


class AddressDesc(TypeDesc):
    size = Address.SIZE
    name = 'Address'

    def get(self, slot: Slot, off: int) -> Address:
        return Address(slot.read(off, Address.SIZE))

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        if not isinstance(value, Address):
            value = Address(value)
        slot.write(off, value.as_bytes)


class FloatDesc(TypeDesc):
    size = 8
    name = 'float'

    def get(self, slot: Slot, off: int) -> float:
        return struct.unpack('<d', slot.read(off, 8))[0]

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        slot.write(off, struct.pack('<d', value))


class NoneDesc(TypeDesc):
    size = 0
    name = 'None'

    def get(self, slot: Slot, off: int) -> None:
        return None

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        pass

    def copy_actions(self) -> list[CopyAction]:
        return []


class _LengthPrefixedDesc(TypeDesc):
    """u32le length in place, payload at offset 0 of ``child(slot, off)``; the child is never truncated (§17.3)."""

    size = 4

    def _encode(self, value: typing.Any) -> bytes:
        raise NotImplementedError

    def _decode(self, data: bytes) -> typing.Any:
        raise NotImplementedError

    def get(self, slot: Slot, off: int) -> typing.Any:
        n = read_u32(slot, off)
        return self._decode(slot.indirect(off).read(0, n))

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        data = self._encode(value)
        write_u32(slot, off, len(data))
        # Even an empty value issues the (zero-length) payload write (§17.3).
        slot.indirect(off).write(0, data)

    def copy_actions(self) -> list[CopyAction]:
        return [CopyLengthPrefixed(0)]


class StrDesc(_LengthPrefixedDesc):
    name = 'str'

    def _encode(self, value: typing.Any) -> bytes:
        if not isinstance(value, str):
            raise TypeError(f'expected str, got {type(value)}')
        return value.encode('utf-8')

    def _decode(self, data: bytes) -> str:
        return data.decode('utf-8')


class BytesDesc(_LengthPrefixedDesc):
    name = 'bytes'

    def _encode(self, value: typing.Any) -> bytes:
        return bytes(value)

    def _decode(self, data: bytes) -> bytes:
        return data


class BigIntDesc(_LengthPrefixedDesc):
    """QUIRK (§17.3): n = 2 + bytes needed for abs(v) (0 for v = 0), two's complement little-endian."""

    name = 'bigint'

    def _encode(self, value: typing.Any) -> bytes:
        v = int(value)
        n = 2 + (abs(v).bit_length() + 7) // 8
        return v.to_bytes(n, 'little', signed=True)

    def _decode(self, data: bytes) -> int:
        return int.from_bytes(data, 'little', signed=True)


class DatetimeDesc(TypeDesc):
    """Record {seconds u64, micros u32, has_tz bool, off_days i32, off_seconds i32, off_micros i32} (§17.4)."""

    size = 25
    name = 'datetime'

    def get(self, slot: Slot, off: int) -> datetime.datetime:
        data = slot.read(off, 25)
        seconds = int.from_bytes(data[0:8], 'little')
        micros = int.from_bytes(data[8:12], 'little')
        if data[12] != 0:
            offset = datetime.timedelta(
                days=int.from_bytes(data[13:17], 'little', signed=True),
                seconds=int.from_bytes(data[17:21], 'little', signed=True),
                microseconds=int.from_bytes(data[21:25], 'little', signed=True),
            )
            tm = time.gmtime(seconds)
            utc = datetime.datetime(*tm[:6], micros, tzinfo=datetime.timezone.utc)
            return utc.astimezone(datetime.timezone(offset))
        tm = time.localtime(seconds)
        return datetime.datetime(*tm[:6], micros)

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        if not isinstance(value, datetime.datetime):
            raise TypeError(f'expected datetime, got {type(value)}')
        slot.write(off, int(value.timestamp()).to_bytes(8, 'little'))
        slot.write(off + 8, value.microsecond.to_bytes(4, 'little'))
        offset = value.utcoffset()
        slot.write(off + 12, b'\x01' if offset is not None else b'\x00')
        if offset is not None:
            # Naive values leave the three offset fields untouched (stale), as the reference does.
            slot.write(off + 13, offset.days.to_bytes(4, 'little', signed=True))
            slot.write(off + 17, offset.seconds.to_bytes(4, 'little', signed=True))
            slot.write(off + 21, offset.microseconds.to_bytes(4, 'little', signed=True))
