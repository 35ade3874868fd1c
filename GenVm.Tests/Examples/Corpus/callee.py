# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.7 call_view, §2.10 rollbacks/call_view): the contract called through view().
import json

from genlayer import *


class Callee(gl.Contract):
    value: u32

    def __init__(self):
        self.value = 7

    @gl.public.view
    def foo(self, a: int, b: int) -> int:
        json.loads = None
        print('callee: sender', gl.message.sender_address.as_hex, 'contract', gl.message.contract_address.as_hex)
        return a + b + self.value

    @gl.public.view
    def fail(self) -> None:
        raise gl.vm.UserError('callee says no')

    @gl.public.view
    def write(self) -> None:
        self.value = 1
