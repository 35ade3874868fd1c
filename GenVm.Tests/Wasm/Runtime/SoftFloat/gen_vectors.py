#!/usr/bin/env python3
"""Test vectors for GenVm.Wasm.Runtime.SoftFloat, computed with GNU MPFR (through gmpy2, Debian python3-gmpy2).

The expected results are those of Berkeley SoftFloat 3e with the reference GenVM's specialisation
(python-sdk.md §20.3): round-to-nearest-even, every NaN result is the positive default NaN (0x7FC00000 /
0x7FF8000000000000), float->int conversions truncate and saturate with the values of the reference's
specialize.h (recorded in docs/decisions.md). MPFR supplies every rounded value; this script only adds the NaN
and saturation conventions.

usage: gen_vectors.py OUT_FILE [SCALE] [SEED]
Writes one vector per line: "<op> <a> <b> <result>", all hexadecimal raw bits ("-" for an absent b).
Integers are written as their two's complement bits in the operand width.
"""

import os
import random
import struct
import sys

import gmpy2
from gmpy2 import mpfr

C32 = gmpy2.ieee(32)
C64 = gmpy2.ieee(64)

NAN32 = 0x7FC00000
NAN64 = 0x7FF8000000000000

SAT = {  # (NaN, positive overflow, negative overflow) per target type
    "i32": (0x7FFFFFFF, 0x7FFFFFFF, -0x80000000),
    "ui32": (0xFFFFFFFF, 0xFFFFFFFF, 0),
    "i64": (0x7FFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF, -0x8000000000000000),
    "ui64": (0xFFFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF, 0),
}
INT_RANGE = {
    "i32": (-(1 << 31), (1 << 31) - 1, 32),
    "ui32": (0, (1 << 32) - 1, 32),
    "i64": (-(1 << 63), (1 << 63) - 1, 64),
    "ui64": (0, (1 << 64) - 1, 64),
}


class Fmt:
    def __init__(self, bits):
        self.bits = bits
        self.ebits = 8 if bits == 32 else 11
        self.mbits = 23 if bits == 32 else 52
        self.bias = (1 << (self.ebits - 1)) - 1
        self.emax = (1 << self.ebits) - 1
        self.sign = 1 << (bits - 1)
        self.nan = NAN32 if bits == 32 else NAN64
        self.ctx = C32 if bits == 32 else C64
        self.hexw = bits // 4
        self.pack = "<f" if bits == 32 else "<d"
        self.upack = "<I" if bits == 32 else "<Q"

    def to_float(self, b):
        return struct.unpack(self.pack, struct.pack(self.upack, b))[0]

    def from_value(self, x):
        """Bits of an MPFR value that is exactly representable in this format (as MPFR rounded it)."""
        if gmpy2.is_nan(x):
            return self.nan
        return struct.unpack(self.upack, struct.pack(self.pack, float(x)))[0]

    def make(self, sign, exp, mant):
        return (sign << (self.bits - 1)) | (exp << self.mbits) | mant

    def mantissa(self, rnd):
        m = self.mbits
        shape = rnd.random()
        if shape < 0.5:
            return rnd.getrandbits(m)
        if shape < 0.75:  # low bits cleared: exact results and rounding ties
            k = rnd.randint(0, m)
            return (rnd.getrandbits(m) >> k) << k
        if shape < 0.9:  # a run of ones or a single bit: carries through the whole significand
            k = rnd.randint(0, m)
            return ((1 << k) - 1) << (m - k) if rnd.random() < 0.5 else (1 << rnd.randint(0, m - 1))
        return rnd.choice([0, 1, (1 << m) - 1, 1 << (m - 1), (1 << (m - 1)) + 1, (1 << m) - 2])

    def specials(self):
        f = self
        s = f.sign
        top = f.make(0, f.emax, 0)
        out = [0, 1, f.make(0, 0, (1 << f.mbits) - 1), f.make(0, 1, 0), f.make(0, f.emax - 1, (1 << f.mbits) - 1),
               top, top | (1 << (f.mbits - 1)), top | 1, top | (1 << (f.mbits - 2)), top | 0x12345,
               top | (1 << (f.mbits - 1)) | 0x2345, (1 << f.bits) - 1 - s]
        for e2 in (0, -1, 1, 2, 23, 24, 31, 32, 52, 53, 63, 64, -24, -25, -53, -54):
            e = f.bias + e2
            out += [f.make(0, e, 0), f.make(0, e, 1), f.make(0, e - 1, (1 << f.mbits) - 1), f.make(0, e, 1 << (f.mbits - 1))]
        return out + [x | s for x in out]

    def any(self, rnd):
        p = rnd.random()
        if p < 0.25:
            return rnd.getrandbits(self.bits)
        if p < 0.35:
            return rnd.choice(self.specials_list)
        if p < 0.75:
            e = min(max(self.bias + rnd.randint(-40, 40), 0), self.emax - 1)
        elif p < 0.88:
            e = rnd.randint(0, 3)
        else:
            e = rnd.randint(self.emax - 4, self.emax - 1)
        return self.make(rnd.getrandbits(1), e, self.mantissa(rnd))

    def near(self, rnd, a):
        """An operand whose exponent is close to a's, so that additions and subtractions interact."""
        e = (a >> self.mbits) & self.emax
        e = min(max(e + rnd.randint(-self.mbits - 3, self.mbits + 3), 0), self.emax - 1)
        if rnd.random() < 0.3:  # same exponent and a nearby significand: cancellation
            m = (a + rnd.randint(-4, 4)) & ((1 << self.mbits) - 1)
            return self.make(rnd.getrandbits(1), (a >> self.mbits) & self.emax, m)
        return self.make(rnd.getrandbits(1), e, self.mantissa(rnd))

    def pair(self, rnd):
        p = rnd.random()
        a = self.any(rnd)
        if p < 0.45:
            return a, self.any(rnd)
        if p < 0.9:
            return (a, self.near(rnd, a)) if rnd.random() < 0.5 else (self.near(rnd, a), a)
        s = rnd.choice(self.specials_list)
        return (s, a) if rnd.random() < 0.5 else (a, s)


