"""Small answers handed to the server in one piece: a WSGI body that is a list lets granian send
it at once (``response_bytes``), where any other iterable is pulled chunk by chunk through
Python, with the interpreter lock held (``response_iter``): that took most of the lock's time
of a point lookup. Answers without a length or over ``MAX_WHOLE`` bytes (the dump files) still
stream."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .wsgi import Environ, StartResponse, WSGIApp, read_whole

MAX_WHOLE = 1 << 20



class WholeBodies:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        length: list[int] = []

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            length[:] = [int(v) for k, v in headers if k.lower() == "content-length" and v.isdigit()]
            return start_response(status, headers, exc_info)

        answer = self.app(environ, remember)
        if isinstance(answer, list) or not length or length[0] > MAX_WHOLE:
            return answer
        return [read_whole(answer)]
