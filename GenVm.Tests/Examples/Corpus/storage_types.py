# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.15, python-sdk.md §17): one field of every storable type, written by the
# constructor, read back by a view, and a sized integer out of range.
from dataclasses import dataclass
import datetime
import typing

from genlayer import *


@allow_storage
@dataclass
class Point:
    x: i32
    label: str


class Storage(gl.Contract):
    a_u8: u8
    a_u16: u16
    a_u32: u32
    a_u64: u64
    a_u128: u128
    a_u256: u256
    b_i8: i8
    b_i64: i64
    b_i256: i256
    big: bigint
    addr: Address
    text: str
    raw: bytes
    flag: bool
    when: datetime.datetime
    arr: Array[u16, typing.Literal[3]]
    dyn: DynArray[str]
    names: TreeMap[str, u64]
    point: Point

    def __init__(self):
        self.a_u8 = 255
        self.a_u16 = 0x1234
        self.a_u32 = 0xDEADBEEF
        self.a_u64 = 2**64 - 1
        self.a_u128 = 2**127
        self.a_u256 = 2**256 - 1
        self.b_i8 = -1
        self.b_i64 = -2
        self.b_i256 = -(2**255)
        self.big = -129
        self.addr = Address('0x' + '11' * 20)
        self.text = 'héllo'
        self.raw = b'\x00\x01'
        self.flag = True
        self.when = datetime.datetime(2024, 11, 26, 6, 42, 42, 424242)
        self.arr = [1, 2, 0xFFFF]
        self.dyn.append('a')
        self.dyn.append('bc')
        self.names['k'] = 7
        self.point = Point(-1, 'p')

    @gl.public.view
    def dump(self) -> None:
        print(self.a_u8, self.a_u16, self.a_u32, self.a_u64, self.a_u128, self.a_u256)
        print(self.b_i8, self.b_i64, self.b_i256, self.big)
        print(self.addr.as_hex, repr(self.text), self.raw, self.flag, repr(self.when))
        print(list(self.arr), list(self.dyn), dict(self.names.items()), self.point)

    @gl.public.write
    def overflow(self) -> None:
        try:
            self.a_u8 = 256
        except OverflowError:
            print('u8 256: OverflowError')
        try:
            self.b_i8 = -129
        except OverflowError:
            print('i8 -129: OverflowError')
        self.a_u8 = 1
