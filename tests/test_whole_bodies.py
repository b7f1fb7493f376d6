"""Small answers reach the server as one list (server/whole_bodies.py); long or unsized ones
still stream, and an iterable's close() is always called."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conflict_ld.server.whole_bodies import MAX_WHOLE, WholeBodies


class Body:
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.chunks)

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize(("length", "whole"), [(5, True), (None, False), (MAX_WHOLE + 1, False)])
def test_small_sized_answers_are_handed_over_whole(length: int | None, whole: bool) -> None:
    body = Body([b"ab", b"cde"])

    def app(environ, start_response):
        start_response("200 OK", [("Content-Length", str(length))] if length is not None else [])
        return body

    answer = WholeBodies(app)({}, lambda *args: None)
    if whole:
        assert answer == [b"abcde"] and body.closed
    else:
        assert answer is body and not body.closed  # the server closes it after streaming


def test_through_the_app_a_sparql_answer_is_one_piece(default_build) -> None:
    from conflict_ld.server.app import create_app

    app = create_app({"out": default_build, "rate_limit": 0})
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/sparql", "QUERY_STRING": "query=ASK%7B%7D",
               "SERVER_NAME": "localhost", "SERVER_PORT": "8080", "wsgi.url_scheme": "http",
               "HTTP_ACCEPT": "application/sparql-results+json"}
    statuses: list[str] = []
    answer = app.wsgi_app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    assert statuses == ["200 OK"] and isinstance(answer, list) and b"boolean" in answer[0]
