# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.4 balance, undefined_*; python-sdk.md §14): own balance minus what this VM sent,
# proxy balances, transfers, payable checks.
from genlayer import *


class Balances(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def transfer(self, to: Address) -> None:
        me = gl.get_contract_at(gl.message.contract_address)
        print(self.balance, me.balance)
        gl.get_contract_at(to).emit_transfer(value=5)
        print(self.balance, me.balance, me.view().seen())
        try:
            gl.get_contract_at(to).emit_transfer(value=6)
        except SystemError as e:
            print('too much:', e)

    @gl.public.view
    def seen(self) -> str:
        return f'{self.balance}/{gl.get_contract_at(gl.message.contract_address).balance}'

    @gl.public.write.payable
    def deposit(self) -> int:
        return gl.message.value

    @gl.public.write
    def free(self) -> None:
        pass

    @gl.public.write.payable
    def __receive__(self) -> None:
        print('received', gl.message.value)
