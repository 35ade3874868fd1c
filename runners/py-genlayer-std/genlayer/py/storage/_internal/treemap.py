"""``TreeMap[K, V]`` (python-sdk.md §17.9): an AVL tree with a node free list, written exactly like the reference.

Record (12 bytes): ``root: u32`` (1-based node index, 0 = empty) @0, ``nodes: DynArray[Node]`` @4,
``free: DynArray[u32]`` @8. Node: ``key`` @0, ``value`` @size(K), ``left: u32``, ``right: u32``, ``balance: i8``.
Node references are 1-based; ``balance = height(right) - height(left)``.
"""

from __future__ import annotations

import collections.abc
import typing

from .core import CopyAction, CopyBytes, IntDesc, Slot, TypeDesc, merge_actions, read_u32, run_copy, write_u32
from .dynarray import CopyDynArray, DynArray, DynArrayDesc

K = typing.TypeVar('K')
V = typing.TypeVar('V')

__all__ = ('TreeMap', 'TreeMapDesc', 'NodeDesc')

_U32 = IntDesc(4, False)


class NodeDesc(TypeDesc):
    """The node record; only used for sizes and copies, the tree code addresses fields by offset."""

    def __init__(self, key: TypeDesc, value: TypeDesc) -> None:
        self.key = key
        self.value = value
        self.value_off = key.size
        self.left_off = key.size + value.size
        self.right_off = self.left_off + 4
        self.balance_off = self.left_off + 8
        self.size = self.left_off + 9
        self.name = f'Node[{key.name}, {value.name}]'
        self._actions: list[CopyAction] | None = None

    def get(self, slot: Slot, off: int) -> typing.Any:
        return (slot, off)

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        raise TypeError('tree nodes are internal')

    def copy_actions(self) -> list[CopyAction]:
        if self._actions is None:
            self._actions = merge_actions(
                [
                    *self.key.copy_actions(),
                    *(a.shifted(self.value_off) for a in self.value.copy_actions()),
                    CopyBytes(self.left_off, 9),
                ]
            )
        return self._actions


class TreeMapDesc(TypeDesc):
    size = 12

    def __init__(self, key: TypeDesc, value: TypeDesc) -> None:
        self.key = key
        self.value = value
        self.node = NodeDesc(key, value)
        self.nodes = DynArrayDesc(self.node)
        self.free = DynArrayDesc(_U32)
        self.name = f'TreeMap[{key.name}, {value.name}]'

    def get(self, slot: Slot, off: int) -> TreeMap[typing.Any, typing.Any]:
        return TreeMap._view(slot, off, self)

    def set(self, slot: Slot, off: int, value: typing.Any) -> None:
        if isinstance(value, TreeMap) and value._gl_desc is self:
            run_copy(self.copy_actions(), value._gl_slot, value._gl_off, slot, off)
            return
        other = value._gl_desc.name if isinstance(value, TreeMap) else type(value).__name__
        raise AssertionError(f'Is right the same storage type? `{self.name}` <- `{other}`')

    def copy_actions(self) -> list[CopyAction]:
        return [CopyBytes(0, 4), CopyDynArray(4, self.node), CopyDynArray(8, _U32)]


#: The layout of the first TreeMap instantiation ever built: ``TreeMap()`` binds to it (QUIRK, §17.9).
first_desc: list[TreeMapDesc] = []


