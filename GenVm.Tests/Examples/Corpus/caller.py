# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.7 call_view, send_message, deploy_salt; §2.10 rollbacks/call_view): one contract
# calling another deployed in the same state through view(), messages, a deploy with salt.
import json

from genlayer import *


class Caller(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def call(self, other: Address) -> int:
        callee = gl.get_contract_at(other)
        result = callee.view().foo(1, 2)
        print('caller: json.loads is still', json.loads.__name__)
        try:
            callee.view().fail()
        except gl.vm.UserError as e:
            print('caught', repr(e.message))
        return result

    @gl.public.write
    def call_write(self, other: Address) -> None:
        gl.get_contract_at(other).view().write()

    @gl.public.write
    def send(self, other: Address) -> None:
        gl.get_contract_at(other).emit(on='accepted').foo(1, 2)
        print(gl.deploy_contract(code=b'\x00asm', salt_nonce=1).as_hex)
        try:
            gl.get_contract_at(other).emit(on='random').foo()
        except SystemError as e:
            print('on=random:', e)
