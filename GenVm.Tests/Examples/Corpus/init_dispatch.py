# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.8 meth/method_init, meth/method_init_wrong_name; python-sdk.md §6.1): a deployment
# (is_init) always calls the constructor with the call's args; the calldata's method name is not looked at.
from genlayer import *


class InitDispatch(gl.Contract):
    value: u32

    def __init__(self, value: int):
        print('constructor', value)
        self.value = value

    @gl.public.write
    def set(self, value: int) -> None:
        print('set', value)
        self.value = value

    @gl.public.view
    def get(self) -> int:
        return self.value
