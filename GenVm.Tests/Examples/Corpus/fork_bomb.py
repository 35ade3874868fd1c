# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.2 fork_bomb; python-sdk.md §10.2; wasm-abi.md §12): every sandbox spawns another one
# inside itself. Sub-VMs of one mode share the transaction's memory pool and keep their charges while they run, so
# the nesting ends when a VM no longer fits: the innermost spawn returns VMError('OOM') as a value. When the nested
# VMs end, their memory goes back to the pool and a new sandbox runs again.
from genlayer import *


def _nest():
    inner = gl.vm.spawn_sandbox(_nest)
    if isinstance(inner, gl.vm.Return):
        return inner.calldata
    print(inner.message)
    return 'stopped'


class ForkBomb(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def bomb(self) -> str:
        outcome = _nest()
        after = gl.vm.spawn_sandbox(lambda: 'after')
        return f'{outcome} {after!r}'
