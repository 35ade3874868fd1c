"""Storage collections and the storage model (python-sdk.md §16, §17)."""

from ._internal.array import Array
from ._internal.core import ROOT_SLOT_ID, InmemManager, Manager, Slot
from ._internal.dynarray import DynArray
from ._internal.generate import allow_storage, copy_to_memory, inmem_allocate
from ._internal.root import Root
from ._internal.treemap import TreeMap
from ._internal.vla import VLA, Indirection

__all__ = (
    'Array',
    'DynArray',
    'TreeMap',
    'VLA',
    'Indirection',
    'Root',
    'ROOT_SLOT_ID',
    'Slot',
    'Manager',
    'InmemManager',
    'allow_storage',
    'inmem_allocate',
    'copy_to_memory',
)
