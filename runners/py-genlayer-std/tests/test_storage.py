"""Storage layout vectors of python-sdk.md §17, checked against slot bytes and the write log."""


import dataclasses
import datetime
import hashlib
import random
import typing
import unittest

from tests.support import h

import _genlayer_wasi as fake  # the fake of tests/fake
from genlayer.py import calldata
from genlayer.py.storage import ROOT_SLOT_ID, Array, DynArray, InmemManager, Root, TreeMap, allow_storage, copy_to_memory, inmem_allocate
from genlayer.py.storage._internal.core import Slot, WasiManager
from genlayer.py.storage._internal.generate import generate_storage
from genlayer.py.types import Address, bigint, i8, i32, u8, u16, u32, u256

ROOT = bytes(32)


def child(slot: bytes, off: int) -> bytes:
    return hashlib.sha3_256(slot + off.to_bytes(4, 'little')).digest()


def reset_fake() -> None:
    fake.storage.clear()
    fake.write_log.clear()


def view(tp: typing.Any, slot: bytes = ROOT, off: int = 0) -> typing.Any:
    """A view of ``tp`` at (slot, off) of the fake VM storage."""
    return generate_storage(tp).get(Slot(slot, WasiManager()), off)


def slot_hex(slot: bytes) -> str:
    return bytes(fake.storage.get(slot, b'')).hex()


class SlotDerivationTests(unittest.TestCase):
    def test_child_vectors(self) -> None:
        # §17.1 and §17.10.
        cases = [
            (child(ROOT, 16), 'a860ee32d1b785e6', '795449f4'),
            (child(ROOT, 36), 'd8034a25a19c5007', '910ccb3b'),
            (child(ROOT, 1), 'e1ae23412792df6b', '494685e7'),
            (child(ROOT, 2), 'ba005630745acf30', 'f82c610b'),
            (child(ROOT, 3), '21b9e013f74608b9', 'cc2e7566'),
            (child(child(ROOT, 0), 0), 'bfdea99fdd2f32ae', '234d5396'),
        ]
        for got, head, tail in cases:
            self.assertTrue(got.hex().startswith(head), got.hex())
            self.assertTrue(got.hex().endswith(tail), got.hex())
        self.assertEqual(child(ROOT, 0).hex(), '372d46c3ada9f897c74d349bbfe0e450c798167c9f580f8daf85def57e96c3ea')

    def test_lock_default_appends_four_ids(self) -> None:
        reset_fake()
        root = Root.get()
        root.lock_default()
        expected = [
            0,
            104719743780096590577697194990451901900258198514698274453690604555695722573537,
            5147135863452175656394978567785114489906633378855095627257376406960105455802,
            46342954650747611132690097513405510122375903838997656252402239048600340445473,
        ]
        self.assertEqual(list(root.locked_slots.get()), expected)
        locked = bytes(fake.storage[child(ROOT, 2)])
        self.assertEqual(locked[:4], (4).to_bytes(4, 'little'))
        self.assertEqual(locked[4 + 32 : 4 + 64], child(ROOT, 1))
        self.assertEqual(len(locked), 4 + 4 * 32)


