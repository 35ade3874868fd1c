# { "Depends": "py-genlayer:test" }

# Prints what a restored interpreter must not carry over from an earlier execution, and what must equal a booted
# one (GenVm.Tests/Core/Supervisor/SnapshotInstanceFactoryTests): det hash(str) and set order, the random stream after
# the start-up, module globals and the module table.
import json
import random
import sys

from genlayer import *

_calls = []


class SnapshotProbe(gl.Contract):
    def __init__(self):
        pass

    @gl.public.view
    def probe(self) -> None:
        import genlayer
        import genlayer.py.storage as storage

        _calls.append(1)
        genlayer._probe_leak = getattr(genlayer, '_probe_leak', 0) + 1
        storage.__dict__.setdefault('_probe_list', []).append(1)
        words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa']
        print(json.dumps({
            'calls': len(_calls),
            'leak': genlayer._probe_leak,
            'storage_list': len(storage._probe_list),
            'set_order': list(set(words)),
            'dict_keys': list({w: 0 for w in reversed(words)}),
            'hashes': [hash(w) for w in words[:3]],
            'random': [random.random(), random.getrandbits(64)],
            'modules': sorted(sys.modules)[:5] + [len(sys.modules)],
        }))
