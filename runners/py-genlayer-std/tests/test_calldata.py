"""Calldata vectors of python-sdk.md §3.1 and calldata.md §8, checked byte for byte."""

from __future__ import annotations

import dataclasses
import unittest

from tests.support import h

from genlayer.py import calldata
from genlayer.py.types import Address, u256

A1 = Address(b'\x01' * 20)

# (value, hex) pairs: python-sdk.md §3.1 and calldata.md §8 examples 1-23.
VECTORS: list[tuple[object, str]] = [
    (None, '00'),
    (False, '08'),
    (True, '10'),
    (0, '01'),
    (1, '09'),
    (-1, '02'),
    (15, '79'),
    (16, '81 01'),
    (-16, '7a'),
    (-17, '82 01'),
    (63, 'f9 03'),
    (64, '81 04'),
    (127, 'f9 07'),
    (128, '81 08'),
    (2**64, '81 80 80 80 80 80 80 80 80 10'),
    (-(2**64), 'fa ff ff ff ff ff ff ff ff 0f'),
    (2**256 - 1, 'f9' + 'ff' * 35 + '7f'),
    (b'', '03'),
    (b'\x01', '0b 01'),
    (b'\x01\x02\x03', '1b 01 02 03'),
    ('', '04'),
    ('ab', '14 61 62'),
    ('abc', '1c 61 62 63'),
    ('é', '14 c3 a9'),
    ([], '05'),
    ([1, 'a'], '15 09 0c 61'),
    ([1, 2, 3], '1d 09 11 19'),
    ([None, True, False], '1d 00 10 08'),
    ({}, '06'),
    ({'b': 1, 'a': None}, '16 01 61 00 01 62 09'),
    ({'a': 1, 'b': [1, 2, 3]}, '16 01 61 09 01 62 1d 09 11 19'),
    ({'b': 1, 'a': 2, 'aa': 3, 'B': 4}, '26 01 42 21 01 61 11 02 61 61 19 01 62 09'),
    ({'\ufffd': 1, '\U0001F600': 2}, '16 03 ef bf bd 09 04 f0 9f 98 80 11'),
    (A1, '18' + '01' * 20),
    ({'method': 'foo', 'args': [1, 2]}, '16 04 61 72 67 73 15 09 11 06 6d 65 74 68 6f 64 1c 66 6f 6f'),
    ({'method': 'foo', 'args': []}, '16 04 61 72 67 73 05 06 6d 65 74 68 6f 64 1c 66 6f 6f'),
    ({'x': 10}, '0e 01 78 51'),
    ('x' * 300, 'e4 12' + '78' * 300),
    (
        {'leaders_result': b'\x00' + calldata.encode('123')},
        '0e 0e 6c 65 61 64 65 72 73 5f 72 65 73 75 6c 74 2b 00 1c 31 32 33',
    ),
]

REJECTED = ['80 00', '88 00', '81 80 00', '20', '07', '00 00', '16 01 62 00 01 61 00', '16 01 61 00 01 61 00', '0c ff', '18 01 02']


