"""``gl.public`` / ``gl.private`` decorators (python-sdk.md §4.2): they only set attributes on the function."""

from __future__ import annotations

import typing

__all__ = ('public', 'private')

F = typing.TypeVar('F', bound=typing.Callable[..., typing.Any])


def _mark(fn: F, *, readonly: bool, payable: bool = False, leader: int | None = None, validator: int | None = None) -> F:
    setattr(fn, '__gl_public__', True)
    setattr(fn, '__gl_readonly__', readonly)
    if payable:
        setattr(fn, '__gl_payable__', True)
    if leader is not None:
        setattr(fn, '__gl_min_gas_leader__', leader)
    if validator is not None:
        setattr(fn, '__gl_min_gas_validator__', validator)
    return fn


class _MinGas:
    """``@gl.public.write.min_gas(leader=L, validator=V)`` and its ``.payable``."""

    def __init__(self, leader: int, validator: int) -> None:
        self._leader = leader
        self._validator = validator

    def __call__(self, fn: F) -> F:
        return _mark(fn, readonly=False, leader=self._leader, validator=self._validator)

    def payable(self, fn: F) -> F:
        return _mark(fn, readonly=False, payable=True, leader=self._leader, validator=self._validator)


class _Write:
    def __call__(self, fn: F) -> F:
        return _mark(fn, readonly=False)

    def payable(self, fn: F) -> F:
        return _mark(fn, readonly=False, payable=True)

    def min_gas(self, *, leader: int, validator: int) -> _MinGas:
        return _MinGas(leader, validator)


class _Public:
    write = _Write()

    @staticmethod
    def view(fn: F) -> F:
        return _mark(fn, readonly=True)


public = _Public()


def private(fn: F) -> F:
    """No-op: methods are private by default."""
    return fn
