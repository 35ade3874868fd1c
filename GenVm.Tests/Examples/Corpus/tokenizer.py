# { "Seq": [
#   { "Depends": "py-lib-word_piece_tokenizer:test" },
#   { "Depends": "py-genlayer:test" }
# ] }

# Corpus (contract-corpus.md §2.5 simple_tokenizer): only the word-piece tokenizer runner, which this GenVM does not
# ship yet; the contract never starts (runners.md §5).
import word_piece_tokenizer
from genlayer import *


class Tokens(gl.Contract):
    def __init__(self):
        pass

    @gl.public.view
    def ids(self) -> list:
        tokenizer = word_piece_tokenizer.WordPieceTokenizer()
        return [tokenizer.tokenize(text) for text in ('hello world', 'GenLayer', '')]
