"""A pure-Python stand-in for the builtin ``_genlayer_wasi`` module (python-sdk.md §18.2), for native tests.

Storage is a dict of slots (slot id → bytearray, extended with zeros by writes, like the hosts of §17). Every write is
appended to ``write_log`` as (slot id, offset, bytes), zero-length writes included. ``gl_call`` requests are decoded
and handed to ``gl_call_handler``; ``Return``, ``Rollback`` and ``MissingRunner`` end the program like the host does.

When the environment variable ``GENLAYER_FAKE_STATE`` names a JSON file, storage is loaded from it at import and the
outcome (``Return``/``Rollback``), the write log, the final storage and every other request are saved to it at exit,
so a contract run in a subprocess can be inspected by a test.
"""

from __future__ import annotations

import json
import os
import sys
import typing

ERRNO_NAMES = ['success', 'overflow', 'inval', 'fault', 'ilseq', 'io', 'forbidden', 'inbalance']

storage: dict[bytes, bytearray] = {}
write_log: list[tuple[bytes, int, bytes]] = []
requests: list[typing.Any] = []
balances: dict[bytes, int] = {}
self_balance = 0
forbid_storage = False


def _fail(code: int) -> typing.NoReturn:
    raise SystemError(f'{code}: {ERRNO_NAMES[code]}')


def storage_read(slot: bytes, off: int, buf: bytearray) -> None:
    if forbid_storage:
        _fail(6)
    if len(slot) != 32:
        _fail(2)
    mem = storage.get(bytes(slot), bytearray())
    chunk = mem[off : off + len(buf)]
    buf[: len(chunk)] = chunk
    buf[len(chunk) :] = bytes(len(buf) - len(chunk))


def storage_write(slot: bytes, off: int, data: typing.Any) -> None:
    if forbid_storage:
        _fail(6)
    data = bytes(data)
    mem = storage.setdefault(bytes(slot), bytearray())
    end = off + len(data)
    if len(mem) < end:
        mem.extend(bytes(end - len(mem)))
    mem[off:end] = data
    write_log.append((bytes(slot), off, data))


def get_balance(address: bytes) -> int:
    return balances.get(bytes(address), 0)


def get_self_balance() -> int:
    return self_balance


class Finished(BaseException):
    """Raised by ``Return``/``Rollback`` in-process (when no state file is used)."""

    def __init__(self, kind: str, value: typing.Any) -> None:
        super().__init__(kind, value)
        self.kind = kind
        self.value = value


#: Result file contents (bytes) per request variant; a request whose variant is listed gets a file with them.
answers: dict[str, bytes] = {}


def default_handler(request: typing.Any) -> int:
    (kind,) = request.keys()
    data = answers.get(kind)
    if data is None:
        return 2**32 - 1
    import tempfile

    fd, path = tempfile.mkstemp()
    os.write(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    os.unlink(path)
    return fd


gl_call_handler: typing.Callable[[typing.Any], int] = default_handler


def gl_call(request: bytes) -> int:
    from genlayer.py import calldata

    decoded = calldata.decode(request)
    if not isinstance(decoded, dict) or len(decoded) != 1:
        _fail(2)
    (kind,) = decoded.keys()
    if kind in ('Return', 'Rollback', 'MissingRunner'):  # MissingRunner: our VM-ending variant (not_shipped.py)
        if _state_file:
            _save({'outcome': kind, 'value': request.hex()})
            sys.stdout.flush()
            os._exit(0)
        raise Finished(kind, decoded[kind])
    requests.append(decoded)
    return gl_call_handler(decoded)


_state_file = os.environ.get('GENLAYER_FAKE_STATE')


def _save(extra: dict[str, typing.Any]) -> None:
    assert _state_file
    data = {
        'storage': {k.hex(): v.hex() for k, v in storage.items()},
        'write_log': [[s.hex(), off, d.hex()] for s, off, d in write_log],
        'requests': [r_hex for r_hex in _request_hex()],
    }
    data.update(extra)
    with open(_state_file, 'w') as f:
        json.dump(data, f)


def _request_hex() -> list[str]:
    from genlayer.py import calldata

    return [calldata.encode(r).hex() for r in requests]


if _state_file and os.path.exists(_state_file):
    with open(_state_file) as f:
        _loaded = json.load(f)
    storage.update({bytes.fromhex(k): bytearray.fromhex(v) for k, v in _loaded.get('storage', {}).items()})
    self_balance = int(_loaded.get('self_balance', 0))
    answers.update({k: bytes.fromhex(v) for k, v in _loaded.get('answers', {}).items()})
    balances.update({bytes.fromhex(k): int(v) for k, v in _loaded.get('balances', {}).items()})
