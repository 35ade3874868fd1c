# { "Depends": "py-genlayer:test" }

# A first intelligent contract: `bash scripts/demo` deploys it and calls it with `genvm exec`.
# (The header above must be the only leading comment block: runners.md §2 reads it as JSON.)
from genlayer import *


class Counter(gl.Contract):
    value: u256
    last_step: TreeMap[str, u256]

    def __init__(self, start: int):
        self.value = start

    @gl.public.write
    def add(self, by: int) -> int:
        self.value += by
        self.last_step[gl.message.sender_address.as_hex] = by
        return self.value

    @gl.public.view
    def get(self) -> int:
        return self.value
