"""Solidity ABI codec of ``genlayer.py.evm`` (python-sdk.md §15): selectors and head/tail encoding."""

import typing
import unittest

import tests.support  # noqa: F401

from genlayer.py import evm
from genlayer.py.storage import Array
from genlayer.py.types import Address, i8, u8, u256


class EvmAbiTests(unittest.TestCase):
    def test_selector(self) -> None:
        self.assertEqual(evm.selector_of('test', [u256]).hex(), '29e99f07')
        # The Solidity documentation's classic: transfer(address,uint256) → a9059cbb.
        self.assertEqual(evm.selector_of('transfer', [Address, u256]).hex(), 'a9059cbb')
        self.assertEqual(evm.signature_of('f', [tuple[u8, str], list[evm.bytes32], Array[bool, typing.Literal[2]]]), 'f((uint8,string),bytes32[],bool[2])')

    def test_static_and_dynamic_encoding(self) -> None:
        args = tuple[evm.InplaceTuple, u256, str, list[u8], bool]
        data = evm.encode(args, (1, 'ab', [7, 8], True))
        words = [data[i : i + 32] for i in range(0, len(data), 32)]
        self.assertEqual([int.from_bytes(w, 'big') for w in words[:4]], [1, 0x80, 0xC0, 1])
        self.assertEqual(int.from_bytes(words[4], 'big'), 2)
        self.assertEqual(words[5], b'ab' + bytes(30))
        self.assertEqual([int.from_bytes(w, 'big') for w in words[6:]], [2, 7, 8])
        self.assertEqual(evm.decode(args, data), (1, 'ab', [7, 8], True))

    def test_signed_and_address(self) -> None:
        a = Address(b'\x11' * 20)
        data = evm.encode(tuple[evm.InplaceTuple, i8, Address], (-1, a))
        self.assertEqual(data[:32], b'\xff' * 32)
        self.assertEqual(data[32:], bytes(12) + a.as_bytes)
        self.assertEqual(evm.decode(tuple[evm.InplaceTuple, i8, Address], data), (-1, a))
        with self.assertRaises(OverflowError):
            evm.encode(u8, 256)

    def test_method_encoder(self) -> None:
        enc = evm.MethodEncoder('test', [u256], str)
        self.assertEqual(enc.encode_call([5]), bytes.fromhex('29e99f07') + (5).to_bytes(32, 'big'))
        ret = (32).to_bytes(32, 'big') + (3).to_bytes(32, 'big') + b'abc' + bytes(29)
        self.assertEqual(enc.decode_ret(ret), 'abc')


if __name__ == '__main__':
    unittest.main()
