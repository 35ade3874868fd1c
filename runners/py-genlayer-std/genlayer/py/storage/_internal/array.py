"""``Array[T, Literal[N]]`` (python-sdk.md §17.8): N elements in place, back to back."""

from __future__ import annotations

import collections.abc
import typing

from .core import CopyAction, Slot, TypeDesc, merge_actions, run_copy

T = typing.TypeVar('T')
N = typing.TypeVar('N')

__all__ = ('Array', 'ArrayDesc')


class ArrayDesc(TypeDesc):
    def __init__(self, elem: TypeDesc, length: int) -> None:
        self.elem = elem
        self.length = length
        self.size = elem.size * length
        self.name = f'Array[{elem.name}, {length}]'
        self._actions: list[CopyAction] | None = None

    def get(self, slot: Slot, off: int) -> Array[typing.Any, typing.Any]:
        return Array._view(slot, off, self.elem, self.length, self)

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        if isinstance(value, Array) and value._gl_elem is self.elem and value._gl_len == self.length:
            run_copy(self.copy_actions(), value._gl_slot, value._gl_off, slot, off)
            return
        items = list(value)
        if len(items) != self.length:
            raise ValueError(f'expected {self.length} elements, got {len(items)}')
        for i, item in enumerate(items):
            self.elem.set(slot, off + i * self.elem.size, item)

    def copy_actions(self) -> list[CopyAction]:
        if self._actions is None:
            base = self.elem.copy_actions()
            self._actions = merge_actions(a.shifted(i * self.elem.size) for i in range(self.length) for a in base)
        return self._actions


class Array(typing.Generic[T, N], collections.abc.Sequence):  # type: ignore[misc]
    """A live view of a fixed-size array in storage."""

    __slots__ = ('_gl_slot', '_gl_off', '_gl_elem', '_gl_len', '_gl_desc')

    _gl_slot: Slot
    _gl_off: int
    _gl_elem: TypeDesc
    _gl_len: int
    _gl_desc: ArrayDesc | None

    def __init__(self, *args: typing.Any, **kwargs: typing.Any) -> None:
        raise TypeError('Array can not be instantiated directly, declare it as a storage field')

    @classmethod
    def _view(cls, slot: Slot, off: int, elem: TypeDesc, length: int, desc: ArrayDesc | None) -> Array[typing.Any, typing.Any]:
        obj = object.__new__(cls)
        obj._gl_slot = slot
        obj._gl_off = off
        obj._gl_elem = elem
        obj._gl_len = length
        obj._gl_desc = desc
        return obj

    def __len__(self) -> int:
        return self._gl_len

    def _norm(self, i: int) -> int:
        if i < 0:
            i += self._gl_len
        if not 0 <= i < self._gl_len:
            raise IndexError(f'index out of range {i} / {self._gl_len}')
        return i

    def __getitem__(self, index: typing.Any) -> typing.Any:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._gl_len)
            if step != 1:
                raise KeyError('only slices with step 1 are supported')
            stop = max(start, stop)
            return Array._view(self._gl_slot, self._gl_off + start * self._gl_elem.size, self._gl_elem, stop - start, None)
        return self._gl_elem.get(self._gl_slot, self._gl_off + self._norm(index) * self._gl_elem.size)

    def __setitem__(self, index: int, value: typing.Any) -> None:
        self._gl_elem.set(self._gl_slot, self._gl_off + self._norm(index) * self._gl_elem.size, value)

    def __iter__(self) -> typing.Iterator[T]:
        for i in range(self._gl_len):
            yield self._gl_elem.get(self._gl_slot, self._gl_off + i * self._gl_elem.size)

    def __repr__(self) -> str:
        return '[' + ','.join(repr(x) for x in self) + ']'

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Array, list)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
