"""``genlayer.gl`` (python-sdk.md §1.2). The message (fd 0, §18.1) is read when ``message`` or ``message_raw`` is first used."""

from __future__ import annotations

import importlib
import typing

import _genlayer_wasi as wasi

from .._internal import msg as _msg
from .._internal.msg import MessageRawType, MessageType
from ..py import calldata
from ..py import storage
from ..py.types import *  # noqa: F403 - gl re-exports every public type (gl.u256, gl.Address, ...)
from ..py.types import __all__ as _types_all
from .contract import BaseContract, Contract
from .events import Event
from .proxies import ContractProxy, contract_interface, deploy_contract, get_contract_at
from .public import private, public

__all__ = [
    'Contract',
    'BaseContract',
    'ContractProxy',
    'get_contract_at',
    'contract_interface',
    'deploy_contract',
    'public',
    'private',
    'Event',
    'message',
    'message_raw',
    'MessageType',
    'MessageRawType',
    'calldata',
    'storage',
    'wasi',
    *_types_all,
]

_LAZY = ('nondet', 'eq_principle', 'vm', 'advanced', 'evm')


def __getattr__(name: str) -> typing.Any:
    if name in ('message', 'message_raw'):
        # Read on first use (docs/decisions.md "Python snapshots"), then a plain global.
        value = getattr(_msg, name)
        globals()[name] = value
        return value
    if name in _LAZY:
        return importlib.import_module(f'{__name__}.{name}')
    raise AttributeError(f"module 'genlayer.gl' has no attribute '{name}'")


def trace(*objs: typing.Any, sep: str = ' ') -> None:
    """Sends a log line to the host (contract ABI ≥ v0.1.10)."""
    from .._internal.host import send

    send({'Trace': {'Message': sep.join(str(o) for o in objs)}})


def trace_time_micro() -> int:
    """Microseconds since the VM started (0 in a deterministic VM unless the executor runs in debug mode)."""
    from .._internal.host import read_fd, send

    fd = send({'Trace': {'RuntimeMicroSec': None}})
    if fd is None:
        raise SystemError('host gave no result file')
    return typing.cast(int, calldata.decode(read_fd(fd)))
