"""Cross-check helper: reads tagged JSON values (one per line) and prints the SDK's calldata encoding of each in hex.

Tags (written by GenVm.Tests/Runners/PySdkCalldataCrossCheckTests.cs): JSON null/true/false as themselves,
``{"n": "<decimal>"}`` number, ``{"s": str}``, ``{"b": hex}`` bytes, ``{"addr": hex}``, ``{"a": [...]}`` list,
``{"t": [...]}`` tuple, ``{"m": [[key, value], ...]}`` dict (in the generator's order, not sorted).
"""

from __future__ import annotations

import json
import os
import sys
import typing

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from genlayer.py import calldata  # noqa: E402
from genlayer.py.types import Address  # noqa: E402


def build(node: typing.Any) -> typing.Any:
    if node is None or isinstance(node, bool):
        return node
    (tag, val), = node.items()
    if tag == 'n':
        return int(val)
    if tag == 's':
        return val
    if tag == 'b':
        return bytes.fromhex(val)
    if tag == 'addr':
        return Address(bytes.fromhex(val))
    if tag == 'a':
        return [build(x) for x in val]
    if tag == 't':
        return tuple(build(x) for x in val)
    if tag == 'm':
        return {k: build(v) for k, v in val}
    raise ValueError(f'unknown tag {tag}')


def main() -> None:
    with open(sys.argv[1], encoding='utf-8') as f:
        for line in f:
            if line.strip():
                value = build(json.loads(line))
                encoded = calldata.encode(value)
                # The decoder must accept what the encoder wrote and give the same bytes back.
                assert calldata.encode(calldata.decode(encoded)) == encoded
                print(encoded.hex())


if __name__ == '__main__':
    main()
