"""The entry script (python-sdk.md §6): deployment, dispatch, finishing, schema, events and host requests,
run as a subprocess the way the VM runs it, with the fake ``_genlayer_wasi``."""

from __future__ import annotations

import functools
import hashlib
import json
import operator
import pickle
import textwrap
import unittest

from tests.runner_harness import CONTRACT, SENDER, ContractRunner
from tests.support import h

from genlayer.py import calldata
from genlayer.py.keccak import Keccak256
from genlayer.py.types import Address

ROOT = bytes(32)


def child(slot: bytes, off: int) -> bytes:
    return hashlib.sha3_256(slot + off.to_bytes(4, 'little')).digest()


INSTANCE = child(ROOT, 0)

COUNTER = textwrap.dedent(
    '''
    # { "Depends": "py-genlayer:test" }
    from genlayer import *


    class Added(gl.Event):
        def __init__(self, user: str, amount: int, /, **blob): ...


    @gl.evm.contract_interface
    class Token:
        class View:
            def balance_of(self, owner: Address, /) -> u256: ...

        class Write:
            def transfer(self, to: Address, amount: u256, /) -> bool: ...


    class Counter(gl.Contract):
        owner: Address
        total: u64
        per_user: TreeMap[str, u32]

        def __init__(self, start: int):
            self.owner = gl.message.sender_address
            self.total = start

        @gl.public.write
        def add(self, user: str, n: int) -> int:
            self.per_user[user] = self.per_user.get(user, 0) + n
            self.total += n
            return self.total

        @gl.public.write
        def remove(self, user: str) -> None:
            del self.per_user[user]

        @gl.public.view
        def get(self, user: str) -> int:
            return self.per_user.get(user, 0)

        @gl.public.view
        def snapshot(self) -> dict[str, int]:
            return self.per_user

        @gl.public.write.payable
        def pay(self) -> int:
            return gl.message.value

        @gl.public.write.min_gas(leader=10, validator=20)
        def fail(self, msg: str, *, code: int | None = None) -> None:
            raise gl.vm.UserError(msg)

        @gl.public.write
        def crash(self) -> None:
            raise KeyError('boom')

        @gl.public.write
        def emit_event(self) -> None:
            # QUIRK (§13): positional values bind to the sorted names: amount='create', user=42.
            Added(42, 'create', note='hi').emit()

        @gl.public.view
        def call_other(self, addr: Address):
            return gl.get_contract_at(addr).view().get_value(1, key='k')

        @gl.public.write
        def send_other(self, addr: Address) -> None:
            gl.get_contract_at(addr).emit(value=0).ping()
            gl.get_contract_at(addr).emit_transfer(value=5)

        @gl.public.write
        def deploy(self) -> Address:
            return gl.deploy_contract(code=b'x', salt_nonce=1)

        @gl.public.write
        def evm_calls(self, addr: Address) -> int:
            token = Token(addr)
            got = token.view().balance_of(addr)
            token.emit(value=9).transfer(addr, 5)
            token.emit_transfer(value=3)
            return got

        def private_method(self) -> None:
            pass
    '''
)


