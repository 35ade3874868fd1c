# v0.1.10
# { "Depends": "py-genlayer:test" }

# Emits an event (python-sdk.md §13). Events need contract ABI v0.1.5 or later (wasm-abi.md §15), and v0.1.10 is only
# allowed for transactions from 2025-07-10T11:56:59Z on (runners.md §3): run with --datetime 2025-08-01T00:00:00Z.
from genlayer import *


class TestEvent(gl.Event):
    # Indexed values are bound to the alphabetically sorted names (action, user_id), not the declared order.
    def __init__(self, user_id: int, action: str, /, **blob): ...


class Emitter(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def create(self, user_id: int) -> None:
        TestEvent(user_id, "create", memo="hi").emit()
