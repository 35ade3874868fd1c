"""The schema generator (python-sdk.md §7): type mapping, ordering, compact JSON."""

import collections.abc
import dataclasses
import typing
import unittest

from tests.support import install_message

install_message()

from genlayer import gl  # noqa: E402
from genlayer.py.get_schema import get_schema, schema_of_type  # noqa: E402
from genlayer.py.storage import DynArray, TreeMap  # noqa: E402
from genlayer.py.types import Address, bigint, i64, u256  # noqa: E402


@dataclasses.dataclass
class Point:
    x: int
    y: str


class TD(typing.TypedDict):
    a: int


class SchemaTypeTests(unittest.TestCase):
    def test_mapping(self) -> None:
        cases: list[tuple[object, object]] = [
            (None, 'null'),
            (type(None), 'null'),
            (bool, 'bool'),
            (int, 'int'),
            (u256, 'int'),
            (i64, 'int'),
            (bigint, 'int'),
            (str, 'string'),
            (bytes, 'bytes'),
            (Address, 'address'),
            (list, 'array'),
            (DynArray, 'array'),
            (dict, 'dict'),
            (TD, 'dict'),
            (TreeMap, 'dict'),
            (typing.Any, 'any'),
            (int | None, {'$or': ['int', 'null']}),
            (typing.Optional[str], {'$or': ['string', 'null']}),
            (typing.Union[bytes, int, None], {'$or': ['bytes', 'int', 'null']}),
            (Point, {'x': 'int', 'y': 'string'}),
            (dict[str, u256], {'$dict': 'int'}),
            (collections.abc.Mapping[str, list[int]], {'$dict': [{'$rep': 'int'}]}),
            (tuple[int, ...], [{'$rep': 'int'}]),
            (tuple[int, str], ['int', 'string']),
            (list[Address], [{'$rep': 'address'}]),
            (collections.abc.Sequence[bool], [{'$rep': 'bool'}]),
            (DynArray[str], [{'$rep': 'string'}]),
            (typing.Literal['a', 'b'], 'any'),
        ]
        for tp, expected in cases:
            with self.subTest(tp=tp):
                self.assertEqual(schema_of_type(tp), expected)

    def test_unsupported(self) -> None:
        for tp in (float, 'int', object, set[int]):
            with self.subTest(tp=tp):
                with self.assertRaises(TypeError):
                    schema_of_type(tp)
        with self.assertRaises(AssertionError):
            schema_of_type(dict[int, int])


class SchemaContractTests(unittest.TestCase):
    def test_full_schema_bytes(self) -> None:
        class C:
            def __init__(self, a: int, /, b: str, *, c: bool = False, **unused: int) -> None: ...

        with self.assertRaises(TypeError):
            get_schema(C)

        class D:
            def __init__(self, a: int, *, x: int = 0) -> None: ...

            @gl.public.view
            def zeta(self) -> None: ...

            @gl.public.write.min_gas(leader=0, validator=7).payable
            def alpha(self, v: u256, *, note: str | None = None) -> list[str]:
                return []

            @gl.public.write
            def beta(self, x):  # no annotations → any
                return x

            def private(self) -> None: ...

        self.assertEqual(
            get_schema(D),
            '{"ctor":{"params":[["a","int"]],"kwparams":{"x":"int"}},'
            '"methods":{"alpha":{"params":[["v","int"]],"kwparams":{"note":{"$or":["string","null"]}},'
            '"min_gas_validator":7,"readonly":false,"ret":[{"$rep":"string"}],"payable":true},'
            '"beta":{"params":[["x","any"]],"kwparams":{},"readonly":false,"ret":"any","payable":false},'
            '"zeta":{"params":[],"kwparams":{},"readonly":true,"ret":"null"}}}',
        )

    def test_public_dunder_fails(self) -> None:
        class E:
            def __init__(self) -> None: ...

            @gl.public.write.payable
            def __receive__(self) -> None: ...

        with self.assertRaises(TypeError):
            get_schema(E)

    def test_init_must_be_in_class_and_private(self) -> None:
        class F:
            @gl.public.write
            def __init__(self) -> None: ...

        with self.assertRaises(TypeError):
            get_schema(F)

        class G:
            pass

        with self.assertRaises(TypeError):
            get_schema(G)


class LazyGlTests(unittest.TestCase):
    def test_lazy_attributes(self) -> None:
        import genlayer

        self.assertEqual(gl.message.contract_address, Address(b'\x01' + bytes(19)))
        self.assertIs(genlayer.gl, __import__('genlayer.gl').gl)
        self.assertTrue(hasattr(gl.vm, 'run_nondet'))
        with self.assertRaises(AttributeError):
            gl.not_there
        self.assertEqual(gl.vm.UserError('RB'), gl.vm.UserError('RB'))
        self.assertEqual(repr(gl.vm.Return(None)), 'Return(calldata=None)')
        self.assertEqual(repr(gl.vm.VMError('exit_code 1')), "VMError(message='exit_code 1')")
        self.assertEqual(str(gl.vm.UserError('RB')), "UserError(message='RB')")

    def test_star_import_surface(self) -> None:
        scope: dict[str, object] = {}
        exec('from genlayer import *', scope)
        names = set(scope) - {'__builtins__'}
        expected = {'gl', 'Address', 'allow_storage', 'Array', 'DynArray', 'TreeMap', 'Keccak256', 'bigint'}
        expected |= {f'u{b}' for b in range(8, 257, 8)} | {f'i{b}' for b in range(8, 257, 8)}
        self.assertEqual(names, expected)


if __name__ == '__main__':
    unittest.main()
