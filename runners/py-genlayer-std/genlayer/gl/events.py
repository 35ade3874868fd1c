"""``gl.Event`` (python-sdk.md §13)."""

from __future__ import annotations

import inspect
import typing
import warnings

from ..py import calldata
from ..py.keccak import Keccak256
from ..py.public_abi import EVENT_MAX_TOPICS

__all__ = ('Event',)


class Event:
    """Declare ``__init__(self, <indexed...>, /, **blob): ...``; the body is replaced at class creation."""

    name: typing.ClassVar[str]
    indexed: typing.ClassVar[tuple[str, ...]]
    signature: typing.ClassVar[str]

    def __init_subclass__(cls, **kwargs: typing.Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = cls.__dict__.get('__init__')
        if declared is None:
            raise TypeError('events must declare __init__(self, <indexed fields>, /, **blob)')
        params = list(inspect.signature(declared).parameters.values())
        if not params or params[0].name != 'self':
            raise TypeError('first parameter of an event __init__ must be self')
        indexed: list[str] = []
        for p in params[1:]:
            if p.kind == inspect.Parameter.POSITIONAL_ONLY:
                indexed.append(p.name)
            elif p.kind == inspect.Parameter.POSITIONAL_OR_KEYWORD:
                raise TypeError('specify `/` after indexed fields')
            elif p.kind == inspect.Parameter.VAR_POSITIONAL:
                raise TypeError('*args are not allowed in events')
            elif p.kind == inspect.Parameter.KEYWORD_ONLY:
                raise TypeError('keyword-only parameters are not allowed in events, use **blob')
        cls.name = cls.__dict__.get('name', cls.__name__)
        cls.indexed = tuple(sorted(indexed))
        cls.signature = cls.name + '(' + ','.join(cls.indexed) + ')'
        if len(indexed) > EVENT_MAX_TOPICS:
            warnings.warn(f'event {cls.name} has more than {EVENT_MAX_TOPICS} indexed fields')
        del cls.__init__  # type: ignore[misc]

    def __init__(self, *values: typing.Any, **blob: typing.Any) -> None:
        if len(values) != len(self.indexed):
            raise TypeError(f'{self.name} expects {len(self.indexed)} indexed values, got {len(values)}')
        data: dict[str, typing.Any] = {}
        # QUIRK (§13): values bind to the *sorted* indexed names in order, not to the declared order.
        for name, value in zip(self.indexed, values):
            data[name] = value
        for key, value in blob.items():
            if key in data:
                raise TypeError(f'indexed field {key} repeated in the blob')
            data[key] = value
        self.blob = data

    def topics(self) -> list[bytes]:
        out = [Keccak256(self.signature.encode('utf-8')).digest()]
        for name in self.indexed:
            encoded = calldata.encode(self.blob[name])
            out.append(Keccak256(encoded).digest() if len(encoded) > 32 else encoded.ljust(32, b'\x00'))
        return out

    def emit(self) -> None:
        from .._internal.host import send

        send({'EmitEvent': {'topics': self.topics(), 'blob': self.blob}})

    def __repr__(self) -> str:
        return f'{self.name}({self.blob!r})'
