# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.6 old_ver): without a version header the contract is v0.1.0, which may not emit
# events: the host answers inval (python-sdk.md §13).
from genlayer import *


class Ev(gl.Event):
    def __init__(self, x, /): ...


class Events(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def emit(self) -> None:
        try:
            Ev(1).emit()
        except SystemError as e:
            print('emit:', e)
