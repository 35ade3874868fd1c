# { "Depends": "py-genlayer:test" }

# Messages that `genvm exec --apply-messages` applies (docs/decisions.md "genvm exec applies messages"): calls and
# transfers emitted to another deployment of this contract, a failing receiver, a transfer to an account without code,
# and a ping-pong that never ends by itself.
from genlayer import *


class Messages(gl.Contract):
    hits: u256
    received: u256

    def __init__(self):
        pass

    @gl.public.write
    def send(self, other: Address, n: int) -> None:
        peer = gl.get_contract_at(other)
        peer.emit().hit(n)
        peer.emit(on='accepted').hit(100)
        peer.emit_transfer(value=3)

    @gl.public.write
    def send_failing(self, other: Address, nobody: Address) -> None:
        gl.get_contract_at(other).emit(value=2).hit(1)
        gl.get_contract_at(nobody).emit_transfer(value=4)

    @gl.public.write
    def hit(self, n: int) -> None:
        self.hits += n
        print('hit', n, 'from', gl.message.sender_address.as_hex, 'total', self.hits)

    @gl.public.write
    def ping(self, other: Address, left: int) -> None:
        if left > 0:
            gl.get_contract_at(other).emit().ping(gl.message.contract_address, left - 1)

    @gl.public.write.payable
    def __receive__(self) -> None:
        self.received += gl.message.value
        print('received', gl.message.value, 'balance', self.balance)

    @gl.public.view
    def show(self) -> str:
        return f'{self.hits} {self.received}'
