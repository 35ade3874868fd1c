# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.15 tree_map_nested; python-sdk.md §17.9): a TreeMap of TreeMaps with Address keys,
# inner maps created by get_or_insert_default.
from genlayer import *


class Nested(gl.Contract):
    balances: TreeMap[Address, TreeMap[Address, u256]]

    def __init__(self):
        pass

    @gl.public.write
    def put(self, a: Address, b: Address, v: int) -> None:
        self.balances.get_or_insert_default(a)[b] = u256(v)

    @gl.public.view
    def get(self, a: Address, b: Address) -> int:
        return self.balances[a][b]

    @gl.public.view
    def sizes(self) -> list[int]:
        return [len(self.balances)] + [len(inner) for inner in self.balances.values()]
