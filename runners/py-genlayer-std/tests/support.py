"""Test setup shared by every module: the SDK and the fake ``_genlayer_wasi`` on ``sys.path``, UTC local time."""

from __future__ import annotations

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SDK_ROOT = os.path.dirname(HERE)
FAKE_DIR = os.path.join(HERE, 'fake')

for _p in (FAKE_DIR, SDK_ROOT):
    if _p not in sys.path:
        sys.path.insert(0, _p)

# GenVM's local time zone is UTC (python-sdk.md §19.3); naive datetimes depend on it.
os.environ['TZ'] = 'UTC'
time.tzset()


def h(text: str) -> bytes:
    """Hex with optional spaces to bytes."""
    return bytes.fromhex(text.replace(' ', ''))
