# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.15 storage/floats; python-sdk.md §17.3): a float field is 8 octets of IEEE-754
# binary64, little-endian. Storing and loading are copies of the bits (no float operation), so NaN payloads, the sign
# of a NaN or of zero and subnormals survive; arithmetic on a loaded value gives the soft-float result.
import struct

from genlayer import *


def _f(bits: str) -> float:
    return struct.unpack('>d', bytes.fromhex(bits))[0]


def _b(x: float) -> str:
    return struct.pack('>d', x).hex()


class FloatStore(gl.Contract):
    x: float
    items: DynArray[float]

    def __init__(self):
        self.x = 0.1

    @gl.public.write
    def put(self, bits: list) -> None:
        for text in bits:
            self.items.append(_f(text))
        self.x = self.x * 3

    @gl.public.write
    def scale(self) -> None:
        for i in range(len(self.items)):
            self.items[i] = self.items[i] * 2

    @gl.public.view
    def dump(self) -> str:
        return ' '.join(_b(v) for v in [self.x, *self.items])