F32 = Fmt(32)
F64 = Fmt(64)
for _f in (F32, F64):
    _f.specials_list = _f.specials()


def hx(v, width):
    return format(v & ((1 << (width * 4)) - 1), "0%dx" % width)


def gen_binary(out, f, rnd, n):
    ops = (("add", gmpy2.add), ("sub", gmpy2.sub), ("mul", gmpy2.mul), ("div", gmpy2.div))
    w = f.hexw
    with gmpy2.local_context(f.ctx):
        for name, fn in ops:
            op = "f%d_%s" % (f.bits, name)
            for _ in range(n):
                a, b = f.pair(rnd)
                r = fn(mpfr(f.to_float(a)), mpfr(f.to_float(b)))
                out.append("%s %s %s %s\n" % (op, hx(a, w), hx(b, w), hx(f.from_value(r), w)))


def gen_sqrt(out, f, rnd, n):
    w = f.hexw
    op = "f%d_sqrt" % f.bits
    with gmpy2.local_context(f.ctx):
        for i in range(n):
            a = f.any(rnd)
            if i % 4 != 0:
                a &= ~f.sign
            r = gmpy2.sqrt(mpfr(f.to_float(a)))
            out.append("%s %s - %s\n" % (op, hx(a, w), hx(f.from_value(r), w)))


def gen_compare(out, f, rnd, n):
    w = f.hexw
    ops = (("eq", lambda x, y: x == y), ("ne", lambda x, y: not (x == y)), ("lt", lambda x, y: x < y),
           ("le", lambda x, y: x <= y), ("gt", lambda x, y: x > y), ("ge", lambda x, y: x >= y))
    with gmpy2.local_context(f.ctx):
        for name, fn in ops:
            op = "f%d_%s" % (f.bits, name)
            for i in range(n):
                a, b = f.pair(rnd)
                if i % 8 == 0:
                    b = a
                elif i % 8 == 1:
                    b = a ^ f.sign if (a << 1) & ((1 << f.bits) - 1) == 0 else a
                r = 1 if fn(mpfr(f.to_float(a)), mpfr(f.to_float(b))) else 0
                out.append("%s %s %s %d\n" % (op, hx(a, w), hx(b, w), r))


