"""``gl.Contract`` (python-sdk.md §4.1): the one storage-backed contract class of the program."""

from __future__ import annotations

import abc
import typing

from ..py.get_schema import get_schema
from ..py.storage._internal.generate import generate_storage
from ..py.types import Address, u256
from .public import public

__all__ = ('Contract', 'BaseContract', 'contract_class')

_contract: list[type] = []


def contract_class() -> type | None:
    """The ``gl.Contract`` subclass defined by the program, if any."""
    return _contract[0] if _contract else None


@typing.runtime_checkable
class BaseContract(typing.Protocol):
    """What every contract offers (typing aid)."""

    @property
    def balance(self) -> u256: ...

    @property
    def address(self) -> Address: ...


class Contract:
    """Base class of intelligent contracts. Annotated class attributes are the persistent fields (§4.1, §17)."""

    def __init_subclass__(cls, **kwargs: typing.Any) -> None:
        super().__init_subclass__(**kwargs)
        if _contract:
            raise TypeError(f'only one contract is allowed; {_contract[0].__qualname__} is already defined, got {cls.__qualname__}')
        _contract.append(cls)
        cls.__gl_allow_storage__ = True  # type: ignore[attr-defined]
        generate_storage(cls)

    @property
    def balance(self) -> u256:
        """Own balance minus the value already sent by this VM (§14); deterministic VM only."""
        import _genlayer_wasi

        return u256(_genlayer_wasi.get_self_balance())

    @property
    def address(self) -> Address:
        from .._internal.msg import message

        return message.contract_address

    @abc.abstractmethod
    def __handle_undefined_method__(self, method_name: str, args: list[typing.Any], kwargs: dict[str, typing.Any]) -> typing.Any:
        """Fallback for unknown methods; override it and decorate it ``@gl.public.write`` to use it."""
        raise NotImplementedError

    @abc.abstractmethod
    def __receive__(self) -> None:
        """Plain value transfers; override it as ``@gl.public.write.payable`` to use it."""
        raise NotImplementedError

    @public.write.payable
    def __on_errored_message__(self) -> None:
        """Called for the special method ``#error``; does nothing by default."""

    @classmethod
    def __get_schema__(cls) -> str:
        return get_schema(cls)