class ScalarTests(unittest.TestCase):
    def setUp(self) -> None:
        reset_fake()

    def test_ints(self) -> None:
        @allow_storage
        class R:
            a: u8
            b: i8
            c: u16
            d: i32
            e: u256
            f: bool
            g: Address

        r = view(R)
        r.a = 255
        r.b = -2
        r.c = 0x1234
        r.d = -1
        r.e = 2**255
        r.f = True
        r.g = Address(b'\x05' * 20)
        self.assertEqual(slot_hex(ROOT), 'ff' + 'fe' + '3412' + 'ffffffff' + '00' * 31 + '80' + '01' + '05' * 20)
        self.assertEqual((r.a, r.b, r.c, r.d, r.e, r.f, r.g), (255, -2, 0x1234, -1, 2**255, True, Address(b'\x05' * 20)))
        with self.assertRaises(OverflowError):
            r.a = 256
        with self.assertRaises(OverflowError):
            r.b = 128
        with self.assertRaises(OverflowError):
            r.a = -1

    def test_bigint_lengths(self) -> None:
        # QUIRK §17.3: n = 2 + bytes needed for abs(v).
        @allow_storage
        class R:
            b: bigint

        r = view(R)
        for value, payload in [(0, '0000'), (1, '010000'), (-1, 'ffffff'), (255, 'ff0000'), (256, '00010000'), (-129, '7fffff')]:
            with self.subTest(value=value):
                reset_fake()
                r.b = value
                self.assertEqual(slot_hex(ROOT), (len(payload) // 2).to_bytes(4, 'little').hex())
                self.assertEqual(slot_hex(child(ROOT, 0)), payload)
                self.assertEqual(r.b, value)
        reset_fake()
        r.b = 2**63
        self.assertEqual(len(fake.storage[child(ROOT, 0)]), 10)
        self.assertEqual(r.b, 2**63)

    def test_str_write_order_and_no_truncation(self) -> None:
        @allow_storage
        class R:
            x: str

        r = view(R)
        r.x = 'hello'
        r.x = 'hi'
        r.x = ''
        payload = child(ROOT, 0)
        self.assertEqual(
            fake.write_log,
            [
                (ROOT, 0, h('05000000')),
                (payload, 0, b'hello'),
                (ROOT, 0, h('02000000')),
                (payload, 0, b'hi'),
                (ROOT, 0, h('00000000')),
                (payload, 0, b''),
            ],
        )
        self.assertEqual(bytes(fake.storage[payload]), b'hillo')
        self.assertEqual(r.x, '')

    def test_contract_first_field_payload_slot(self) -> None:
        # §17.10: first field x: str of the contract → payload at child(child(0^32, 0), 0).
        @allow_storage
        class C:
            x: str

        instance_slot = child(ROOT, 0)
        c = Root.get().get_contract_instance(C)
        c.x = 'abc'
        self.assertEqual(slot_hex(instance_slot), '03000000')
        self.assertEqual(bytes(fake.storage[child(instance_slot, 0)]), b'abc')

    def test_datetime_vectors(self) -> None:
        # §17.4.
        @allow_storage
        class R:
            t: datetime.datetime

        r = view(R)
        naive = datetime.datetime(2024, 11, 26, 6, 42, 42, 424242)
        r.t = naive
        self.assertEqual(slot_hex(ROOT), 'e26d456700000000' + '32790600' + '00')
        self.assertEqual(r.t, naive)
        reset_fake()
        aware = naive.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=-3)))
        r.t = aware
        self.assertEqual(slot_hex(ROOT), '1298456700000000' + '32790600' + '01' + 'ffffffff' + '50270100' + '00000000')
        self.assertEqual(r.t, aware)
        self.assertEqual(r.t.utcoffset(), datetime.timedelta(hours=-3))

    def test_unstorable_types(self) -> None:
        for bad, exc in ((int, TypeError), (list[u8], AssertionError), (dict[str, u8], AssertionError), (complex, TypeError)):
            with self.subTest(bad=bad):
                with self.assertRaises(exc):
                    generate_storage(bad)


