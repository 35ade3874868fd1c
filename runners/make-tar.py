#!/usr/bin/env python3
"""Writes a deterministic runner tar (runners.md section 6).

Usage: make-tar.py OUT.tar NAME=FILE ... PREFIX/=DIR ...
  NAME=FILE    adds FILE as member NAME
  PREFIX/=DIR  adds every regular file below DIR as PREFIX + its path relative to DIR

The archive is POSIX ustar ("ustar\\0" "00"), regular files only (no directory entries, no links), members sorted
byte-wise by name, mode 0644, uid/gid 0, empty user/group names, mtime SOURCE_DATE_EPOCH (default 0). So the
same files always give the same bytes, whatever the file system's order, owners or times.
"""
import io
import os
import sys
import tarfile

# The reference reader cuts the last byte of a full 100-byte name field and joins the ustar prefix field without
# a '/', so a member name must fit the name field with room for its NUL (runners.md section 6).
MAX_NAME = 99


def collect(specs):
    members = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            sys.exit(f"make-tar: bad argument {spec!r} (want NAME=FILE or PREFIX/=DIR)")
        if name.endswith("/"):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for f in files:
                    full = os.path.join(root, f)
                    if os.path.islink(full) or not os.path.isfile(full):
                        sys.exit(f"make-tar: {full} is not a regular file")
                    rel = os.path.relpath(full, path).replace(os.sep, "/")
                    add(members, name + rel, full)
        else:
            add(members, name, path)
    return members


def add(members, name, path):
    if name in members:
        sys.exit(f"make-tar: duplicate member {name}")
    if len(name.encode("utf-8")) > MAX_NAME:
        sys.exit(f"make-tar: member name longer than {MAX_NAME} bytes: {name}")
    members[name] = path


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out, specs = argv[1], argv[2:]
    members = collect(specs)
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name in sorted(members, key=lambda n: n.encode("utf-8")):
            with open(members[name], "rb") as f:
                data = f.read()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = mtime
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.type = tarfile.REGTYPE
            tar.addfile(info, io.BytesIO(data))
    tmp = out + ".part"
    with open(tmp, "wb") as f:
        f.write(buf.getvalue())
    os.replace(tmp, out)
    print(f"make-tar: {out}: {len(members)} files, {len(buf.getvalue())} bytes")


if __name__ == "__main__":
    main(sys.argv)
