# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.9 multi_contract; python-sdk.md §4.1): a second gl.Contract subclass is a TypeError at
# class creation, so importing the contract fails (exit code 1).
from genlayer import *


class First(gl.Contract):
    def __init__(self):
        pass


class Second(gl.Contract):
    def __init__(self):
        pass