class CalldataVectorTests(unittest.TestCase):
    def test_encode_vectors(self) -> None:
        for value, expected in VECTORS:
            with self.subTest(value=repr(value)[:60]):
                self.assertEqual(calldata.encode(value).hex(), h(expected).hex())

    def test_decode_vectors_roundtrip(self) -> None:
        for value, expected in VECTORS:
            with self.subTest(value=repr(value)[:60]):
                decoded = calldata.decode(h(expected))
                self.assertEqual(decoded, value)
                self.assertEqual(calldata.encode(decoded), h(expected))

    def test_decode_rejects_non_canonical(self) -> None:
        for bad in REJECTED:
            with self.subTest(bad=bad):
                with self.assertRaises(calldata.DecodingError):
                    calldata.decode(h(bad))

    def test_message_blob_225_bytes(self) -> None:
        # calldata.md §8: the default test message.
        contract = Address(b'\x01' + bytes(19))
        sender = Address(b'\x02' + bytes(19))
        msg = {
            'chain_id': 0,
            'contract_address': contract,
            'datetime': '2024-11-26T06:42:42.424242Z',
            'entry_data': calldata.encode({}),
            'entry_kind': 0,
            'entry_stage_data': None,
            'is_init': False,
            'origin_address': sender,
            'sender_address': sender,
            'stack': [],
            'value': 0,
        }
        enc = calldata.encode(msg)
        self.assertEqual(len(enc), 225)
        self.assertEqual(enc[:11], b'\x5e\x08chain_id\x01')
        self.assertEqual(calldata.decode(enc), msg)

    def test_encode_order_of_checks(self) -> None:
        @dataclasses.dataclass
        class Foo:
            y: int
            x: str

        self.assertEqual(calldata.encode(Foo(1, 'a')), calldata.encode({'x': 'a', 'y': 1}))
        self.assertEqual(calldata.encode((1, 2)), h('15 09 11'))
        self.assertEqual(calldata.encode(bytearray(b'\x01')), h('0b 01'))
        self.assertEqual(calldata.encode(u256(5)), h('29'))
        # QUIRK (python-sdk.md §3.2 step 7): a memoryview is appended raw.
        self.assertEqual(calldata.encode(memoryview(b'\x07\x08')), h('07 08'))
        with self.assertRaises(TypeError):
            calldata.encode(1.5)
        with self.assertRaises(TypeError):
            calldata.encode({1: 2})
        with self.assertRaises(TypeError):
            calldata.encode({1, 2})

    def test_to_str(self) -> None:
        self.assertEqual(
            calldata.to_str({'b': b'\x01', 'a': [None, True, A1, 'é']}),
            '{"a":[null,true,addr#' + '01' * 20 + ',"\\u00e9"],"b":b#01}',
        )


class AddressTests(unittest.TestCase):
    def test_forms(self) -> None:
        a = Address('0x' + 'ab' * 20)
        self.assertEqual(a.as_bytes, b'\xab' * 20)
        self.assertEqual(Address(a.as_b64), a)
        self.assertEqual(a.as_int, int.from_bytes(b'\xab' * 20, 'little'))
        self.assertEqual(format(A1, 'cd'), 'addr#' + '01' * 20)
        self.assertEqual(repr(A1), f'Address("{A1.as_hex}")')
        self.assertEqual(hash(A1), hash(A1.as_bytes))
        with self.assertRaises(Exception):
            Address('short')
        with self.assertRaises(TypeError):
            format(A1, 'q')

    def test_eip55_checksum(self) -> None:
        # The EIP-55 specification's own examples.
        for text in (
            '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
            '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
            '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
            '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
        ):
            self.assertEqual(Address(text).as_hex, text)

    def test_deploy_address_vector(self) -> None:
        # python-sdk.md §12.3: first 20 bytes of Keccak-256(0x01 ‖ deployer ‖ salt ‖ chain id).
        from genlayer.py.keccak import Keccak256

        deployer = b'\x01' + bytes(19)
        digest = Keccak256(b'\x01' + deployer + (1).to_bytes(32, 'big') + (0).to_bytes(32, 'big')).digest()
        self.assertEqual(Address(digest[:20]).as_hex, '0xf539Cb83f077Cd01BDd1a4E002866dCC0D15D633')


class KeccakTests(unittest.TestCase):
    def test_vectors(self) -> None:
        from genlayer.py.keccak import Keccak256

        self.assertEqual(Keccak256(b'').hexdigest(), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470')
        self.assertTrue(Keccak256(b'TestEvent(action,user_id)').hexdigest().startswith('b4751df5'))
        self.assertTrue(Keccak256(b'TestEvent(action,user_id)').hexdigest().endswith('23b40dac'))
        self.assertEqual(Keccak256(b'test(uint256)').digest()[:4].hex(), '29e99f07')
        hasher = Keccak256()
        for chunk in (b'a' * 100, b'b' * 137, b'c'):
            hasher.update(chunk)
        self.assertEqual(hasher.hexdigest(), Keccak256(b'a' * 100 + b'b' * 137 + b'c').hexdigest())
        self.assertEqual(hasher.digest_size, 32)
        self.assertEqual(hasher.block_size, 136)


if __name__ == '__main__':
    unittest.main()