class RecordTests(unittest.TestCase):
    def setUp(self) -> None:
        reset_fake()

    def test_worked_example(self) -> None:
        # §17.9 worked example.
        @allow_storage
        class R:
            a: u8
            m: TreeMap[str, u32]
            arr: DynArray[str]
            b: bigint
            s: str

        r = view(R)
        r.a = 7
        r.m['1'] = 12
        r.m['abc'] = 30
        r.arr += ['x', 'yz']
        r.b = -1
        r.s = 'hi'
        self.assertEqual(slot_hex(ROOT), h('07 01000000 02000000 00000000 02000000 03000000 02000000').hex())
        nodes = child(ROOT, 5)
        self.assertEqual(slot_hex(nodes), h('01000000 0c000000 00000000 02000000 01 03000000 1e000000 00000000 00000000 00').hex())
        self.assertEqual(slot_hex(child(nodes, 0)), '31')
        self.assertEqual(slot_hex(child(nodes, 17)), '616263')
        self.assertEqual(r.s, 'hi')
        self.assertEqual(list(r.arr), ['x', 'yz'])
        self.assertEqual(repr(r.m), "{'1':12,'abc':30}")

    def test_gvm89_return_encoding(self) -> None:
        # §6.4: DynArray[Foo] of dataclass Foo(x: DynArray[str]) encodes as 0d 0e 01 78 0d 1c 31 32 33.
        @allow_storage
        @dataclasses.dataclass
        class Foo:
            x: DynArray[str]

        @allow_storage
        class R:
            foos: DynArray[Foo]

        r = view(R)
        foo = r.foos.append_new_get()
        foo.x.append('123')
        self.assertEqual(calldata.encode(r.foos), h('0d 0e 01 78 0d 1c 31 32 33'))

    def test_dataclass_constructor_and_copy(self) -> None:
        @allow_storage
        @dataclasses.dataclass
        class User:
            name: str
            age: u8
            tags: DynArray[str]

        @allow_storage
        class R:
            flag: u8
            user: User

        u = User('Ada', 36, ['x', 'y'])
        self.assertIsInstance(u._gl_slot.manager, InmemManager)
        self.assertEqual(u, User('Ada', 36, ['x', 'y']))
        r = view(R)
        fake.write_log.clear()
        r.user = u
        # §17.11: name (length word + payload), age (1 fixed byte), tags (length, then each element's copy).
        user_off = 1
        elems = child(ROOT, user_off + 5)
        self.assertEqual(
            fake.write_log,
            [
                (ROOT, 1, h('03000000')),
                (child(ROOT, 1), 0, b'Ada'),
                (ROOT, 5, h('24')),
                (ROOT, 6, h('02000000')),
                (elems, 0, h('01000000')),
                (child(elems, 0), 0, b'x'),
                (elems, 4, h('01000000')),
                (child(elems, 4), 0, b'y'),
            ],
        )
        self.assertEqual(r.user.name, 'Ada')
        self.assertEqual(list(r.user.tags), ['x', 'y'])
        self.assertEqual(calldata.encode(r.user), calldata.encode({'name': 'Ada', 'age': 36, 'tags': ['x', 'y']}))
        mem = copy_to_memory(r.user)
        r.user.name = 'Bob'
        self.assertEqual(mem.name, 'Ada')

    def test_fixed_runs_are_merged(self) -> None:
        @allow_storage
        @dataclasses.dataclass
        class P:
            a: u8
            b: u32
            c: bool

        @allow_storage
        class R:
            p: P
            q: P

        r = view(R)
        r.p = P(1, 2, True)
        fake.write_log.clear()
        r.q = r.p
        self.assertEqual(fake.write_log, [(ROOT, 6, h('01 02000000 01'))])

    def test_assigning_other_type_fails(self) -> None:
        @allow_storage
        class R:
            m: TreeMap[str, u8]

        r = view(R)
        with self.assertRaises(AssertionError):
            r.m = {}

    def test_generic_record(self) -> None:
        T = typing.TypeVar('T')

        @allow_storage
        @dataclasses.dataclass
        class Gen(typing.Generic[T]):
            a: T
            b: u8

        with self.assertRaises(TypeError):
            Gen(b'x', 1)
        g = inmem_allocate(Gen[bytes], b'xy', 3)
        self.assertEqual((g.a, g.b), (b'xy', 3))

        @allow_storage
        class R:
            g: Gen[bytes]
            s: Gen[str]

        self.assertEqual(generate_storage(R).size, 10)
        r = view(R)
        r.g = g
        self.assertEqual(r.g.a, b'xy')
        with self.assertRaises(AssertionError):
            r.s = g


