"""Contract-to-contract interaction (python-sdk.md §12): proxies, ``deploy_contract``."""

from __future__ import annotations

import typing

from .._internal import host
from ..py.keccak import Keccak256
from ..py.public_abi import StorageType
from ..py.types import Address, Lazy, u256

__all__ = ('ContractProxy', 'get_contract_at', 'contract_interface', 'deploy_contract')

_ON = ('finalized', 'accepted')


def _call_data(method: str | None, args: typing.Sequence[typing.Any], kwargs: typing.Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """MUST (§12.1, §21.1): ``method``, then ``args``/``kwargs`` only when non-empty."""
    data: dict[str, typing.Any] = {}
    if method is not None:
        data['method'] = method
    if args:
        data['args'] = list(args)
    if kwargs:
        data['kwargs'] = dict(kwargs)
    return data


class _ViewMethod:
    def __init__(self, address: Address, name: str, state: int) -> None:
        self._address = address
        self._name = name
        self._state = state

    def lazy(self, *args: typing.Any, **kwargs: typing.Any) -> Lazy[typing.Any]:
        fd = host.send(
            {'CallContract': {'address': self._address, 'calldata': _call_data(self._name, args, kwargs), 'state': self._state}}
        )

        def decode() -> typing.Any:
            from .vm import unpack_result

            if fd is None:
                raise SystemError('host gave no result file')
            return unpack_result(host.decode_sub_vm_result(host.read_fd(fd)))

        return Lazy(decode)

    def __call__(self, *args: typing.Any, **kwargs: typing.Any) -> typing.Any:
        return self.lazy(*args, **kwargs).get()


class _ViewProxy:
    def __init__(self, address: Address, state: int) -> None:
        self._address = address
        self._state = state

    def __getattr__(self, name: str) -> _ViewMethod:
        if name.startswith('_'):
            raise AttributeError(name)
        return _ViewMethod(self._address, name, self._state)


class _EmitProxy:
    def __init__(self, address: Address, value: int, on: str) -> None:
        self._address = address
        self._value = value
        self._on = on

    def __getattr__(self, name: str) -> typing.Callable[..., None]:
        if name.startswith('_'):
            raise AttributeError(name)

        def post(*args: typing.Any, **kwargs: typing.Any) -> None:
            host.send(
                {
                    'PostMessage': {
                        'address': self._address,
                        'calldata': _call_data(name, args, kwargs),
                        'value': self._value,
                        'on': self._on,
                    }
                }
            )

        return post


class ContractProxy:
    """A contract at an address (§12.1)."""

    def __init__(self, address: Address) -> None:
        self.address = address

    @property
    def balance(self) -> u256:
        """Raw host balance (for the own contract not reduced by value sent in this execution, §14)."""
        import _genlayer_wasi

        return u256(_genlayer_wasi.get_balance(self.address.as_bytes))

    def view(self, *, state: StorageType | int = StorageType.LATEST_NON_FINAL) -> typing.Any:
        return _ViewProxy(self.address, int(state))

    def emit(self, *, value: int = u256(0), on: str = 'finalized') -> typing.Any:
        return _EmitProxy(self.address, value, on)

    def emit_transfer(self, *, value: int, on: str = 'finalized') -> None:
        if value <= 0:
            raise ValueError('value must be positive')
        host.send({'PostMessage': {'address': self.address, 'calldata': {}, 'value': value, 'on': on}})


def get_contract_at(address: Address) -> ContractProxy:
    if not isinstance(address, Address):
        raise TypeError('address expected')
    return ContractProxy(address)


def contract_interface(decl: type) -> typing.Callable[[Address], ContractProxy]:
    """Typing aid: a class with nested ``View``/``Write`` classes; returns ``get_contract_at`` itself."""
    return get_contract_at


def deploy_contract(
    *,
    code: bytes,
    args: typing.Sequence[typing.Any] = [],
    kwargs: typing.Mapping[str, typing.Any] = {},
    salt_nonce: int = 0,
    value: int = u256(0),
    on: str = 'finalized',
) -> Address | None:
    """Deploys ``code``; with a non-zero salt returns the deterministic address (§12.3)."""
    host.send(
        {
            'DeployContract': {
                'calldata': _call_data(None, args, kwargs),
                'code': bytes(code),
                'value': value,
                'on': on,
                'salt_nonce': salt_nonce,
            }
        }
    )
    if salt_nonce == 0:
        return None
    from .._internal.msg import message

    digest = Keccak256(
        b'\x01' + message.contract_address.as_bytes + salt_nonce.to_bytes(32, 'big') + int(message.chain_id).to_bytes(32, 'big')
    ).digest()
    return Address(digest[:20])
