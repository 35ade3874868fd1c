# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.15 locking/default-frozen, modify_ctor, modify_later; python-sdk.md §16, §17.10;
# host-protocol.md §7.1, §12): the root record's locked slots and upgraders. Deployment locks root, code, locked slots
# and upgraders; the constructor adds upgraders. Rewriting the code slot is refused (6: forbidden) unless the sender is
# an upgrader or the write happens during deployment (the locked set is read before the transaction starts).
from genlayer import *

PATCHED = b'''# { "Depends": "py-genlayer:test" }
print('patched code runs')
exit(30)
'''


class Locking(gl.Contract):
    note: str

    def __init__(self, upgraders: list[Address], patch_now: bool):
        gl.storage.Root.get().upgraders.get().extend(upgraders)
        self.note = 'deployed'
        self.show()
        if patch_now:
            self.patch()

    def show(self) -> None:
        root = gl.storage.Root.get()
        print('locked', list(root.locked_slots.get()))
        print('upgraders', [a.as_hex for a in root.upgraders.get()])

    @gl.public.write
    def patch(self) -> None:
        code = gl.storage.Root.get().code.get()
        try:
            code.truncate()
        except SystemError as e:
            print('truncate:', e)
        else:
            code.extend(PATCHED)
        print('patched', code.slot().read(4, len(code)) == PATCHED, len(code))

    @gl.public.write
    def touch(self, text: str) -> str:
        # Contract fields are not locked by default: any sender may write them.
        self.note = text
        return self.note
