"""``gl.advanced`` (python-sdk.md §16)."""

from __future__ import annotations

import typing

from .._internal import host

__all__ = ('user_error_immediate', 'emit_raw_event')


def user_error_immediate(reason: str) -> typing.NoReturn:
    """Rollback right now: no unwinding, ``finally`` blocks do not run (§6.3)."""
    import _genlayer_wasi

    from ..py import calldata

    _genlayer_wasi.gl_call(calldata.encode({'Rollback': reason}))
    raise SystemError('Rollback returned')


def emit_raw_event(topics: list[bytes], blob: dict[str, typing.Any]) -> None:
    host.send({'EmitEvent': {'topics': topics, 'blob': blob}})
