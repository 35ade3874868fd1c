# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.17 nondet/web/get_webpage_text, get_webpage_html, get_webpage_404; python-sdk.md §9;
# modules.md §4.4): gl.nondet.web.render in text and html modes inside strict_eq, and a page that answers 404.
from genlayer import *


class Page(gl.Contract):
    content: str

    def __init__(self):
        pass

    @gl.public.write
    def render(self, url: str, mode: str) -> str:
        def fetch() -> str:
            return gl.nondet.web.render(url, mode=mode)

        self.content = gl.eq_principle.strict_eq(fetch)
        return self.content

    @gl.public.write
    def missing(self, url: str) -> str:
        def fetch() -> str:
            try:
                gl.nondet.web.render(url, mode='text')
                return 'loaded'
            except gl.nondet.NondetException as e:
                error = e.args[0]
                return f"{error['causes']} {error['ctx']['status']} {error['ctx']['body']!r}"

        return gl.eq_principle.strict_eq(fetch)
