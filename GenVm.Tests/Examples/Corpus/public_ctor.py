# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.9 pub_ctor; python-sdk.md §6.1): a public __init__ cannot be the constructor.
from genlayer import *


class PublicCtor(gl.Contract):
    @gl.public.write
    def __init__(self):
        print('never printed')
