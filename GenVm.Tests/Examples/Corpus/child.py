# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.7 deploy_salt, python-sdk.md §12.3): the child that factory.py deploys with
# gl.deploy_contract; the test runs its deployment at the derived address and then calls into it.
from genlayer import *


class Child(gl.Contract):
    owner: Address
    count: u32

    def __init__(self, start: int):
        self.owner = gl.message.sender_address
        self.count = start

    @gl.public.write
    def bump(self) -> int:
        self.count += 1
        return self.count

    @gl.public.view
    def describe(self) -> str:
        return f'{self.count} owned by {self.owner.as_hex}'