class RunnerTests(unittest.TestCase):
    runner: ContractRunner

    @classmethod
    def setUpClass(cls) -> None:
        cls.runner = ContractRunner(COUNTER)
        deployed = cls.runner.run({'args': [5]}, is_init=True)
        assert deployed.kind == 'Return', deployed.stderr
        cls.deployed = deployed

    @classmethod
    def tearDownClass(cls) -> None:
        cls.runner.close()

    def call(self, method: str, *args: object, **kwargs: object) -> object:
        outcome = self.runner.run({'method': method, 'args': list(args), 'kwargs': kwargs})
        self.assertEqual(outcome.kind, 'Return', outcome.stderr)
        return outcome.value

    def test_1_deploy_locks_default_slots_then_runs_init(self) -> None:
        log = self.deployed.write_log
        locked = child(ROOT, 2)
        # lock_default first (§6.1 step 3): four appends to locked_slots, then __init__'s writes.
        self.assertEqual([entry[0] for entry in log[:8]], [locked] * 8)
        self.assertEqual(log[8:], [(INSTANCE, 0, SENDER.as_bytes), (INSTANCE, 20, (5).to_bytes(8, 'little'))])
        self.assertIsNone(self.deployed.value)

    def test_2_counter_storage_bytes(self) -> None:
        self.assertEqual(self.call('add', 'bob', 3), 8)
        self.assertEqual(self.call('add', 'alice', 2), 10)
        self.assertEqual(self.call('add', 'carol', 1), 11)
        self.assertEqual(self.call('get', 'alice'), 2)
        storage = self.runner.storage
        self.assertEqual(
            storage[INSTANCE].hex(),
            # The free list's length word was never written: the slot ends after the nodes' length (§17 extents).
            (SENDER.as_bytes + h('0b00000000000000 01000000 03000000')).hex(),
        )
        nodes = child(INSTANCE, 32)
        self.assertEqual(
            storage[nodes].hex(),
            h(
                '03000000 03000000 02000000 03000000 00'
                '05000000 02000000 00000000 00000000 00'
                '05000000 01000000 00000000 00000000 00'
            ).hex(),
        )
        self.assertEqual((storage[child(nodes, 0)], storage[child(nodes, 17)], storage[child(nodes, 34)]), (b'bob', b'alice', b'carol'))
        # Deleting the root (two children): carol (its right child) replaces it, bob's node goes to the free list.
        self.assertIsNone(self.call('remove', 'bob'))
        self.assertEqual(storage_hex(self.runner.storage[INSTANCE])[-24:], '030000000300000001000000')
        self.assertEqual(self.runner.storage[child(INSTANCE, 36)], h('00000000'))
        self.assertEqual(self.runner.storage[nodes][34 + 8 : 34 + 17], h('02000000 00000000 ff'))
        self.assertEqual(self.call('snapshot'), {'alice': 2, 'carol': 1})

    def test_schema(self) -> None:
        schema = self.call('#get-schema')
        self.assertIsInstance(schema, str)
        expected = {
            'ctor': {'params': [['start', 'int']], 'kwparams': {}},
            'methods': {
                'add': {'params': [['user', 'string'], ['n', 'int']], 'kwparams': {}, 'readonly': False, 'ret': 'int', 'payable': False},
                'call_other': {'params': [['addr', 'address']], 'kwparams': {}, 'readonly': True, 'ret': 'any'},
            },
        }
        parsed = json.loads(schema)  # type: ignore[arg-type]
        self.assertEqual(list(parsed), ['ctor', 'methods'])
        self.assertEqual(parsed['ctor'], expected['ctor'])
        self.assertEqual(
            list(parsed['methods']),
            ['add', 'call_other', 'crash', 'deploy', 'emit_event', 'evm_calls', 'fail', 'get', 'pay', 'remove', 'send_other', 'snapshot'],
        )
        self.assertIn('"add":{"params":[["user","string"],["n","int"]],"kwparams":{},"readonly":false,"ret":"int","payable":false}', schema)
        self.assertIn(
            '"fail":{"params":[["msg","string"]],"kwparams":{"code":{"$or":["int","null"]}},'
            '"min_gas_leader":10,"min_gas_validator":20,"readonly":false,"ret":"null","payable":false}',
            schema,
        )
        self.assertIn('"snapshot":{"params":[],"kwparams":{},"readonly":true,"ret":{"$dict":"int"}}', schema)
        self.assertIn('"pay":{"params":[],"kwparams":{},"readonly":false,"ret":"int","payable":true}', schema)

    def test_user_error_rolls_back(self) -> None:
        outcome = self.runner.run({'method': 'fail', 'args': ['nope']})
        self.assertEqual((outcome.kind, outcome.value), ('Rollback', 'nope'))

    def test_dispatch_errors_exit_with_status_1(self) -> None:
        for entry, text in [
            ({'method': 'private_method'}, 'ValueError'),
            ({'method': '__init__'}, 'calls to methods that start with __ is forbidden'),
            ({'method': '#nope'}, 'unknown special method'),
            ({'method': 'nothing'}, 'ValueError'),
            ({'method': 'crash'}, "KeyError: 'boom'"),
            ({}, 'ValueError'),
            ([1], 'TypeError'),
        ]:
            with self.subTest(entry=entry):
                outcome = self.runner.run(entry)
                self.assertIsNone(outcome.kind)
                self.assertEqual(outcome.exit_code, 1)
                self.assertIn(text, outcome.stderr)

    def test_value_needs_payable(self) -> None:
        self.assertEqual(self.runner.run({'method': 'add', 'args': ['x', 1]}, value=3).exit_code, 1)
        outcome = self.runner.run({'method': 'pay'}, value=3)
        self.assertEqual((outcome.kind, outcome.value), ('Return', 3))

    def test_errored_message_hook(self) -> None:
        outcome = self.runner.run({'method': '#error'}, value=1)
        self.assertEqual((outcome.kind, outcome.value), ('Return', None))

    def test_event_request(self) -> None:
        outcome = self.runner.run({'method': 'emit_event'})
        self.assertEqual(outcome.kind, 'Return', outcome.stderr)
        (request,) = outcome.requests
        topics = request['EmitEvent']['topics']
        self.assertEqual(topics[0], Keccak256(b'Added(amount,user)').digest())
        self.assertEqual(topics[1], calldata.encode(42).ljust(32, b'\x00'))
        self.assertEqual(topics[2], calldata.encode('create').ljust(32, b'\x00'))
        self.assertEqual(request['EmitEvent']['blob'], {'amount': 42, 'user': 'create', 'note': 'hi'})

    def test_contract_call_requests(self) -> None:
        other = Address(b'\x09' * 20)
        outcome = self.runner.run({'method': 'call_other', 'args': [other]}, answers={'CallContract': b'\x00' + calldata.encode([7])})
        self.assertEqual((outcome.kind, outcome.value), ('Return', [7]), outcome.stderr)
        self.assertEqual(
            outcome.requests,
            [{'CallContract': {'address': other, 'calldata': {'method': 'get_value', 'args': [1], 'kwargs': {'key': 'k'}}, 'state': 2}}],
        )
        outcome = self.runner.run({'method': 'call_other', 'args': [other]}, answers={'CallContract': b'\x01oops'})
        self.assertEqual((outcome.kind, outcome.value), ('Rollback', 'oops'))
        outcome = self.runner.run({'method': 'send_other', 'args': [other]})
        self.assertEqual(
            outcome.requests,
            [
                {'PostMessage': {'address': other, 'calldata': {'method': 'ping'}, 'value': 0, 'on': 'finalized'}},
                {'PostMessage': {'address': other, 'calldata': {}, 'value': 5, 'on': 'finalized'}},
            ],
        )

    def test_evm_requests(self) -> None:
        other = Address(b'\x0a' * 20)
        outcome = self.runner.run({'method': 'evm_calls', 'args': [other]}, answers={'EthCall': (77).to_bytes(32, 'big')})
        self.assertEqual((outcome.kind, outcome.value), ('Return', 77), outcome.stderr)
        word = bytes(12) + other.as_bytes
        self.assertEqual(
            outcome.requests,
            [
                {'EthCall': {'address': other, 'calldata': Keccak256(b'balance_of(address)').digest()[:4] + word}},
                {
                    'EthSend': {
                        'address': other,
                        'calldata': Keccak256(b'transfer(address,uint256)').digest()[:4] + word + (5).to_bytes(32, 'big'),
                        'value': 0,
                    }
                },
                {'EthSend': {'address': other, 'calldata': b'', 'value': 3}},
            ],
        )

    def test_deploy_contract_address(self) -> None:
        outcome = self.runner.run({'method': 'deploy'})
        self.assertEqual(outcome.value, Address('0xf539Cb83f077Cd01BDd1a4E002866dCC0D15D633'))
        self.assertEqual(
            outcome.requests,
            [{'DeployContract': {'calldata': {}, 'code': b'x', 'value': 0, 'on': 'finalized', 'salt_nonce': 1}}],
        )
        self.assertEqual(CONTRACT.as_bytes, b'\x01' + bytes(19))

    def test_sandbox_and_consensus_entries(self) -> None:
        outcome = self.runner.run(None, entry_kind=1, entry_data=pickle.dumps(functools.partial(max, 1, 2)))
        self.assertEqual((outcome.kind, outcome.value), ('Return', 2), outcome.stderr)
        outcome = self.runner.run(None, entry_kind=2, entry_data=pickle.dumps(functools.partial(operator.is_, None)))
        self.assertEqual((outcome.kind, outcome.value), ('Return', True), outcome.stderr)
        self.assertEqual(self.runner.run(None, entry_kind=5, entry_data=b'').exit_code, 1)


