# { "Seq": [
#   { "Depends": "py-lib-genlayer-embeddings:test" },
#   { "Depends": "py-genlayer:test" }
# ] }

# Corpus (contract-corpus.md §2.5 simple, simple_det, vecdb): the embeddings add-on (python-sdk.md §20.5) comes as
# its own runner, which this GenVM does not ship yet; the contract never starts (runners.md §5).
import typing

import numpy as np
import genlayer_embeddings as gle
from genlayer import *


def _embed(text: str) -> float:
    model = gle.SentenceTransformer('all-MiniLM-L6-v2')
    return float(model(text).sum())


class Embeddings(gl.Contract):
    db: gle.VecDB[np.float32, typing.Literal[4], str, gle.EuclideanDistanceSquared]

    def __init__(self):
        pass

    @gl.public.write
    def det(self) -> str:
        return str(_embed('hello'))

    @gl.public.write
    def nondet(self) -> str:
        return gl.eq_principle.strict_eq(lambda: str(_embed('hello')))

    @gl.public.write
    def store(self) -> None:
        self.db.insert(np.array([1, 2, 3, 4], dtype=np.float32), 'four')
