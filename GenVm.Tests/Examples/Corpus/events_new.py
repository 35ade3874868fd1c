# v999.2.0
# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.6 new_ver): a contract version newer than any known one (runners.md §3).
from genlayer import *


class Events(gl.Contract):
    def __init__(self):
        pass