class DynArrayTests(unittest.TestCase):
    def setUp(self) -> None:
        reset_fake()

    def make(self) -> DynArray[u8]:
        @allow_storage
        class R:
            a: DynArray[u8]

        return view(R).a

    def elems(self) -> str:
        return slot_hex(child(ROOT, 0))

    def test_append_pop_clear_do_not_clear_bytes(self) -> None:
        a = self.make()
        a.extend([1, 2, 3])
        self.assertIsNone(a.pop())
        self.assertEqual(list(a), [1, 2])
        self.assertEqual(self.elems(), '010203')
        a.clear()
        self.assertEqual(len(a), 0)
        self.assertEqual(slot_hex(ROOT), '00000000')
        self.assertEqual(self.elems(), '010203')
        with self.assertRaises(Exception) as ctx:
            a.pop()
        self.assertEqual(str(ctx.exception), "can't pop from empty array")

    def test_failed_append_leaves_length_bumped(self) -> None:
        a = self.make()
        with self.assertRaises(OverflowError):
            a.append(300)
        self.assertEqual(len(a), 1)

    def test_insert_quirk_and_delete(self) -> None:
        a = self.make()
        with self.assertRaises(IndexError):
            a.insert(0, 1)
        reset_fake()
        a.extend([1, 2, 3, 4])
        a.insert(1, 9)
        self.assertEqual(list(a), [1, 9, 2, 3, 4])
        with self.assertRaises(IndexError):
            a.insert(5, 7)
        del a[1:3]
        self.assertEqual(list(a), [1, 3, 4])
        self.assertEqual(self.elems(), '0103040304')
        del a[-1]
        self.assertEqual(list(a), [1, 3])
        self.assertEqual(a[-1], 3)
        with self.assertRaises(IndexError):
            a[2]

    def test_slice_assignment(self) -> None:
        a = self.make()
        a.extend([1, 2, 3, 4])
        a[1:3] = [7]
        self.assertEqual(list(a), [1, 7, 4])
        a[1:2] = [5, 6, 8]
        self.assertEqual(list(a), [1, 5, 6, 8, 4])
        self.assertEqual(repr(a), '[1,5,6,8,4]')

    def test_assign_sequence_writes_length_then_elements(self) -> None:
        @allow_storage
        class R:
            a: DynArray[u8]
            b: DynArray[u8]

        r = view(R)
        r.a = [1, 2, 3]
        fake.write_log.clear()
        r.a = [9]
        self.assertEqual(fake.write_log, [(ROOT, 0, h('01000000')), (child(ROOT, 0), 0, h('09'))])
        self.assertEqual(slot_hex(child(ROOT, 0)), '090203')
        fake.write_log.clear()
        r.b = r.a
        # Same element descriptor: copy = length word + one bulk copy of the elements.
        self.assertEqual(fake.write_log, [(ROOT, 4, h('01000000')), (child(ROOT, 4), 0, h('09'))])


class ArrayTests(unittest.TestCase):
    def test_array(self) -> None:
        reset_fake()

        @allow_storage
        class R:
            a: Array[u16, typing.Literal[3]]
            tail: u8

        r = view(R)
        r.a = [1, 2, 3]
        r.tail = 5
        self.assertEqual(slot_hex(ROOT), '010002000300' + '05')
        self.assertEqual(len(r.a), 3)
        self.assertEqual(list(r.a[1:3]), [2, 3])
        self.assertEqual(r.a[-1], 3)
        with self.assertRaises(KeyError):
            r.a[::2]
        with self.assertRaises(ValueError):
            r.a = [1]