def fractional(f, rnd):
    """Values around the integer range of the conversions: every exponent from 2^-2 to 2^66, or anything."""
    if rnd.random() < 0.8:
        return f.make(rnd.getrandbits(1), f.bias + rnd.randint(-2, 66), f.mantissa(rnd))
    return f.any(rnd)


def gen_round(out, f, rnd, n):
    w = f.hexw
    with gmpy2.local_context(f.ctx):
        for name, fn in (("floor", gmpy2.floor), ("ceil", gmpy2.ceil)):
            op = "f%d_%s" % (f.bits, name)
            for _ in range(n):
                a = fractional(f, rnd)
                r = fn(mpfr(f.to_float(a)))
                out.append("%s %s - %s\n" % (op, hx(a, w), hx(f.from_value(r), w)))


# SoftFloat rounding modes (near_even, minMag, min, max, near_maxMag, odd). The reference builds without
# SOFTFLOAT_ROUND_ODD, so 6 falls through every mode test and truncates.
MODES = {
    0: lambda x: gmpy2.rint(x),  # the context rounds to nearest-even
    1: gmpy2.trunc,
    2: gmpy2.floor,
    3: gmpy2.ceil,
    4: gmpy2.round_away,
    6: gmpy2.trunc,
}


def tie(f, rnd):
    """An exact half-integer (or integer) of either sign: the cases where the nearest modes differ."""
    e = rnd.randint(0, f.mbits - 1)
    pos = f.mbits - e - 1  # the mantissa bit worth 0.5
    m = (rnd.getrandbits(f.mbits) >> (pos + 1)) << (pos + 1)
    if rnd.random() < 0.8:
        m |= 1 << pos
    return f.make(rnd.getrandbits(1), f.bias + e, m)


def gen_round_modes(out, f, rnd, n):
    w = f.hexw
    with gmpy2.local_context(f.ctx):
        for mode, fn in MODES.items():
            op = "f%d_roundToInt_%d" % (f.bits, mode)
            for i in range(n):
                a = tie(f, rnd) if i % 3 == 0 else fractional(f, rnd)
                r = fn(mpfr(f.to_float(a)))
                out.append("%s %s - %s\n" % (op, hx(a, w), hx(f.from_value(r), w)))