def storage_hex(data: bytes) -> str:
    return data.hex()


class RunnerPitfallTests(unittest.TestCase):
    def run_source(self, source: str, entry: object, **kwargs: typing.Any) -> typing.Any:
        runner = ContractRunner(textwrap.dedent(source))
        try:
            return runner.run(entry, **kwargs)
        finally:
            runner.close()

    def test_two_contracts_fail(self) -> None:
        outcome = self.run_source(
            '''
            from genlayer import *
            class A(gl.Contract):
                def __init__(self): pass
            class B(gl.Contract):
                def __init__(self): pass
            ''',
            {},
            is_init=True,
        )
        self.assertEqual(outcome.exit_code, 1)
        self.assertIn('only one contract is allowed', outcome.stderr)

    def test_no_contract(self) -> None:
        outcome = self.run_source('x = 1\n', {'method': 'f'})
        self.assertEqual(outcome.exit_code, 1)
        self.assertIn('no contract defined', outcome.stderr)

    def test_public_init_and_fallbacks(self) -> None:
        outcome = self.run_source(
            '''
            from genlayer import *
            class A(gl.Contract):
                @gl.public.write
                def __init__(self): pass
            ''',
            {},
            is_init=True,
        )
        self.assertIn('__init__ must be private', outcome.stderr)
        source = '''
            from genlayer import *
            class A(gl.Contract):
                def __init__(self): pass
                @gl.public.write
                def __handle_undefined_method__(self, name, args, kwargs):
                    return [name, args, kwargs]
                @gl.public.write.payable
                def __receive__(self):
                    return 'received'
                @gl.public.view
                def gvm(self):
                    import atexit
                    atexit.register(lambda: print('atexit ran'))
                    return 1
            '''
        self.assertEqual(self.run_source(source, {'method': 'zzz', 'args': [1], 'kwargs': {'a': 2}}).value, ['zzz', [1], {'a': 2}])
        self.assertEqual(self.run_source(source, {}).value, 'received')
        outcome = self.run_source(source, {'method': 'gvm'})
        self.assertEqual(outcome.value, 1)
        self.assertIn('atexit ran', outcome.stdout)


import typing  # noqa: E402

if __name__ == '__main__':
    unittest.main()