class TreeMapTests(unittest.TestCase):
    def setUp(self) -> None:
        reset_fake()

    def make(self) -> TreeMap[u32, u32]:
        @allow_storage
        class R:
            m: TreeMap[u32, u32]

        return view(R).m

    def node_bytes(self) -> str:
        return slot_hex(child(ROOT, 4))

    def test_single_left_rotation_layout(self) -> None:
        # Inserting 1, 2, 3: node 1 becomes unbalanced (+2) and rotates left around node 2 (§17.9).
        m = self.make()
        for k in (1, 2, 3):
            m[k] = k * 10

        def node(k: int, v: int, left: int, right: int, balance: int) -> str:
            words = b''.join(x.to_bytes(4, 'little') for x in (k, v, left, right))
            return (words + balance.to_bytes(1, 'little', signed=True)).hex()

        self.assertEqual(slot_hex(ROOT)[:8], '02000000')
        self.assertEqual(self.node_bytes(), node(1, 10, 0, 0, 0) + node(2, 20, 1, 3, 0) + node(3, 30, 0, 0, 0))

    def test_double_rotation_layout(self) -> None:
        # 3, 1, 2: left-right rotation; 2 becomes the root with both balances 0.
        m = self.make()
        for k in (3, 1, 2):
            m[k] = k
        node = lambda k, l, r, b: (k.to_bytes(4, 'little') * 2 + l.to_bytes(4, 'little') + r.to_bytes(4, 'little') + b.to_bytes(1, 'little', signed=True)).hex()  # noqa: E731
        self.assertEqual(slot_hex(ROOT)[:8], '03000000')
        self.assertEqual(self.node_bytes(), node(3, 0, 0, 0) + node(1, 0, 0, 0) + node(2, 2, 1, 0))

    def test_delete_release_and_reuse(self) -> None:
        m = self.make()
        for k in (1, 2, 3):
            m[k] = k
        del m[1]  # node index 0: not the last → free list
        self.assertEqual(list(m._free()), [0])
        self.assertEqual(len(m), 2)
        del m[3]  # node index 2: the last → nodes.pop()
        self.assertEqual(len(m._nodes()), 2)
        self.assertEqual(list(m.items()), [(2, 2)])
        with self.assertRaises(KeyError):
            del m[7]
        fake.write_log.clear()
        v = m.get_or_insert_default(5)
        # QUIRK: reuses node index 0 (key 1, value 1) without writing the value.
        self.assertEqual(v, 1)
        self.assertEqual(list(m._free()), [])
        m[5] = 50
        self.assertEqual(m[5], 50)
        with self.assertRaises(IndexError):
            m.compute_if_absent(6, lambda: 60)
        self.assertEqual(m[6], 60)
        self.assertEqual(m.compute_if_absent(6, lambda: 0), 60)

    def test_clear_only_resets_lengths(self) -> None:
        m = self.make()
        m[1] = 1
        m[2] = 2
        before = self.node_bytes()
        m.clear()
        self.assertEqual(slot_hex(ROOT), '00' * 12)
        self.assertEqual(self.node_bytes(), before)
        self.assertEqual(len(m), 0)

    def check_avl(self, m: TreeMap[typing.Any, typing.Any]) -> None:
        def height(idx: int) -> int:
            if idx == 0:
                return 0
            lh, rh = height(m._left(idx)), height(m._right(idx))
            self.assertEqual(m._balance(idx), rh - lh)
            self.assertIn(rh - lh, (-1, 0, 1))
            return 1 + max(lh, rh)

        height(m._root())

    def test_random_operations_match_dict_and_stay_avl(self) -> None:
        rng = random.Random(1234)
        m = self.make()
        model: dict[int, int] = {}
        for step in range(1500):
            k = rng.randrange(200)
            if rng.random() < 0.55:
                m[k] = step
                model[k] = step
            elif k in model:
                del m[k]
                del model[k]
            else:
                with self.assertRaises(KeyError):
                    del m[k]
            if step % 50 == 0:
                self.check_avl(m)
                self.assertEqual(list(m.items()), sorted(model.items()))
        self.check_avl(m)
        self.assertEqual(list(m.items()), sorted(model.items()))
        self.assertEqual(len(m), len(model))
        for k in range(200):
            self.assertEqual(m.get(k), model.get(k))
            self.assertEqual(k in m, k in model)

    def test_str_keys_and_nested_maps(self) -> None:
        @allow_storage
        class R:
            m: TreeMap[Address, TreeMap[str, u8]]

        r = view(R)
        a = Address(b'\x01' * 20)
        inner = r.m.get_or_insert_default(a)
        inner['x'] = 1
        inner['a'] = 2
        self.assertEqual(list(r.m[a].items()), [('a', 2), ('x', 1)])
        self.assertEqual(calldata.encode(r.m[a]), calldata.encode({'a': 2, 'x': 1}))
        with self.assertRaises(TypeError):
            calldata.encode(r.m)


if __name__ == '__main__':
    unittest.main()
