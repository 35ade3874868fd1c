# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.4 balance_eth; python-sdk.md §14, §15): value sent to an EVM ("ghost") contract.
# emit_transfer(value=v) is an EthSend with empty calldata and value v, and it lowers self.balance like a message;
# the proxy's .balance is the host's raw balance; a write method's .emit(value=...) sends value 0 (the reference's
# quirk); more than the balance is 7: inbalance.
from genlayer import *


@gl.evm.contract_interface
class Vault:
    class View:
        pass

    class Write:
        def deposit(self, amount: u256, /) -> None: ...


class EvmBalance(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def pay(self, vault: Address) -> None:
        me = gl.get_contract_at(gl.message.contract_address)
        print(self.balance, me.balance, Vault(vault).balance)
        Vault(vault).emit_transfer(value=5)
        print(self.balance, me.balance, me.view().seen())
        Vault(vault).emit(value=3).deposit(u256(2))
        print(self.balance)
        try:
            Vault(vault).emit_transfer(value=6)
        except SystemError as e:
            print('too much:', e)

    @gl.public.view
    def seen(self) -> str:
        return f'{self.balance}/{gl.get_contract_at(gl.message.contract_address).balance}'
