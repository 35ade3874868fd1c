"""GenLayer intelligent-contract SDK (python-sdk.md §1.1)."""

from __future__ import annotations

import importlib
import typing

from .py.storage import Array, DynArray, TreeMap, allow_storage
from .py.types import *  # noqa: F403
from .py.types import Address, Keccak256, bigint

__all__ = (
    ['gl', 'Address', 'allow_storage', 'Array', 'DynArray', 'TreeMap', 'Keccak256', 'bigint']
    + [f'u{b}' for b in range(8, 257, 8)]
    + [f'i{b}' for b in range(8, 257, 8)]
)


class _GlProxy:
    """Stands for ``genlayer.gl`` until first use (§1.1): code that never touches ``gl`` does not import it."""

    __slots__ = ()

    def _module(self) -> typing.Any:
        # Importing the submodule also rebinds ``genlayer.gl`` to the real module in this package's globals.
        return importlib.import_module('genlayer.gl')

    def __getattr__(self, name: str) -> typing.Any:
        return getattr(self._module(), name)

    def __dir__(self) -> list[str]:
        return dir(self._module())

    def __reduce__(self) -> tuple[typing.Any, tuple[str]]:
        # cloudpickle/pickle: a reference to the module, never its contents.
        return (importlib.import_module, ('genlayer.gl',))

    def __repr__(self) -> str:
        return "<lazy module 'genlayer.gl'>"


gl: typing.Any = _GlProxy()
