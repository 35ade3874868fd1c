# v0.1.5
# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.6 post_event; python-sdk.md §13): events need contract ABI v0.1.5 (allowed for
# transactions from 2025-07-10T11:56:59Z on, runners.md §3). Indexed values bind to the sorted names; an encoded value
# longer than 32 octets becomes its Keccak-256.
from genlayer import *


class TestEvent(gl.Event):
    def __init__(self, user_id, action, /, **blob): ...


class Renamed(gl.Event):
    name = 'Moved'

    def __init__(self, who: Address, /): ...


class Events(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def emit(self) -> None:
        TestEvent(42, 'a' * 40, memo='hi').emit()
        Renamed(Address('0x' + '22' * 20)).emit()
        gl.advanced.emit_raw_event([b'\x01' * 32], {'raw': True})
        print(TestEvent.signature, Renamed.signature)
