# { "Seq": [
#   { "Depends": "py-lib-genlayer-embeddings:09h0i209wrzh4xzq86f79c60x0ifs7xcjwl53ysrnw06i54ddxyi" },
#   { "Depends": "py-genlayer:1jb45aa8ynh2a9c9xn3b7qqh8sm5q93hwfp7jqmwsfhh8jpz09h6" }
# ] }

# Corpus (contract-corpus.md §3 row 6, log_indexer): a real contract pins the June 2025 embeddings runner by its
# reference id next to an aliased py-genlayer id; the embeddings id is not shipped, so loading fails (runners.md §5).
import numpy as np
import genlayer_embeddings as gle
from genlayer import *


class Pinned(gl.Contract):
    def __init__(self):
        pass

    @gl.public.view
    def size(self) -> int:
        return len(gle.SentenceTransformer('all-MiniLM-L6-v2')('x'))
