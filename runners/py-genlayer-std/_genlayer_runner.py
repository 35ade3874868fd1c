"""Entry script of every Python contract VM: ``py -u -B /py/libs/_genlayer_runner.py`` (python-sdk.md §6, §19.2).

Reads the message (fd 0), then for MAIN imports the user module ``contract`` and dispatches the method call; for
SANDBOX / CONSENSUS_STAGE unpickles and runs the closure. The outcome leaves through ``gl_call`` as ``Return`` or
``Rollback``; any other exception propagates, so CPython prints it and exits with status 1 (``exit_code 1``).
"""

from __future__ import annotations

import os
import sys
import typing

sys.path.append('/')  # ``import contract`` finds /contract.py or /contract/ (after the stdlib and libraries)

# numpy and PIL come with the reference's cpython runner, not with ours: importing them ends the VM with
# VMError("invalid_contract") before any contract code can catch an ImportError (genlayer/_internal/not_shipped.py).
from genlayer._internal import not_shipped  # noqa: E402

not_shipped.install()


def _check_callable(fn: typing.Any, value: int) -> None:
    """The "abstract check" of §6.1: public, not abstract, payable when value is attached."""
    if fn is None:
        raise ValueError('method not found')
    if not getattr(fn, '__gl_public__', False):
        raise ValueError(f'method is not public: {getattr(fn, "__name__", fn)}')
    if getattr(fn, '__isabstractmethod__', False):
        raise ValueError(f'method is abstract: {getattr(fn, "__name__", fn)}')
    if value > 0 and not getattr(fn, '__gl_payable__', False):
        raise ValueError(f'method is not payable: {getattr(fn, "__name__", fn)}')


def _checked(fn: typing.Any, value: int) -> Exception | None:
    try:
        _check_callable(fn, value)
    except ValueError as e:
        return e
    return None


def _run_main(message_raw: typing.Any) -> typing.Any:
    import contract  # noqa: F401 - its top-level code defines (and registers) the gl.Contract subclass

    from genlayer.gl.contract import contract_class
    from genlayer.py import calldata
    from genlayer.py.public_abi import SpecialMethod
    from genlayer.py.storage import Root

    cls = contract_class()
    if cls is None:
        raise Exception('no contract defined')
    entry = calldata.decode(message_raw['entry_data'])
    if not isinstance(entry, dict):
        raise TypeError(f'entry data must be a map, got {type(entry)}')
    args = entry.get('args', [])
    kwargs = entry.get('kwargs', {})
    value = message_raw['value']
    root = Root.get()
    if message_raw['is_init']:
        root.lock_default()  # before calling anything (§6.1 step 3, §17.10)
        init = cls.__init__
        if init is object.__init__:
            raise TypeError('improper contract: define __init__')
        if getattr(init, '__gl_public__', False):
            raise TypeError('__init__ must be private')
        method: typing.Any = init
    else:
        name = entry.get('method', '')
        if name == SpecialMethod.ERRORED_MESSAGE:
            method = cls.__on_errored_message__
        elif name == SpecialMethod.GET_SCHEMA:
            return cls.__get_schema__()
        elif name == '':
            receive = getattr(cls, '__receive__', None)
            error = _checked(receive, value)
            if error is None:
                method = receive
            else:
                fallback = getattr(cls, '__handle_undefined_method__', None)
                if _checked(fallback, value) is not None:
                    err = ValueError('no __receive__ and no __handle_undefined_method__ accepts this call')
                    err.add_note(str(error))
                    raise err
                return fallback(root.get_contract_instance(cls), '', args, kwargs)
        elif name.startswith('__'):
            raise ValueError('calls to methods that start with __ is forbidden')
        elif name.startswith('#'):
            raise ValueError(f'unknown special method {name}')
        else:
            method = getattr(cls, name, None)
            if method is not None:
                _check_callable(method, value)
            else:
                fallback = getattr(cls, '__handle_undefined_method__', None)
                _check_callable(fallback, value)
                return fallback(root.get_contract_instance(cls), name, args, kwargs)
    instance = root.get_contract_instance(cls)
    return method(instance, *args, **kwargs)


def _run_closure(message_raw: typing.Any) -> typing.Any:
    import pickle

    from genlayer.py.public_abi import EntryKind

    kind = message_raw['entry_kind']
    if kind not in (EntryKind.SANDBOX, EntryKind.CONSENSUS_STAGE):
        raise ValueError(f'invalid entry kind {kind}')
    fn = pickle.loads(message_raw['entry_data'])
    if kind == EntryKind.SANDBOX:
        return fn()
    return fn(message_raw['entry_stage_data'])


def _main() -> None:
    from genlayer._internal.host import finish
    from genlayer._internal.msg import message_raw
    from genlayer.gl.vm import UserError
    from genlayer.py.public_abi import EntryKind

    try:
        if message_raw['entry_kind'] == EntryKind.MAIN:
            result = _run_main(message_raw)
        else:
            result = _run_closure(message_raw)
    except UserError as e:
        finish('Rollback', e.message)
    finish('Return', result)


def _profiled() -> None:
    import base64
    import cProfile
    import gzip
    import marshal

    from genlayer import gl

    profiler = cProfile.Profile(gl.trace_time_micro, 1e-6)
    import atexit

    def dump() -> None:
        profiler.disable()
        profiler.create_stats()
        data = base64.b64encode(gzip.compress(marshal.dumps(profiler.stats))).decode('ascii')  # type: ignore[attr-defined]
        print('=== stats (gzip, base64) ===', file=sys.stderr)
        print(data, file=sys.stderr)

    atexit.register(dump)
    profiler.enable()
    _main()


if os.environ.get('GENLAYER_ENABLE_PROFILER') == 'true':
    _profiled()
else:
    _main()
