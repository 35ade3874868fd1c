# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.4 undefined_all, §2.9 error_msg; python-sdk.md §4.1, §6.1): a contract without
# __receive__ or __handle_undefined_method__ (the base versions are abstract) and with the default #error handler.
from genlayer import *


class NoHandlers(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def plain(self) -> None:
        print('plain')
