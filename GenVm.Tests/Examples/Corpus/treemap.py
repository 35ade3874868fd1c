# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.15 storage_tree_map, persists; python-sdk.md §17.9): an AVL TreeMap filled, emptied
# in part and refilled across transactions; the state bytes show the rebalanced shape and the free list.
from genlayer import *


class Tree(gl.Contract):
    m: TreeMap[u8, u8]

    def __init__(self):
        pass

    @gl.public.write
    def put(self, keys: list[int]) -> None:
        for k in keys:
            self.m[k] = k + 100

    @gl.public.write
    def remove(self, keys: list[int]) -> None:
        for k in keys:
            del self.m[k]
        try:
            del self.m[200]
        except KeyError as e:
            print('absent:', repr(e))

    @gl.public.view
    def show(self) -> None:
        print(len(self.m), list(self.m.keys()), self.m.get(3), 4 in self.m, self.m.get(250, 'none'))
        print(repr(self.m))
