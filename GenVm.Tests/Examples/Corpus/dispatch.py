# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.4 undefined_method, undefined_method_payable, undefined_receive; §2.9 error_msg,
# error_msg_overridden; python-sdk.md §4.1, §6.1): how a call without a matching public method is routed. The
# fallbacks are public; __receive__ and __on_errored_message__ are payable, __handle_undefined_method__ is not.
from genlayer import *


class Dispatch(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def __handle_undefined_method__(self, method_name: str, args: list, kwargs: dict) -> None:
        print('undefined', repr(method_name), args, kwargs, gl.message.value)

    @gl.public.write.payable
    def __receive__(self) -> None:
        print('receive', gl.message.value)

    @gl.public.write.payable
    def __on_errored_message__(self) -> None:
        print('errored', gl.message.value)

    @gl.public.write
    def plain(self) -> None:
        print('plain')
