# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.12 trivial, prim_types, complex_types; python-sdk.md §7): #get-schema.
from dataclasses import dataclass
import typing

from genlayer import *


@dataclass
class Pair:
    a: int
    b: str


class Schema(gl.Contract):
    def __init__(self, x: int, *, name: str = ''):
        pass

    @gl.public.view
    def prims(self, a: bool, b: str, c: bytes, d: Address, e: u256, f: None) -> bigint:
        return 0

    @gl.public.write
    def complex(self, a: typing.Optional[str], b: list[int], c: typing.Sequence[Address], d: dict[str, int], e: int | str, /, *, f: Pair) -> tuple[int, str]:
        return (1, 'a')

    @gl.public.write.payable
    def pay(self, anything, *, rep: tuple[int, ...]) -> typing.Any:
        return None

    def hidden(self) -> float:
        return 1.5