def gen_to_int_modes(out, f, rnd, n):
    w = f.hexw
    with gmpy2.local_context(f.ctx):
        for target in ("i32", "ui32", "i64", "ui64"):
            lo, hi, width = INT_RANGE[target]
            nan_v, pos_v, neg_v = SAT[target]
            edges = []
            for edge in (lo, hi + 1, -1, 0, 1):
                e = mpfr(edge)
                for v in (e, gmpy2.next_below(e), gmpy2.next_above(e), e - mpfr(0.5), e + mpfr(0.5)):
                    edges.append(f.from_value(v))
            for mode, fn in MODES.items():
                op = "f%d_to_%s_%d" % (f.bits, target, mode)
                for i in range(n):
                    a = rnd.choice(edges) if i % 10 == 0 else tie(f, rnd) if i % 3 == 0 else fractional(f, rnd)
                    x = mpfr(f.to_float(a))
                    if gmpy2.is_nan(x):
                        r = nan_v
                    else:
                        t = int(fn(x)) if gmpy2.is_finite(x) else None
                        r = t if t is not None and lo <= t <= hi else (neg_v if x < 0 else pos_v)
                    out.append("%s %s - %s\n" % (op, hx(a, w), hx(r, width // 4)))


def gen_to_int(out, f, rnd, n):
    w = f.hexw
    with gmpy2.local_context(f.ctx):
        for target in ("i32", "ui32", "i64", "ui64"):
            lo, hi, width = INT_RANGE[target]
            nan_v, pos_v, neg_v = SAT[target]
            op = "f%d_to_%s" % (f.bits, target)
            edges = []
            for edge in (lo, hi + 1, -1, 0, 1):
                e = mpfr(edge)
                edges += [f.from_value(e), f.from_value(gmpy2.next_below(e)), f.from_value(gmpy2.next_above(e))]
            for i in range(n):
                a = rnd.choice(edges) if i % 10 == 0 else fractional(f, rnd)
                x = mpfr(f.to_float(a))
                if gmpy2.is_nan(x):
                    r = nan_v
                else:
                    t = int(gmpy2.trunc(x)) if gmpy2.is_finite(x) else None
                    if t is not None and lo <= t <= hi:
                        r = t
                    else:
                        r = neg_v if x < 0 else pos_v
                out.append("%s %s - %s\n" % (op, hx(a, w), hx(r, width // 4)))


def gen_from_int(out, f, rnd, n):
    w = f.hexw
    with gmpy2.local_context(f.ctx):
        for source in ("i32", "ui32", "i64", "ui64"):
            lo, hi, width = INT_RANGE[source]
            op = "%s_to_f%d" % (source, f.bits)
            edges = [lo, hi, 0, 1, -1, (1 << 24) + 1, (1 << 24) + 3, (1 << 53) + 1, (1 << 53) + 3,
                     (1 << 31) - 64, (1 << 31) - 65, (1 << 63) - 512, (1 << 63) - 1024, (1 << 63) - 1025,
                     (1 << 64) - 1024, (1 << 64) - 1025, (1 << 64) - 2048]
            edges = [e for e in edges if lo <= e <= hi] + [-e for e in edges if lo <= -e <= hi]
            for i in range(n):
                if i % 10 == 0:
                    v = rnd.choice(edges)
                else:
                    bits = rnd.randint(0, width)
                    v = rnd.getrandbits(bits) if bits else 0
                    if rnd.random() < 0.4:  # ties and near-ties at every rounding position
                        k = rnd.randint(0, bits)
                        v = (v >> k) << k
                    if lo < 0 and rnd.random() < 0.5:
                        v = -v
                    v = min(max(v, lo), hi)
                r = mpfr(v)
                out.append("%s %s - %s\n" % (op, hx(v, width // 4), hx(f.from_value(r), w)))


def gen_convert(out, rnd, n):
    with gmpy2.local_context(C64):
        for _ in range(n):
            a = F32.any(rnd)
            r = mpfr(F32.to_float(a))
            out.append("f32_to_f64 %s - %s\n" % (hx(a, 8), hx(F64.from_value(r), 16)))
    with gmpy2.local_context(C32):
        for i in range(2 * n):
            if i % 2 == 0:
                a = F64.any(rnd)
            else:  # the f32 range, including its subnormals, with rounding ties below f32 precision
                e = F64.bias + rnd.randint(-155, 130)
                a = F64.make(rnd.getrandbits(1), e, F64.mantissa(rnd))
            r = mpfr(F64.to_float(a))
            out.append("f64_to_f32 %s - %s\n" % (hx(a, 16), hx(F32.from_value(r), 8)))


def main():
    path = sys.argv[1]
    scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261121
    rnd = random.Random(seed)
    n = lambda k: max(1, int(k * scale))
    out = []
    for f in (F32, F64):
        gen_binary(out, f, rnd, n(60000))
        gen_sqrt(out, f, rnd, n(30000))
        gen_compare(out, f, rnd, n(15000))
        gen_round(out, f, rnd, n(15000))
        gen_to_int(out, f, rnd, n(15000))
        gen_from_int(out, f, rnd, n(15000))
        gen_round_modes(out, f, rnd, n(5000))
        gen_to_int_modes(out, f, rnd, n(3000))
    gen_convert(out, rnd, n(15000))
    # A private temporary name and an atomic rename: concurrent test runs sharing the cache never see a partial file.
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w") as fh:
        fh.writelines(out)
    os.replace(tmp, path)
    print(len(out))


if __name__ == "__main__":
    main()
