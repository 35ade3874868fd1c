"""``gl.nondet``: LLM prompts and web access, only allowed in non-deterministic VMs (python-sdk.md §9)."""

from __future__ import annotations

import dataclasses
import typing

from .._internal import host
from ..py import calldata
from ..py.types import Lazy

__all__ = ('exec_prompt', 'web', 'NondetException', 'Image')


class NondetException(Exception):
    """A module reported a user-level error (the ``error`` value of its answer)."""


@dataclasses.dataclass
class Image:
    raw: bytes
    pil: typing.Any


def _answer(fd: int | None) -> typing.Any:
    if fd is None:
        raise SystemError('host gave no result file')
    decoded = calldata.decode(host.read_fd(fd))
    if isinstance(decoded, dict) and 'error' in decoded:
        raise NondetException(decoded['error'])
    return decoded['ok']


def _open_image(raw: bytes) -> Image:
    # PIL is not shipped (genlayer/_internal/not_shipped.py): the raw bytes stay usable (e.g. as exec_prompt images);
    # touching ``.pil`` ends the VM with VMError("invalid_contract").
    from .._internal.not_shipped import Placeholder

    return Image(raw, Placeholder('PIL'))


def _exec_prompt_lazy(
    prompt: str,
    *,
    response_format: typing.Literal['text', 'json'] = 'text',
    images: typing.Sequence[bytes | Image] | None = None,
) -> Lazy[typing.Any]:
    raw_images = [im.raw if isinstance(im, Image) else bytes(im) for im in (images or [])]
    fd = host.send({'ExecPrompt': {'prompt': prompt, 'response_format': response_format, 'images': raw_images}})
    return Lazy(lambda: _answer(fd))


def exec_prompt(
    prompt: str,
    *,
    response_format: typing.Literal['text', 'json'] = 'text',
    images: typing.Sequence[bytes | Image] | None = None,
) -> typing.Any:
    """Runs a prompt: ``str`` for text, ``dict`` for json (§9)."""
    return _exec_prompt_lazy(prompt, response_format=response_format, images=images).get()


exec_prompt.lazy = _exec_prompt_lazy  # type: ignore[attr-defined]


@dataclasses.dataclass
class Response:
    status: int
    headers: dict[str, bytes]
    body: bytes | None


def _render_lazy(
    url: str,
    *,
    mode: typing.Literal['text', 'html', 'screenshot'] = 'text',
    wait_after_loaded: str | None = None,
) -> Lazy[typing.Any]:
    fd = host.send({'WebRender': {'url': url, 'mode': mode, 'wait_after_loaded': wait_after_loaded or '0ms'}})

    def decode() -> typing.Any:
        ok = _answer(fd)
        if 'image' in ok:
            return _open_image(ok['image'])
        return ok['text']

    return Lazy(decode)


def _render(
    url: str,
    *,
    mode: typing.Literal['text', 'html', 'screenshot'] = 'text',
    wait_after_loaded: str | None = None,
) -> typing.Any:
    return _render_lazy(url, mode=mode, wait_after_loaded=wait_after_loaded).get()


_render.lazy = _render_lazy  # type: ignore[attr-defined]

_Method = typing.Literal['GET', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']


def _request_lazy(
    url: str,
    *,
    method: _Method,
    body: str | bytes | None = None,
    headers: typing.Mapping[str, str | bytes] = {},
) -> Lazy[Response]:
    if isinstance(body, str):
        body = body.encode('utf-8')
    encoded_headers = {k: v.encode('utf-8') if isinstance(v, str) else bytes(v) for k, v in headers.items()}
    fd = host.send({'WebRequest': {'url': url, 'method': method, 'body': body, 'headers': encoded_headers}})

    def decode() -> Response:
        resp = _answer(fd)['response']
        return Response(status=resp['status'], headers=resp['headers'], body=resp['body'])

    return Lazy(decode)


def _request(
    url: str,
    *,
    method: _Method,
    body: str | bytes | None = None,
    headers: typing.Mapping[str, str | bytes] = {},
) -> Response:
    return _request_lazy(url, method=method, body=body, headers=headers).get()


_request.lazy = _request_lazy  # type: ignore[attr-defined]


def _shorthand(method: _Method, with_body: bool) -> typing.Callable[..., Response]:
    if with_body:

        def lazy(url: str, *, body: str | bytes | None = None, headers: typing.Mapping[str, str | bytes] = {}) -> Lazy[Response]:
            return _request_lazy(url, method=method, body=body, headers=headers)

    else:

        def lazy(url: str, *, headers: typing.Mapping[str, str | bytes] = {}) -> Lazy[Response]:  # type: ignore[misc]
            return _request_lazy(url, method=method, headers=headers)

    def eager(*args: typing.Any, **kwargs: typing.Any) -> Response:
        return lazy(*args, **kwargs).get()

    eager.lazy = lazy  # type: ignore[attr-defined]
    eager.__name__ = method.lower()
    return eager


class web:
    """``gl.nondet.web``: page rendering and HTTP requests (§9)."""

    Response = Response
    render = staticmethod(_render)
    request = staticmethod(_request)
    get = staticmethod(_shorthand('GET', False))
    post = staticmethod(_shorthand('POST', True))
    delete = staticmethod(_shorthand('DELETE', True))
    head = staticmethod(_shorthand('HEAD', True))
    patch = staticmethod(_shorthand('PATCH', True))
