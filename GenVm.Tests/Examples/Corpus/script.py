# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.1 _hello_world_, §2.14 self-run datetime, re, formats, typing_is_ok; python-sdk.md §2.2, §19.3): a
# module-level script without a contract class. exit(0) ends it with Return(null) before the runner looks for a class.
import datetime
import re
import typing

from genlayer import *

print(1)
print(datetime.datetime.now())
print(re.sub(r'(\d+)', r'<\1>', 'a1b22c333'), re.fullmatch(r'[a-z]+', 'abc') is not None)
a = Address('0x' + '12' * 20)
print(str(a), repr(a))
print(format(a, 'cd'), format(a, 'b64'), format(a, 'x') == a.as_hex, a.as_int)
print(a == Address(bytes([0x12] * 20)), a == a.as_bytes, a < Address(bytes([0x13] * 20)))
try:
    format(a, 'q')
except TypeError:
    print('format q: TypeError')


class Box[T]:
    item: T


print(Box[int], Box.__type_params__, typing.get_type_hints(Box[int].__origin__))
exit(0)
