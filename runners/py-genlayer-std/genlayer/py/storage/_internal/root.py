"""The root record at slot ``0^32`` (python-sdk.md §17.10)."""

from __future__ import annotations

import typing

from ...types import Address, u8, u256
from .core import ROOT_SLOT_ID, Manager, Slot, WasiManager
from .generate import generate_storage, allow_storage
from .vla import VLA, Indirection

__all__ = ('Root', 'ROOT_SLOT_ID', 'contract_manager')

T = typing.TypeVar('T')

_manager: list[Manager] = []


def contract_manager() -> Manager:
    """The manager of the executing contract's storage (one per VM)."""
    if not _manager:
        _manager.append(WasiManager())
    return _manager[0]


@allow_storage
class Root:
    """Root record: the contract instance lives in ``child(0^32, 0)``; code, locked slots and upgraders follow."""

    contract_instance: Indirection[None]
    code: Indirection[VLA[u8]]
    locked_slots: Indirection[VLA[u256]]
    upgraders: Indirection[VLA[Address]]

    @staticmethod
    def get(manager: Manager | None = None) -> Root:
        """The root view of the contract's storage (or of ``manager``'s)."""
        desc = generate_storage(Root)
        slot = (manager or contract_manager()).get_store_slot(ROOT_SLOT_ID)
        return typing.cast(Root, desc.get(slot, 0))

    def slot(self) -> Slot:
        return typing.cast(Slot, self._gl_slot)  # type: ignore[attr-defined]

    def get_contract_instance(self, contract_type: type[T]) -> T:
        """A view of ``contract_type`` at offset 0 of ``child(root, 0)``."""
        return typing.cast(T, generate_storage(contract_type).get(self.contract_instance.slot(), 0))

    def lock_default(self) -> None:
        """Appends the ids of the root, code, locked_slots and upgraders slots to ``locked_slots`` (§17.10)."""
        locked = self.locked_slots.get()
        for slot in (self.slot(), self.code.slot(), self.locked_slots.slot(), self.upgraders.slot()):
            locked.append(slot.as_int())