class TreeMap(typing.Generic[K, V], collections.abc.MutableMapping):  # type: ignore[misc]
    """A live view of an AVL tree map in storage."""

    __slots__ = ('_gl_slot', '_gl_off', '_gl_desc')

    _gl_slot: Slot
    _gl_off: int
    _gl_desc: TreeMapDesc

    def __new__(cls, *args: typing.Any, **kwargs: typing.Any) -> TreeMap[typing.Any, typing.Any]:
        # QUIRK (§17.9): a directly constructed TreeMap lives in memory with the first instantiation's layout.
        from .core import InmemManager, ROOT_SLOT_ID

        if not first_desc:
            raise TypeError('no TreeMap layout was generated yet')
        return TreeMap._view(InmemManager().get_store_slot(ROOT_SLOT_ID), 0, first_desc[0])

    def __init__(self, *args: typing.Any, **kwargs: typing.Any) -> None:
        pass

    @classmethod
    def _view(cls, slot: Slot, off: int, desc: TreeMapDesc) -> TreeMap[typing.Any, typing.Any]:
        obj = object.__new__(cls)
        obj._gl_slot = slot
        obj._gl_off = off
        obj._gl_desc = desc
        return obj

    # --- raw field access ------------------------------------------------------------------------------------

    def _root(self) -> int:
        return read_u32(self._gl_slot, self._gl_off)

    def _set_root(self, v: int) -> None:
        write_u32(self._gl_slot, self._gl_off, v)

    def _nodes(self) -> DynArray[typing.Any]:
        return self._gl_desc.nodes.get(self._gl_slot, self._gl_off + 4)

    def _free(self) -> DynArray[int]:
        return self._gl_desc.free.get(self._gl_slot, self._gl_off + 8)

    def _node_pos(self, idx: int) -> tuple[Slot, int]:
        """Slot and offset of the node with 1-based index ``idx``."""
        return self._gl_slot.indirect(self._gl_off + 4), (idx - 1) * self._gl_desc.node.size

    def _key(self, idx: int) -> typing.Any:
        slot, off = self._node_pos(idx)
        return self._gl_desc.key.get(slot, off)

    def _value(self, idx: int) -> typing.Any:
        slot, off = self._node_pos(idx)
        return self._gl_desc.value.get(slot, off + self._gl_desc.node.value_off)

    def _set_value(self, idx: int, value: typing.Any) -> None:
        slot, off = self._node_pos(idx)
        self._gl_desc.value.set(slot, off + self._gl_desc.node.value_off, value)

    def _left(self, idx: int) -> int:
        slot, off = self._node_pos(idx)
        return read_u32(slot, off + self._gl_desc.node.left_off)

    def _right(self, idx: int) -> int:
        slot, off = self._node_pos(idx)
        return read_u32(slot, off + self._gl_desc.node.right_off)

    def _balance(self, idx: int) -> int:
        slot, off = self._node_pos(idx)
        return int.from_bytes(slot.read(off + self._gl_desc.node.balance_off, 1), 'little', signed=True)

    def _set_left(self, idx: int, v: int) -> None:
        slot, off = self._node_pos(idx)
        write_u32(slot, off + self._gl_desc.node.left_off, v)

    def _set_right(self, idx: int, v: int) -> None:
        slot, off = self._node_pos(idx)
        write_u32(slot, off + self._gl_desc.node.right_off, v)

    def _set_balance(self, idx: int, v: int) -> None:
        slot, off = self._node_pos(idx)
        slot.write(off + self._gl_desc.node.balance_off, v.to_bytes(1, 'little', signed=True))

    # --- lookup ------------------------------------------------------------------------------------------------

    def _find(self, key: typing.Any) -> tuple[list[int], bool]:
        """Path of 1-based indices from the root; ends with 0 when absent. Also the last comparison's side."""
        path: list[int] = []
        went_left = False
        cur = self._root()
        while cur != 0:
            path.append(cur)
            node_key = self._key(cur)
            if key < node_key:
                cur = self._left(cur)
                went_left = True
            elif node_key < key:
                cur = self._right(cur)
                went_left = False
            else:
                return path, went_left
        path.append(0)
        return path, went_left

    def __getitem__(self, key: K) -> V:
        path, _ = self._find(key)
        if path[-1] == 0:
            raise KeyError()
        return self._value(path[-1])

    def get(self, key: K, default: typing.Any = None) -> typing.Any:
        path, _ = self._find(key)
        if path[-1] == 0:
            return default
        return self._value(path[-1])

    def __contains__(self, key: object) -> bool:
        return self._find(key)[0][-1] != 0

    def __len__(self) -> int:
        return len(self._nodes()) - len(self._free())

    def _walk(self) -> typing.Iterator[int]:
        stack: list[int] = []
        cur = self._root()
        while stack or cur != 0:
            while cur != 0:
                stack.append(cur)
                cur = self._left(cur)
            cur = stack.pop()
            yield cur
            cur = self._right(cur)

    def __iter__(self) -> typing.Iterator[K]:
        for idx in self._walk():
            yield self._key(idx)

    def items(self) -> typing.Iterator[tuple[K, V]]:  # type: ignore[override]
        for idx in self._walk():
            yield self._key(idx), self._value(idx)

    def values(self) -> typing.Iterator[V]:  # type: ignore[override]
        for idx in self._walk():
            yield self._value(idx)

    def __repr__(self) -> str:
        return '{' + ','.join(repr(k) + ':' + repr(v) for k, v in self.items()) + '}'

    # --- node allocation ---------------------------------------------------------------------------------------

    def _allocate(self) -> int:
        """0-based index of a node: the free list's last entry, else a new node at the end (§17.9)."""
        free = self._free()
        n = len(free)
        if n > 0:
            idx = free[n - 1]
            free.pop()
            return idx
        nodes = self._nodes()
        idx = len(nodes)
        nodes.append_new_get()
        return idx

    def _release(self, idx0: int) -> None:
        nodes = self._nodes()
        if idx0 + 1 == len(nodes):
            nodes.pop()
        else:
            self._free().append(idx0)

    def _init_node(self, idx: int, key: typing.Any, value: typing.Any, write_value: bool) -> None:
        slot, off = self._node_pos(idx)
        self._gl_desc.key.set(slot, off, key)
        if write_value:
            self._gl_desc.value.set(slot, off + self._gl_desc.node.value_off, value)
        self._set_left(idx, 0)
        self._set_right(idx, 0)
        self._set_balance(idx, 0)

    # --- rotations (balances written exactly as §17.9 lists them) -------------------------------------------

    def _rot_left(self, p: int, c: int) -> int:
        self._set_right(p, self._left(c))
        self._set_left(c, p)
        if self._balance(c) == 0:
            self._set_balance(p, 1)
            self._set_balance(c, -1)
        else:
            self._set_balance(p, 0)
            self._set_balance(c, 0)
        return c

    def _rot_right(self, p: int, c: int) -> int:
        self._set_left(p, self._right(c))
        self._set_right(c, p)
        if self._balance(c) == 0:
            self._set_balance(p, -1)
            self._set_balance(c, 1)
        else:
            self._set_balance(p, 0)
            self._set_balance(c, 0)
        return c

    def _rot_right_left(self, g: int, p: int, c: int) -> int:
        self._set_right(g, self._left(c))
        self._set_left(p, self._right(c))
        self._set_left(c, g)
        self._set_right(c, p)
        b = self._balance(c)
        if b == 0:
            self._set_balance(g, 0)
            self._set_balance(p, 0)
        elif b > 0:
            self._set_balance(g, -1)
            self._set_balance(p, 0)
        else:
            self._set_balance(g, 0)
            self._set_balance(p, 1)
        self._set_balance(c, 0)
        return c

    def _rot_left_right(self, g: int, p: int, c: int) -> int:
        self._set_left(g, self._right(c))
        self._set_right(p, self._left(c))
        self._set_left(c, p)
        self._set_right(c, g)
        b = self._balance(c)
        if b == 0:
            self._set_balance(p, 0)
            self._set_balance(g, 0)
        elif b > 0:
            self._set_balance(p, -1)
            self._set_balance(g, 0)
        else:
            self._set_balance(p, 0)
            self._set_balance(g, 1)
        self._set_balance(c, 0)
        return c

    def _fix_parent(self, path: list[int], i: int, old: int, new: int) -> None:
        """Points the node above ``path[i]`` (which referenced ``old``) at ``new``; ``path[i]`` becomes ``new``."""
        if i > 0:
            gp = path[i - 1]
            if self._left(gp) == old:
                self._set_left(gp, new)
            else:
                self._set_right(gp, new)
        path[i] = new

    # --- insertion ---------------------------------------------------------------------------------------------

    def _insert(self, key: typing.Any, value: typing.Any, write_value: bool) -> tuple[int, bool]:
        """Finds or inserts ``key``; returns (1-based node index, whether it already existed)."""
        path, went_left = self._find(key)
        if path[-1] != 0:
            return path[-1], True
        new = self._allocate() + 1
        if len(path) == 1:
            self._set_root(new)
            self._init_node(new, key, value, write_value)
            return new, False
        parent = path[-2]
        if went_left:
            self._set_left(parent, new)
        else:
            self._set_right(parent, new)
        self._init_node(new, key, value, write_value)
        path[-1] = new
        for i in range(len(path) - 1, 0, -1):
            child, parent = path[i], path[i - 1]
            b = self._balance(parent) + (-1 if child == self._left(parent) else 1)
            if b == -2:
                if self._balance(child) > 0:
                    sub = self._rot_left_right(parent, child, self._right(child))
                else:
                    sub = self._rot_right(parent, child)
                self._fix_parent(path, i - 1, parent, sub)
                break
            if b == 2:
                if self._balance(child) < 0:
                    sub = self._rot_right_left(parent, child, self._left(child))
                else:
                    sub = self._rot_left(parent, child)
                self._fix_parent(path, i - 1, parent, sub)
                break
            self._set_balance(parent, b)
            if b == 0:
                break
        if path[0] != self._root():
            self._set_root(path[0])
        return new, False

    def __setitem__(self, key: K, value: V) -> None:
        idx, existed = self._insert(key, value, True)
        if existed:
            self._set_value(idx, value)

    def compute_if_absent(self, key: K, supplier: typing.Callable[[], V]) -> V:
        """QUIRK (§17.9): inserting an absent key raises IndexError afterwards."""
        path, _ = self._find(key)
        if path[-1] != 0:
            return self._value(path[-1])
        self._insert(key, supplier(), True)
        raise IndexError('key was absent')

    def get_or_insert_default(self, key: K) -> V:
        """QUIRK (§17.9): the value bytes of a new node are not written (a reused node shows its old value)."""
        idx, _ = self._insert(key, None, False)
        return self._value(idx)

    # --- deletion ----------------------------------------------------------------------------------------------

    def __delitem__(self, key: K) -> None:
        path, went_left = self._find(key)
        victim = path[-1]
        if victim == 0:
            raise KeyError('key not found')
        v_left = self._left(victim)
        v_right = self._right(victim)
        v_balance = self._balance(victim)
        self._release(victim - 1)
        victim_pos = len(path) - 1
        if v_left == 0 or v_right == 0:
            repl = v_left if v_left != 0 else v_right
            by_child = True
            path[victim_pos] = repl
        else:
            by_child = False
            below: list[int] = []
            cur = v_right
            while self._left(cur) != 0:
                below.append(cur)
                cur = self._left(cur)
            succ = cur
            succ_right = self._right(succ)
            self._set_left(succ, v_left)
            if below:
                self._set_left(below[-1], succ_right)
                self._set_right(succ, v_right)
                path[victim_pos:] = [succ, v_right, *below[1:], succ_right]
            else:
                path[victim_pos:] = [succ, succ_right]
            repl = succ
        if victim_pos > 0:
            parent = path[victim_pos - 1]
            if went_left:
                self._set_left(parent, repl)
            else:
                self._set_right(parent, repl)
        else:
            self._set_root(repl)
        if repl != 0:
            self._set_balance(repl, 0 if by_child else v_balance)
        first = True
        for i in range(len(path) - 1, 0, -1):
            child, parent = path[i], path[i - 1]
            if first and by_child:
                left_side = went_left
            else:
                left_side = child == self._left(parent)
            first = False
            b = self._balance(parent) + (1 if left_side else -1)
            if b == -2:
                sib = self._left(parent)
                sib_balance = self._balance(sib)
                if sib_balance > 0:
                    sub = self._rot_left_right(parent, sib, self._right(sib))
                else:
                    sub = self._rot_right(parent, sib)
                self._fix_parent(path, i - 1, parent, sub)
                if sib_balance == 0:
                    break
            elif b == 2:
                sib = self._right(parent)
                sib_balance = self._balance(sib)
                if sib_balance < 0:
                    sub = self._rot_right_left(parent, sib, self._left(sib))
                else:
                    sub = self._rot_left(parent, sib)
                self._fix_parent(path, i - 1, parent, sub)
                if sib_balance == 0:
                    break
            else:
                self._set_balance(parent, b)
                if b != 0:
                    break
        if path[0] != self._root():
            self._set_root(path[0])

    def clear(self) -> None:
        self._set_root(0)
        self._nodes().clear()
        self._free().clear()
