#!/usr/bin/env python3
"""Prints the runner hash of tar files: nix32(sha256(tar bytes)) (runners.md section 5).

Usage: runner-id.py FILE.tar ...   (one "<hash>  <file>" line per file)
       runner-id.py --self-test    (checks the spec's test vector)
"""
import hashlib
import sys

# Nix's base-32 alphabet: no e, o, t, u (runners.md section 5).
ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz"


def nix32(digest: bytes) -> str:
    n = len(digest)
    length = (8 * n - 1) // 5 + 1
    out = []
    for k in range(length - 1, -1, -1):
        b = 5 * k
        i, j = divmod(b, 8)
        c = digest[i] >> j
        if i + 1 < n:
            c |= digest[i + 1] << (8 - j)
        out.append(ALPHABET[c & 31])
    return "".join(out)


def file_hash(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return nix32(h.digest())


def main(argv):
    if argv[1:] == ["--self-test"]:
        got = nix32(hashlib.sha256(b"").digest())
        want = "0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73"
        if got != want:
            sys.exit(f"runner-id: self-test failed: {got} != {want}")
        print("runner-id: self-test ok")
        return
    if len(argv) < 2:
        sys.exit(__doc__)
    for path in argv[1:]:
        print(f"{file_hash(path)}  {path}")


if __name__ == "__main__":
    main(sys.argv)
