"""Host requests through ``_genlayer_wasi.gl_call`` (python-sdk.md §18.2, §18.3) and sub-VM result decoding."""

from __future__ import annotations

import os
import typing

import _genlayer_wasi as wasi

from ..py import calldata
from ..py.public_abi import ResultCode

__all__ = ('NO_FILE', 'send', 'send_read', 'read_fd', 'finish')

#: ``gl_call`` returns this instead of a file descriptor when the request has no result file.
NO_FILE = 2**32 - 1


def send(request: typing.Any) -> int | None:
    """Sends one request map; returns the result fd or None. Host refusals raise ``SystemError('<n>: <name>')``."""
    fd = wasi.gl_call(calldata.encode(request))
    return None if fd == NO_FILE else fd


def read_fd(fd: int) -> bytes:
    with os.fdopen(fd, 'rb') as f:
        return f.read()


def send_read(request: typing.Any) -> bytes:
    fd = send(request)
    if fd is None:
        raise SystemError(f'host gave no result for {next(iter(request))}')
    return read_fd(fd)


def finish(kind: typing.Literal['Return', 'Rollback'], value: typing.Any) -> typing.NoReturn:
    """Runs the ``atexit`` handlers, then ``Return``/``Rollback``; the host never returns (§6.3)."""
    encoded = calldata.encode({kind: value})  # encoding errors propagate (exit code 1) before anything runs
    import atexit

    atexit._run_exitfuncs()
    wasi.gl_call(encoded)
    raise SystemError(f'{kind} returned')


def decode_sub_vm_result(data: bytes) -> typing.Any:
    """ResultCode byte + payload (§10.1) → Return / UserError / VMError objects of ``gl.vm``."""
    from ..gl.vm import Return, UserError, VMError

    code = data[0]
    payload = data[1:]
    if code == ResultCode.RETURN:
        return Return(calldata.decode(payload))
    if code == ResultCode.USER_ERROR:
        return UserError(payload.decode('utf-8'))
    if code == ResultCode.VM_ERROR:
        return VMError(payload.decode('utf-8'))
    raise SystemError(f'internal error in sub-VM: {payload!r}')
