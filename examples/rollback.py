# { "Depends": "py-genlayer:test" }

# A write method that rolls back: python-sdk.md §6.3, `gl.vm.UserError(msg)` raised out of the method is the result
# `UserError(msg)` and the storage change made before it is discarded.
from genlayer import *


class Guarded(gl.Contract):
    value: u256

    def __init__(self):
        self.value = 1

    @gl.public.write
    def set_then_refuse(self, v: int) -> None:
        self.value = v
        raise gl.vm.UserError("no")

    @gl.public.write
    def refuse_immediately(self) -> None:
        self.value = 7
        gl.advanced.user_error_immediate("stop")

    @gl.public.view
    def get(self) -> int:
        return self.value
