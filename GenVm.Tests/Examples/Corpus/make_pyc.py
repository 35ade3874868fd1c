# { "Depends": "py-genlayer:test" }

# Helper of the corpus zip/zip case (contract-corpus.md §2.13; python-sdk.md §19.5): compiles a small contract with
# the runner's own CPython 3.13 into an unchecked hash-based .pyc and prints it as hex, so the test can put bytecode
# of the interpreter's exact version into a zip contract.
import importlib._bootstrap_external as bootstrap
import importlib.util

SOURCE = b'''from genlayer import *


class FromBytecode(gl.Contract):
    def __init__(self):
        pass

    @gl.public.view
    def hello(self) -> str:
        return 'from bytecode'
'''

code = compile(SOURCE, '/contract.py', 'exec')
print(bootstrap._code_to_hash_pyc(code, importlib.util.source_hash(SOURCE), checked=False).hex())
exit(0)
