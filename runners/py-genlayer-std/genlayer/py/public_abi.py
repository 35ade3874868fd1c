"""Constants shared by the SDK and the executor (python-sdk.md §18.6)."""

from __future__ import annotations

import enum

__all__ = (
    'ResultCode',
    'StorageType',
    'EntryKind',
    'MemoryLimiterConsts',
    'SpecialMethod',
    'VmError',
    'EVENT_MAX_TOPICS',
    'ABSENT_VERSION',
    'CODE_SLOT_OFFSET',
)


class ResultCode(enum.IntEnum):
    RETURN = 0
    USER_ERROR = 1
    VM_ERROR = 2
    INTERNAL_ERROR = 3


class StorageType(enum.IntEnum):
    DEFAULT = 0
    LATEST_FINAL = 1
    LATEST_NON_FINAL = 2


class EntryKind(enum.IntEnum):
    MAIN = 0
    SANDBOX = 1
    CONSENSUS_STAGE = 2


class MemoryLimiterConsts(enum.IntEnum):
    TABLE_ENTRY = 64
    FILE_MAPPING = 256
    FD_ALLOCATION = 96


class SpecialMethod(enum.StrEnum):
    GET_SCHEMA = '#get-schema'
    ERRORED_MESSAGE = '#error'


class VmError(enum.StrEnum):
    TIMEOUT = 'timeout'
    EXIT_CODE = 'exit_code'
    VALIDATOR_DISAGREES = 'validator_disagrees'
    VERSION_TOO_BIG = 'version_too_big'
    OOM = 'OOM'
    INVALID_CONTRACT = 'invalid_contract'


EVENT_MAX_TOPICS = 4
ABSENT_VERSION = 'v0.1.0'
CODE_SLOT_OFFSET = 1
