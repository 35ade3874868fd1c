# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.8 ret/returns, §2.15 gvm-89, to_str, alloc_generic, alloc_generic_err, §2.9 store_proxy,
# §2.14 issue_163; python-sdk.md §3.2, §6.4, §16, §17.5, §17.7): return-value encodings, storage views as return
# values and in str(), generic storage classes, view aliasing and assigning a dict to a TreeMap field.
import datetime
import typing
from dataclasses import dataclass

from genlayer import *


@allow_storage
@dataclass
class Foo:
    x: DynArray[str]


@allow_storage
@dataclass
class User:
    name: str
    birthday: datetime.datetime


@allow_storage
@dataclass
class Gen[T]:
    item: T
    tag: str


class Returns(gl.Contract):
    items: DynArray[Foo]
    user: User
    names: DynArray[str]
    table: TreeMap[str, u32]

    def __init__(self):
        pass

    @gl.public.view
    def addr(self) -> Address:
        return Address(b'a' * 20)

    @gl.public.view
    def text(self) -> str:
        return 'abc'

    @gl.public.view
    def numbers(self) -> list[int]:
        return [5, -3, 0]

    @gl.public.view
    def raw(self) -> bytes:
        return b'\x01\x02'

    @gl.public.view
    def flags(self) -> list[typing.Any]:
        return [True, False, None]

    @gl.public.view
    def addrs(self) -> list[Address]:
        return [Address(b'a' * 20), Address(b'b' * 20)]

    @gl.public.view
    def mapping(self) -> dict[str, typing.Any]:
        return {'b': 1, 'a': [True]}

    @gl.public.view
    def past_end(self) -> int:
        return [1][3]

    @gl.public.write
    def fill(self) -> DynArray[Foo]:
        self.items.append(Foo(['123']))
        return self.items

    @gl.public.view
    def show_user(self) -> str:
        return str(self.user)

    @gl.public.view
    def generic(self) -> str:
        g = gl.storage.inmem_allocate(Gen[bytes], b'\x07', 'seven')
        try:
            Gen[bytes](b'\x07', 'seven')
        except TypeError as e:
            return f'{g.item!r} {g.tag} | {e}'
        return 'constructed'

    @gl.public.write
    def alias(self) -> str:
        self.names.append('first')
        view = self.names
        self.names = ['second', 'third']
        return ','.join(view)

    @gl.public.write
    def assign_dict(self) -> str:
        try:
            self.table = {'k': 1}
        except AssertionError as e:
            return str(e)
        return 'assigned'
