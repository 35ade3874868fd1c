# { "Depends": "py-genlayer:test" }

# Which str-hash secret and random stream a VM has (GenVm.Tests/Core/Supervisor/NondetSnapshotTests; docs/decisions.md
# "Non-det snapshots"): the det VM's secret comes from the fixed MT19937 stream, a non-det VM's from OS entropy drawn
# at its interpreter boot; `random` seeds itself from OS entropy when imported inside the block.
from genlayer import *


def hashes() -> str:
    return ' '.join(str(hash(w)) for w in ('genlayer', 'intelligent contracts', 'nondet'))


def nondet_part() -> str:
    import random
    return hashes() + ' / ' + str(random.getrandbits(64))


class NondetSecret(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def secrets(self) -> str:
        nondet = gl.vm.run_nondet_unsafe(nondet_part, lambda leaders_result: True)
        return '[' + hashes() + ' | ' + nondet + ']'
