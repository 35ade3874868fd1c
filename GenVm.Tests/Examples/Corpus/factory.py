# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.7 deploy_salt, call_view; python-sdk.md §12.1, §12.3): a contract that deploys a
# child from code it is given (salt 1 → a deterministic address), remembers the address and later reads the child
# through a view proxy.
from genlayer import *


class Factory(gl.Contract):
    child: Address

    def __init__(self):
        pass

    @gl.public.write
    def make(self, code: bytes) -> str:
        self.child = gl.deploy_contract(code=code, args=[5], salt_nonce=1)
        return self.child.as_hex

    @gl.public.view
    def read(self) -> str:
        return gl.get_contract_at(self.child).view().describe()

    @gl.public.write
    def make_unsalted(self, code: bytes, starts: list) -> None:
        # Salt 0: the node chooses the addresses; deploy_contract returns None (python-sdk.md §12.3).
        for start in starts:
            assert gl.deploy_contract(code=code, args=[start]) is None
