# { "Depends": "py-genlayer:test" }

# Fixed sequences of storage operations whose host write log (slot, index, octets, zero-length writes included) is
# compared with python-sdk.md §17 by GenVm.Tests/Examples/CorpusWriteLogTests. Each method uses its own contract class
# layout through a typed view of the contract-instance slot, so the fields of one sequence start at offset 0.
import datetime

from genlayer import *


class Worked(gl.Contract):
    # python-sdk.md §17.9's worked example record.
    a: u8
    m: TreeMap[str, u32]
    arr: DynArray[str]
    b: bigint
    s: str

    def __init__(self):
        pass

    @gl.public.write
    def worked(self) -> None:
        self.a = 7
        self.m['1'] = 12
        self.m['abc'] = 30
        self.arr.append('x')
        self.arr.append('yz')
        self.b = -1
        self.s = 'hi'

    @gl.public.write
    def scalars(self) -> None:
        view = gl.storage.Root.get().get_contract_instance(Scalars)
        for v in (0, 1, -1, 255, 256, -129, 2**63):
            view.big = v
        view.text = 'abc'
        view.text = ''

    @gl.public.write
    def datetimes(self) -> None:
        view = gl.storage.Root.get().get_contract_instance(Times)
        view.when = datetime.datetime(2024, 11, 26, 6, 42, 42, 424242)
        view.when = datetime.datetime(2024, 11, 26, 6, 42, 42, 424242, tzinfo=datetime.timezone(datetime.timedelta(hours=-3)))

    @gl.public.write
    def dynarray(self) -> None:
        a = gl.storage.Root.get().get_contract_instance(Bytes8).a
        a.append(1)
        a.append(2)
        a.append(3)
        del a[0]
        a.pop()
        a.insert(0, 9)
        a.clear()

    @gl.public.write
    def tree(self) -> None:
        m = gl.storage.Root.get().get_contract_instance(Tree).m
        for k in (1, 2, 3):
            m[k] = k + 100
        del m[3]
        del m[2]
        m[5] = 105
        m[7] = 107
        del m[1]
        m[6] = 106


@allow_storage
class Scalars:
    big: bigint
    text: str


@allow_storage
class Times:
    when: datetime.datetime


@allow_storage
class Bytes8:
    a: DynArray[u8]


@allow_storage
class Tree:
    m: TreeMap[u8, u8]
