"""Runs ``_genlayer_runner.py`` natively in a subprocess, as the VM would, with the fake ``_genlayer_wasi``."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import typing

from tests.support import FAKE_DIR, SDK_ROOT

from genlayer.py import calldata
from genlayer.py.types import Address

CONTRACT = Address(b'\x01' + bytes(19))
SENDER = Address(b'\x02' + bytes(19))


@dataclasses.dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    kind: str | None  # 'Return' / 'Rollback' / 'MissingRunner' / None (the process failed)
    value: typing.Any
    storage: dict[bytes, bytes]
    write_log: list[tuple[bytes, int, bytes]]
    requests: list[typing.Any]


class ContractRunner:
    """One contract with persistent fake storage across calls."""

    def __init__(self, source: str) -> None:
        self.dir = tempfile.TemporaryDirectory()
        with open(os.path.join(self.dir.name, 'contract.py'), 'w') as f:
            f.write(source)
        self.storage: dict[bytes, bytes] = {}

    def close(self) -> None:
        self.dir.cleanup()

    def run(
        self,
        entry: typing.Any,
        *,
        is_init: bool = False,
        value: int = 0,
        entry_kind: int = 0,
        entry_data: bytes | None = None,
        answers: dict[str, bytes] | None = None,
        self_balance: int = 0,
    ) -> Outcome:
        message = {
            'chain_id': 0,
            'contract_address': CONTRACT,
            'datetime': '2024-11-26T06:42:42.424242Z',
            'entry_data': entry_data if entry_data is not None else calldata.encode(entry),
            'entry_kind': entry_kind,
            'entry_stage_data': None,
            'is_init': is_init,
            'origin_address': SENDER,
            'sender_address': SENDER,
            'stack': [],
            'value': value,
        }
        state_path = os.path.join(self.dir.name, 'state.json')
        with open(state_path, 'w') as f:
            json.dump(
                {
                    'storage': {k.hex(): v.hex() for k, v in self.storage.items()},
                    'answers': {k: v.hex() for k, v in (answers or {}).items()},
                    'self_balance': self_balance,
                },
                f,
            )
        env = dict(os.environ)
        env['PYTHONPATH'] = os.pathsep.join([self.dir.name, FAKE_DIR, SDK_ROOT])
        env['GENLAYER_FAKE_STATE'] = state_path
        env['TZ'] = 'UTC'
        env['PYTHONDONTWRITEBYTECODE'] = '1'
        proc = subprocess.run(
            [sys.executable, '-u', '-B', os.path.join(SDK_ROOT, '_genlayer_runner.py')],
            input=calldata.encode(message),
            capture_output=True,
            env=env,
            timeout=120,
        )
        with open(state_path) as f:
            state = json.load(f)
        kind = state.get('outcome')
        value_out = None
        if kind is not None:
            value_out = calldata.decode(bytes.fromhex(state['value']))[kind]
            if kind != 'MissingRunner':  # a VM error: the host keeps no storage
                self.storage = {bytes.fromhex(k): bytes.fromhex(v) for k, v in state['storage'].items()}
        return Outcome(
            exit_code=proc.returncode,
            stdout=proc.stdout.decode('utf-8', 'replace'),
            stderr=proc.stderr.decode('utf-8', 'replace'),
            kind=kind,
            value=value_out,
            storage=self.storage,
            write_log=[(bytes.fromhex(s), off, bytes.fromhex(d)) for s, off, d in state.get('write_log', [])],
            requests=[calldata.decode(bytes.fromhex(r)) for r in state.get('requests', [])],
        )
