# { "Depends": "py-genlayer:1jb45aa8ynh2a9c9xn3b7qqh8sm5q93hwfp7jqmwsfhh8jpz09h6" }

# Pins the reference's py-genlayer id (aliased to ours) and imports numpy at module level, like real contracts that
# store numpy arrays: numpy comes with the reference's cpython runner, which we do not ship (docs/decisions.md
# "Runners: imports of numpy and PIL"), so deploying it ends with VMError("invalid_contract").
import numpy as np

from genlayer import *


class Vectors(gl.Contract):
    total: u64

    def __init__(self):
        self.total = int(np.int64(3))

    @gl.public.view
    def get(self) -> int:
        return self.total
