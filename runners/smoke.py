# Smoke test for a freshly built python.wasm (run by build-python.sh under node's WASI).
# Touches the modules contracts lean on most; every line checks a value, so a broken module fails the build.
import datetime
import decimal
import hashlib
import json
import re
import sys
import zlib

assert sys.version_info[:2] == (3, 13), sys.version
assert sys.platform == "wasi", sys.platform
assert json.loads(json.dumps({"a": [1, 2.5, None]})) == {"a": [1, 2.5, None]}
assert re.fullmatch(r"(\w+)@(\w+)", "user@host").group(2) == "host"
assert hashlib.sha256(b"abc").hexdigest().startswith("ba7816bf")
assert hashlib.sha3_256(b"").hexdigest().startswith("a7ffc6f8")  # the SDK needs sha3 (python-sdk.md §20.1)
payload = b"genvm " * 1000
assert zlib.decompress(zlib.compress(payload)) == payload
assert zlib.crc32(b"hello") == 0x3610A686
assert str(decimal.Decimal(1) / decimal.Decimal(7)) == "0.1428571428571428571428571429"
assert datetime.datetime(2024, 11, 26, tzinfo=datetime.timezone.utc).isoformat() == "2024-11-26T00:00:00+00:00"
print(1 + 1)
print("smoke: ok")
