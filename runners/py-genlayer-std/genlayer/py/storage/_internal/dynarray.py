"""``DynArray[T]`` (python-sdk.md §17.7): u32le length in place, elements back to back in ``child(slot, off)``."""

from __future__ import annotations

import collections.abc
import typing

from .core import CopyAction, CopyBytes, Slot, TypeDesc, read_u32, run_copy, write_u32

T = typing.TypeVar('T')

__all__ = ('DynArray', 'DynArrayDesc', 'CopyDynArray')


class CopyDynArray(CopyAction):
    """Length word, then one bulk copy when the element is a single byte run, else element by element (§17.11)."""

    __slots__ = ('off', 'elem')

    def __init__(self, off: int, elem: TypeDesc) -> None:
        self.off = off
        self.elem = elem

    def shifted(self, by: int) -> CopyAction:
        return CopyDynArray(self.off + by, self.elem)

    def run(self, src: Slot, src_off: int, dst: Slot, dst_off: int) -> None:
        length = src.read(src_off + self.off, 4)
        dst.write(dst_off + self.off, length)
        n = int.from_bytes(length, 'little')
        src_elems = src.indirect(src_off + self.off)
        dst_elems = dst.indirect(dst_off + self.off)
        size = self.elem.size
        actions = self.elem.copy_actions()
        if len(actions) == 1 and isinstance(actions[0], CopyBytes) and actions[0].off == 0 and actions[0].n == size:
            dst_elems.write(0, src_elems.read(0, n * size))
            return
        for i in range(n):
            run_copy(actions, src_elems, i * size, dst_elems, i * size)


class DynArrayDesc(TypeDesc):
    size = 4

    def __init__(self, elem: TypeDesc) -> None:
        self.elem = elem
        self.name = f'DynArray[{elem.name}]'

    def get(self, slot: Slot, off: int) -> DynArray[typing.Any]:
        return DynArray._view(slot, off, self)

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        if isinstance(value, DynArray) and value._gl_desc is self:
            run_copy(self.copy_actions(), value._gl_slot, value._gl_off, slot, off)
            return
        if isinstance(value, DynArray):
            value = list(value)
        if not isinstance(value, collections.abc.Sequence):
            raise TypeError(f'can not assign {type(value)} to {self.name}')
        items = list(value)
        # Length first, then every element; stale bytes beyond are not cleared (§17.7).
        write_u32(slot, off, len(items))
        elems = slot.indirect(off)
        size = self.elem.size
        for i, item in enumerate(items):
            self.elem.set(elems, i * size, item)

    def copy_actions(self) -> list[CopyAction]:
        return [CopyDynArray(0, self.elem)]


class DynArray(typing.Generic[T], collections.abc.MutableSequence):  # type: ignore[misc]
    """A live view of a dynamic array in storage. Not constructible directly (§17.7)."""

    __slots__ = ('_gl_slot', '_gl_off', '_gl_desc')

    _gl_slot: Slot
    _gl_off: int
    _gl_desc: DynArrayDesc

    def __init__(self, *args: typing.Any, **kwargs: typing.Any) -> None:
        raise TypeError('DynArray can not be instantiated directly, declare it as a storage field')

    @classmethod
    def _view(cls, slot: Slot, off: int, desc: DynArrayDesc) -> DynArray[typing.Any]:
        obj = object.__new__(cls)
        obj._gl_slot = slot
        obj._gl_off = off
        obj._gl_desc = desc
        return obj

    @property
    def _elems(self) -> Slot:
        return self._gl_slot.indirect(self._gl_off)

    def __len__(self) -> int:
        return read_u32(self._gl_slot, self._gl_off)

    def _set_len(self, n: int) -> None:
        write_u32(self._gl_slot, self._gl_off, n)

    def _norm(self, i: int, n: int) -> int:
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f'index out of range {i} / {n}')
        return i

    def _get_at(self, i: int) -> typing.Any:
        elem = self._gl_desc.elem
        return elem.get(self._elems, i * elem.size)

    def _set_at(self, i: int, value: typing.Any) -> None:
        elem = self._gl_desc.elem
        elem.set(self._elems, i * elem.size, value)

    @typing.overload
    def __getitem__(self, index: int) -> T: ...
    @typing.overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> typing.Any:
        n = len(self)
        if isinstance(index, slice):
            return [self._get_at(i) for i in range(*index.indices(n))]
        return self._get_at(self._norm(index, n))

    def __setitem__(self, index: int | slice, value: typing.Any) -> None:
        n = len(self)
        if not isinstance(index, slice):
            self._set_at(self._norm(index, n), value)
            return
        start, stop, step = index.indices(n)
        values = list(value)
        if step != 1:
            positions = list(range(start, stop, step))
            if len(positions) != len(values):
                raise ValueError(f'attempt to assign sequence of size {len(values)} to extended slice of size {len(positions)}')
            for pos, v in zip(positions, values):
                self._set_at(pos, v)
            return
        stop = max(stop, start)
        old = stop - start
        common = min(old, len(values))
        # Overlapping positions in order; then delete the surplus or shift the tail for the extra (§17.7).
        for k in range(common):
            self._set_at(start + k, values[k])
        if len(values) < old:
            del self[start + common : stop]
        elif len(values) > old:
            extra = len(values) - old
            for j in range(n - 1, stop - 1, -1):
                self._set_at(j + extra, self._get_at(j))
            for k in range(common, len(values)):
                self._set_at(start + k, values[k])
            self._set_len(n + extra)

    def __delitem__(self, index: int | slice) -> None:
        n = len(self)
        if isinstance(index, slice):
            doomed = set(range(*index.indices(n)))
        else:
            doomed = {self._norm(index, n)}
        if not doomed:
            return
        # Walk from the first deleted index to the end, moving each kept element down (§17.7).
        free = min(doomed)
        for i in range(free, n):
            if i in doomed:
                continue
            self._set_at(free, self._get_at(i))
            free += 1
        self._set_len(free)

    def insert(self, index: int, value: typing.Any) -> None:
        n = len(self)
        # QUIRK (§17.7): normalised like an index, so inserting at len() (or into an empty array) raises.
        index = self._norm(index, n)
        self._set_len(n + 1)
        for j in range(n, index, -1):
            self._set_at(j, self._get_at(j - 1))
        self._set_at(index, value)

    def append(self, value: typing.Any) -> None:
        n = len(self)
        self._set_len(n + 1)
        self._set_at(n, value)

    def append_new_get(self) -> typing.Any:
        """Bumps the length and returns the new element (its bytes are not cleared)."""
        n = len(self)
        self._set_len(n + 1)
        return self._get_at(n)

    def pop(self, *args: typing.Any) -> None:  # type: ignore[override]
        """QUIRK (§17.7): takes no index, returns None, only writes ``length - 1``."""
        if args:
            raise TypeError('DynArray.pop takes no index')
        n = len(self)
        if n == 0:
            raise Exception("can't pop from empty array")
        self._set_len(n - 1)

    def clear(self) -> None:
        self._set_len(0)

    def __iter__(self) -> typing.Iterator[T]:
        for i in range(len(self)):
            yield self._get_at(i)

    def __repr__(self) -> str:
        return '[' + ','.join(repr(x) for x in self) + ']'

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (DynArray, list)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
