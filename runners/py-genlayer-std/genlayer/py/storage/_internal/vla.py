"""``Indirection[T]`` and ``VLA[T]`` (python-sdk.md §16, §17.10): the root record's building blocks."""

from __future__ import annotations

import typing

from .core import CopyAction, Slot, TypeDesc, read_u32, run_copy, write_u32

T = typing.TypeVar('T')

__all__ = ('Indirection', 'IndirectionDesc', 'VLA', 'VLADesc')


class CopyIndirect(CopyAction):
    """Copies the target value through the child slots: ``child(src, off)`` → ``child(dst, off)``."""

    __slots__ = ('off', 'inner')

    def __init__(self, off: int, inner: TypeDesc) -> None:
        self.off = off
        self.inner = inner

    def shifted(self, by: int) -> CopyAction:
        return CopyIndirect(self.off + by, self.inner)

    def run(self, src: Slot, src_off: int, dst: Slot, dst_off: int) -> None:
        run_copy(self.inner.copy_actions(), src.indirect(src_off + self.off), 0, dst.indirect(dst_off + self.off), 0)


class IndirectionDesc(TypeDesc):
    """One in-place byte (never written); the value lives at offset 0 of ``child(slot, off)``."""

    size = 1

    def __init__(self, inner: TypeDesc) -> None:
        self.inner = inner
        self.name = f'Indirection[{inner.name}]'

    def get(self, slot: Slot, off: int) -> Indirection[typing.Any]:
        return Indirection._view(slot, off, self)

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        if isinstance(value, Indirection) and value._gl_desc is self:
            run_copy(self.copy_actions(), value._gl_slot, value._gl_off, slot, off)
            return
        raise AssertionError(f'Is right the same storage type? `{self.name}` <- `{type(value).__name__}`')

    def copy_actions(self) -> list[CopyAction]:
        return [CopyIndirect(0, self.inner)]


class Indirection(typing.Generic[T]):
    """A value stored in the child slot of its position."""

    __slots__ = ('_gl_slot', '_gl_off', '_gl_desc')

    _gl_slot: Slot
    _gl_off: int
    _gl_desc: IndirectionDesc

    @classmethod
    def _view(cls, slot: Slot, off: int, desc: IndirectionDesc) -> Indirection[typing.Any]:
        obj = object.__new__(cls)
        obj._gl_slot = slot
        obj._gl_off = off
        obj._gl_desc = desc
        return obj

    def slot(self) -> Slot:
        return self._gl_slot.indirect(self._gl_off)

    def get(self) -> T:
        return self._gl_desc.inner.get(self.slot(), 0)

    def set(self, value: T) -> None:
        self._gl_desc.inner.set(self.slot(), 0, value)


class CopyVLA(CopyAction):
    __slots__ = ('off', 'elem')

    def __init__(self, off: int, elem: TypeDesc) -> None:
        self.off = off
        self.elem = elem

    def shifted(self, by: int) -> CopyAction:
        return CopyVLA(self.off + by, self.elem)

    def run(self, src: Slot, src_off: int, dst: Slot, dst_off: int) -> None:
        count = src.read(src_off + self.off, 4)
        n = int.from_bytes(count, 'little')
        dst.write(dst_off + self.off, count + src.read(src_off + self.off + 4, n * self.elem.size))


class VLADesc(TypeDesc):
    """u32le count, then the elements packed from offset 4 in the same slot (only usable last in a slot)."""

    size = 4

    def __init__(self, elem: TypeDesc) -> None:
        self.elem = elem
        self.name = f'VLA[{elem.name}]'

    def get(self, slot: Slot, off: int) -> VLA[typing.Any]:
        return VLA._view(slot, off, self)

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        view = VLA._view(slot, off, self)
        view.truncate()
        view.extend(value)

    def copy_actions(self) -> list[CopyAction]:
        return [CopyVLA(0, self.elem)]


class VLA(typing.Generic[T]):
    """Variable-length array living at the end of a slot."""

    __slots__ = ('_gl_slot', '_gl_off', '_gl_desc')

    _gl_slot: Slot
    _gl_off: int
    _gl_desc: VLADesc

    @classmethod
    def _view(cls, slot: Slot, off: int, desc: VLADesc) -> VLA[typing.Any]:
        obj = object.__new__(cls)
        obj._gl_slot = slot
        obj._gl_off = off
        obj._gl_desc = desc
        return obj

    def slot(self) -> Slot:
        return self._gl_slot

    def __len__(self) -> int:
        return read_u32(self._gl_slot, self._gl_off)

    def _pos(self, i: int) -> int:
        return self._gl_off + 4 + i * self._gl_desc.elem.size

    def _check(self, i: int) -> None:
        if not 0 <= i < len(self):
            raise IndexError(f'index out of range {i}')

    def __getitem__(self, i: int) -> T:
        self._check(i)
        return self._gl_desc.elem.get(self._gl_slot, self._pos(i))

    def __setitem__(self, i: int, value: T) -> None:
        self._check(i)
        self._gl_desc.elem.set(self._gl_slot, self._pos(i), value)

    def __iter__(self) -> typing.Iterator[T]:
        for i in range(len(self)):
            yield self._gl_desc.elem.get(self._gl_slot, self._pos(i))

    def append(self, value: T) -> None:
        n = len(self)
        write_u32(self._gl_slot, self._gl_off, n + 1)
        self._gl_desc.elem.set(self._gl_slot, self._pos(n), value)

    def extend(self, values: typing.Iterable[T]) -> None:
        n = len(self)
        if isinstance(values, (bytes, bytearray)) and self._gl_desc.elem.size == 1:
            # Fast path for VLA[u8]: one length write and one data write.
            write_u32(self._gl_slot, self._gl_off, n + len(values))
            self._gl_slot.write(self._pos(n), bytes(values))
            return
        for v in values:
            self.append(v)

    def truncate(self, to: int = 0) -> None:
        if to > len(self):
            raise IndexError('truncate can not grow')
        write_u32(self._gl_slot, self._gl_off, to)

    def __repr__(self) -> str:
        return '[' + ','.join(repr(x) for x in self) + ']'
