# Smoke test of the builtin _genlayer_wasi (python-sdk.md §18.2) in python-genlayer.wasm, run by build-python.sh under
# node with run-node.mjs --genlayer-stub (an in-memory genlayer_sdk host). Every line checks a value.
import sys

import _genlayer_wasi as w

assert "_genlayer_wasi" in sys.builtin_module_names
slot = bytes(range(32))
w.storage_write(slot, 3, b"abc")
buf = bytearray(8)
w.storage_read(slot, 1, buf)
assert bytes(buf) == b"\0\0abc\0\0\0", buf
w.storage_write(memoryview(slot), 0, memoryview(b"xy"))
small = bytearray(2)
w.storage_read(slot, 0, memoryview(small))
assert small == b"xy", small
w.storage_read(slot, 0, bytearray(0))
try:
    w.storage_read(b"\xff" * 32, 0, bytearray(1))
    raise AssertionError("no error")
except SystemError as e:
    assert str(e) == "6: forbidden", e
try:
    w.storage_write(slot[:31], 0, b"")
    raise AssertionError("short slot accepted")
except ValueError:
    pass
try:
    w.storage_write(slot, -1, b"")
    raise AssertionError("negative offset accepted")
except OverflowError:
    pass
try:
    w.storage_read(slot, 0, b"immutable")
    raise AssertionError("read-only buffer accepted")
except BufferError:
    pass
address = bytes(range(1, 21))
assert w.get_balance(address) == int.from_bytes(address, "little")
assert w.get_self_balance() == 2**256 - 1
assert w.gl_call(b"\x06") == 2**32 - 1
try:
    w.gl_call(b"")
    raise AssertionError("no error")
except SystemError as e:
    assert str(e) == "2: inval", e
print("smoke-genlayer: ok")
