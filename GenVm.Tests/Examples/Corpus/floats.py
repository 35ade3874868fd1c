# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.14 self-run/floats; python-sdk.md §19.4, §20.3): float arithmetic in a deterministic
# VM gives the soft-float bits of the reference on every machine: correctly rounded IEEE-754 results, and every NaN
# an operation produces is the positive default NaN 7ff8000000000000, whatever NaNs went in; negation and abs only
# touch the sign bit. Prints bit patterns (or the exception's name) for the operations of the reference case over
# zeros, infinities, NaNs with payloads, subnormals and ordinary values, then formatting and parsing.
import math
import struct

VALUES = [
    '0000000000000000', '8000000000000000', '3ff0000000000000', 'bff0000000000000', '3fe0000000000000',
    '3ff8000000000000', '4004000000000000', 'c004000000000000', '3fb999999999999a', '3fd5555555555555',
    '7e37e43c8800759c', '0000000000000001', '0010000000000000', '7fefffffffffffff', '4340000000000001',
    '7ff0000000000000', 'fff0000000000000', '7ff8000000000000', 'fff8000000000000', '7ff8000000000bad',
    '7ff0000000000001', 'fff4000000000000',
]

LIBM = [
    '4000000000000000', '4008000000000000', '4024000000000000', '4059000000000000', '01a56e1fc2f8f359',
    '44b52d02c7e14af6', '4085e00000000000', 'c087480000000000', '4086300000000000', 'c05fc00000000000',
]


def f(bits: str) -> float:
    return struct.unpack('>d', bytes.fromhex(bits))[0]


def b(x: float) -> str:
    return struct.pack('>d', x).hex()


def attempt(fn) -> str:
    try:
        r = fn()
    except Exception as e:
        return type(e).__name__
    if isinstance(r, float):
        return b(r)
    return str(r)


def f32(x: float) -> str:
    packed = struct.pack('>f', x)
    return packed.hex() + '/' + b(struct.unpack('>f', packed)[0])


BINARY = {
    'add': lambda x, y: x + y,
    'sub': lambda x, y: x - y,
    'mul': lambda x, y: x * y,
    'div': lambda x, y: x / y,
}

UNARY = {
    'neg': lambda x: -x,
    'abs': abs,
    'sqrt': math.sqrt,
    'floor': math.floor,
    'ceil': math.ceil,
    'int': int,
    'round': round,
    'f32': f32,
}

for name, op in BINARY.items():
    for a in VALUES:
        print(name, a, ' '.join(attempt(lambda: op(f(a), f(c))) for c in VALUES))
for a in VALUES:
    print('cmp', a, ''.join(str(int(f(a) < f(c))) + str(int(f(a) == f(c))) for c in VALUES))
for name, op in UNARY.items():
    for a in VALUES:
        print(name, a, attempt(lambda: op(f(a))))
for a in VALUES + LIBM:
    print('sin', a, attempt(lambda: math.sin(f(a))), 'exp', attempt(lambda: math.exp(f(a))))
for a in VALUES:
    x = f(a)
    print('repr', a, repr(x), format(x, '.20e'), b(float(repr(x))))
for text in ['0.1', '-0.0', '1e-400', '1e400', '2.2250738585072011e-308', '4.9406564584124654e-324',
             '2.4703282292062328e-324', '9007199254740993', '0.30000000000000004', 'nan', '-nan', '-inf']:
    print('parse', text, b(float(text)))
exit(0)
