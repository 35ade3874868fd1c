# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.2 oom; python-sdk.md §6.3; wasm-abi.md §12): a contract that keeps allocating until
# the allocator fails gets Python's MemoryError; uncaught it ends the VM with exit code 1, caught the VM goes on and
# the freed memory is usable again. Each allocation is the 1 GiB buffer of a buffered reader: a malloc nothing writes,
# so the linear memory grows (and is charged) without the test touching gigabytes of pages.
from genlayer import *

_GIB = 1 << 30


def _reserve(keep: list) -> None:
    while True:
        print(f'reserving {len(keep) + 1} GiB')
        keep.append(open(__file__, 'rb', buffering=_GIB))


class Oom(gl.Contract):
    count: u32

    def __init__(self):
        self.count = 1

    @gl.public.write
    def exhaust(self) -> None:
        self.count += 10
        _reserve([])

    @gl.public.write
    def recover(self) -> str:
        keep = []
        try:
            _reserve(keep)
        except MemoryError:
            held = len(keep)
        for reader in keep:
            reader.close()
        keep.clear()
        again = open(__file__, 'rb', buffering=_GIB)
        first = again.read(4)
        again.close()
        self.count += 1
        return f'held {held} GiB, then MemoryError; freed, reserved again: {first!r}'

    @gl.public.view
    def get(self) -> int:
        return self.count
