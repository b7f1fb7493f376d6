"""What the WSGI layers in front of Flask share (``whole_bodies``, ``sparql_queries``,
``response_cache``): the types of PEP 3333, and reading an answer's body whole."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]


def read_whole(answer: Iterable[bytes]) -> bytes:
    """An answer's body in one piece; the iterable is closed after, as PEP 3333 asks."""
    try:
        return b"".join(answer)
    finally:
        close = getattr(answer, "close", None)
        if close is not None:
            close()
