# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.8 meth, §2.10 rollbacks, §2.2 method_private/method_init; python-sdk.md §6.1, §6.3):
# how each way of ending a method becomes the executor's result line; rolled-back writes are not kept.
from genlayer import *


class Errors(gl.Contract):
    count: u32

    def __init__(self):
        self.count = 1

    @gl.public.write
    def user_error(self) -> None:
        self.count = 2
        raise gl.vm.UserError('bad input')

    @gl.public.write
    def immediate(self) -> None:
        try:
            gl.advanced.user_error_immediate('at once')
        finally:
            print('finally does not run')

    @gl.public.write
    def exit_code(self, n: int) -> None:
        exit(n)

    @gl.public.write
    def crash(self) -> None:
        raise ValueError('boom')

    def private(self) -> None:
        pass

    @gl.public.view
    def ret(self) -> dict:
        return {'x': 10}

    @gl.public.view
    def get(self) -> int:
        return self.count
