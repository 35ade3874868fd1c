# Corpus (contract-corpus.md §2.13 multi-file, §3 row 12; runners.md §2, §7): a zip contract. runner.json depends on
# py-genlayer-multi, which maps the archive's contract/ package to /contract/; the runner imports it as `contract`.
# The package imports a sibling module and reads a data file of the package from the VM's file system.
from genlayer import *

from . import lib


class Multi(gl.Contract):
    total: u32

    def __init__(self, start: int):
        self.total = lib.double(start)

    @gl.public.write
    def add(self, n: int) -> int:
        self.total = lib.double(self.total + n)
        return self.total

    @gl.public.view
    def note(self) -> str:
        with open('/contract/note.txt') as f:
            return f.read().strip() + ' / ' + lib.__name__

    @gl.public.view
    def probe(self, path: str) -> str:
        # Paths the archive's odd member names could have reached: none of them exists in the VM.
        try:
            with open(path, 'rb') as f:
                return 'found ' + str(len(f.read()))
        except OSError as e:
            return type(e).__name__
