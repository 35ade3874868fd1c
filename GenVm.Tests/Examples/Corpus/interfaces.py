# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.7 call_view_iface, send_message_eth; python-sdk.md §12.1, §15): a typed interface of a
# GenVM contract (called through view()) and of an EVM contract (a write sent as EthSend with ABI calldata).
from genlayer import *


@gl.contract_interface
class CalleeIface:
    class View:
        def foo(self, a: int, b: int) -> int: ...

    class Write:
        pass


@gl.evm.contract_interface
class Token:
    class View:
        pass

    class Write:
        def transfer(self, to: Address, amount: u256, /) -> bool: ...


class Interfaces(gl.Contract):
    def __init__(self):
        pass

    @gl.public.view
    def call(self, other: Address) -> int:
        return CalleeIface(other).view().foo(1, 2)

    @gl.public.write
    def send(self, token: Address, to: Address) -> None:
        Token(token).emit().transfer(to, u256(5))
