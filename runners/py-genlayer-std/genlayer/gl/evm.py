"""``gl.evm``: proxies of EVM contracts (python-sdk.md §15)."""

from __future__ import annotations

import inspect
import typing

from .._internal import host
from ..py.evm import *  # noqa: F403 - gl.evm re-exports the codec (encode, decode, bytes32, ...)
from ..py.evm import MethodEncoder
from ..py.types import Address, Lazy, u256

__all__ = ('contract_interface', 'ContractProxy', 'ContractDeclaration', 'MethodEncoder')


class ContractDeclaration(typing.Protocol):
    View: type
    Write: type


def _encoders(cls: type | None) -> dict[str, MethodEncoder]:
    out: dict[str, MethodEncoder] = {}
    if cls is None:
        return out
    for name, fn in inspect.getmembers(cls, inspect.isfunction):
        if name.startswith('_'):
            continue
        hints = typing.get_type_hints(fn)
        params = []
        for p in list(inspect.signature(fn).parameters.values())[1:]:
            if p.kind != inspect.Parameter.POSITIONAL_ONLY or p.default is not inspect.Parameter.empty:
                raise TypeError(f'EVM method parameters must be positional-only without defaults: {name}.{p.name}')
            if p.name not in hints:
                raise TypeError(f'EVM method parameters must be annotated: {name}.{p.name}')
            params.append(hints[p.name])
        out[name] = MethodEncoder(name, params, hints.get('return', None))
    return out


class _ViewMethod:
    def __init__(self, address: Address, encoder: MethodEncoder) -> None:
        self._address = address
        self._encoder = encoder

    def lazy(self, *args: typing.Any) -> Lazy[typing.Any]:
        fd = host.send({'EthCall': {'address': self._address, 'calldata': self._encoder.encode_call(args)}})

        def decode() -> typing.Any:
            if fd is None:
                raise SystemError('host gave no result file')
            return self._encoder.decode_ret(host.read_fd(fd))

        return Lazy(decode)

    def __call__(self, *args: typing.Any) -> typing.Any:
        return self.lazy(*args).get()


class _Methods:
    def __init__(self, address: Address, encoders: dict[str, MethodEncoder], write: bool) -> None:
        self._address = address
        self._encoders = encoders
        self._write = write

    def __getattr__(self, name: str) -> typing.Any:
        encoder = self._encoders.get(name)
        if encoder is None:
            raise AttributeError(name)
        if not self._write:
            return _ViewMethod(self._address, encoder)

        def send(*args: typing.Any) -> None:
            # QUIRK (§15): the value given to emit() is not sent with method calls (always 0).
            host.send({'EthSend': {'address': self._address, 'calldata': encoder.encode_call(args), 'value': 0}})

        return send


class ContractProxy:
    def __init__(self, address: Address, view: dict[str, MethodEncoder], write: dict[str, MethodEncoder]) -> None:
        self.address = address
        self._view = view
        self._write = write

    @property
    def balance(self) -> u256:
        import _genlayer_wasi

        return u256(_genlayer_wasi.get_balance(self.address.as_bytes))

    def view(self) -> typing.Any:
        return _Methods(self.address, self._view, False)

    def emit(self, *, value: int = 0) -> typing.Any:
        return _Methods(self.address, self._write, True)

    def emit_transfer(self, *, value: int) -> None:
        host.send({'EthSend': {'address': self.address, 'calldata': b'', 'value': value}})


def contract_interface(decl: type) -> typing.Callable[[Address], ContractProxy]:
    """Class decorator: nested ``View``/``Write`` classes declare the methods; returns a proxy factory."""
    view = _encoders(getattr(decl, 'View', None))
    write = _encoders(getattr(decl, 'Write', None))

    def factory(address: Address) -> ContractProxy:
        return ContractProxy(address, view, write)

    return factory
