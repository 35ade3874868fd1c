# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.12 ret-float; python-sdk.md §7): a float annotation cannot be described.
from genlayer import *


class Floaty(gl.Contract):
    def __init__(self):
        pass

    @gl.public.view
    def get(self) -> float:
        return 1.5
