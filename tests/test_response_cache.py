"""The response cache in front of the app (server/response_cache.py): a cached answer is the
app's answer byte for byte (status, every header, body), for GET, HEAD and conditional
requests; what must not be kept is not; the size is a setting and bounds it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conflict_ld.server.app import create_app
from conflict_ld.server.response_cache import CACHEABLE, ResponseCache
from flask import Flask

from conflict_ld.settings import SettingsError


def _counted(app: Flask) -> list[str]:
    """The paths that reach Flask from now on (a cached answer does not)."""
    seen: list[str] = []
    cache = _cache(app)
    inner = getattr(cache.app, "inner", cache.app)

    def counting(environ, start_response):
        seen.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    counting.inner = inner  # type: ignore[attr-defined]
    cache.app = counting
    return seen


def _headers(answer) -> list[tuple[str, str]]:
    """The headers, but Date (the time each answer is sent), in order."""
    return [(k, v) for k, v in answer.headers if k != "Date"]


def _cache(app: Flask) -> ResponseCache:
    layer = app.wsgi_app
    while not isinstance(layer, ResponseCache):  # under the layers in front of it
        layer = layer.app  # type: ignore[attr-defined]
    return layer


@pytest.fixture(scope="module")
def app(default_build: Path) -> Flask:
    return create_app({"out": default_build, "rate_limit": 0})


@pytest.fixture(scope="module")
def uncached(default_build: Path) -> Flask:
    return create_app({"out": default_build, "document_cache": 0, "rate_limit": 0})


CACHED = [
    ("/page/Hamas", None),
    ("/data/Hamas.ttl", None),
    ("/data/Hamas.jsonld", "text/html"),  # the extension decides, not the Accept header
    ("/data/Hamas", "application/n-triples"),  # negotiated: kept per Accept
    ("/data/Hamas", "text/turtle;q=0.9, application/ld+json"),
    ("/resource/Hamas", "text/turtle"),  # the 303
    ("/resource/Hamas", "text/html"),
    ("/graph/entities", "text/turtle"),
    ("/ontology", "application/rdf+xml"),
    ("/ontology.rdf", None),
    ("/", None),
    ("/class/ArmedGroup", None),
]


@pytest.mark.parametrize(("path", "accept"), CACHED)
def test_a_cached_answer_is_the_apps_answer(app: Flask, uncached: Flask, path: str,
                                            accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    seen = _counted(app)
    first = app.test_client().get(path, headers=headers)
    again = app.test_client().get(path, headers=headers)
    fresh = uncached.test_client().get(path, headers=headers)
    assert first.status_code in (200, 303)
    assert seen.count(path) <= 1  # the second answer did not reach Flask
    for answer in (again, fresh):
        assert answer.status == first.status
        assert _headers(answer) == _headers(first)
        assert answer.data == first.data


@pytest.mark.parametrize("path", ["/page/Hamas", "/data/Hamas.ttl", "/ontology.rdf"])
def test_conditional_and_head_requests_are_answered_from_the_cache(app: Flask, uncached: Flask,
                                                                   path: str) -> None:
    client = app.test_client()
    first = client.get(path)
    seen = _counted(app)
    for conditional in ({"If-None-Match": first.headers["ETag"]},
                        {"If-Modified-Since": first.headers["Last-Modified"]},
                        {"If-None-Match": f'"other", {first.headers["ETag"]}'}):
        cached = client.get(path, headers=conditional)
        fresh = uncached.test_client().get(path, headers=conditional)
        assert cached.status_code == fresh.status_code == 304
        assert _headers(cached) == _headers(fresh) and cached.data == b""
    stale = client.get(path, headers={"If-None-Match": '"an-old-version"'})
    assert stale.status_code == 200 and stale.data == first.data
    head, fresh_head = client.head(path), uncached.test_client().head(path)
    assert head.status_code == 200 and head.data == b""
    assert _headers(head) == _headers(fresh_head)
    assert seen == []


def test_a_cached_answer_is_dated_when_it_is_sent(app: Flask, monkeypatch) -> None:
    """Regression: the cache replayed the first answer's Date header."""
    from conflict_ld.server import response_cache

    client = app.test_client()
    first = client.get("/data/Hamas.ttl", headers={"If-None-Match": '"x"'})
    monkeypatch.setattr(response_cache, "http_date", lambda: "Wed, 01 Jan 2031 00:00:00 GMT")
    for answer in (client.get("/data/Hamas.ttl"), client.head("/data/Hamas.ttl"),
                   client.get("/data/Hamas.ttl", headers={"If-None-Match": first.headers["ETag"]})):
        assert answer.headers.getlist("Date") == ["Wed, 01 Jan 2031 00:00:00 GMT"]


def test_what_must_not_be_kept_is_not(app: Flask) -> None:
    client = app.test_client()
    cache = _cache(app)
    before = len(cache)
    seen = _counted(app)
    for _ in range(2):
        assert client.get("/page/No_such_thing").status_code == 404
        assert client.get("/sparql", query_string={"query": "ASK {}"},
                          headers={"Accept": "application/sparql-results+json"}).status_code == 200
        assert client.get("/data/Hamas", headers={"Accept": "image/png"}).status_code == 406
        assert client.get("/dumps/").status_code == 200  # names the latest release: may move
    assert len(cache) == before
    assert seen.count("/page/No_such_thing") == seen.count("/dumps/") == 2  # (queries never reach it)


def test_ranges_and_preconditions_go_to_the_app(app: Flask) -> None:
    client = app.test_client()
    client.get("/data/Hamas.nt")
    seen = _counted(app)
    for header in ({"Range": "bytes=0-9"}, {"If-Match": '"x"'},
                   {"If-Unmodified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}):
        client.get("/data/Hamas.nt", headers=header)
    assert seen == ["/data/Hamas.nt"] * 3


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    """Over a plain WSGI app whose answers are 10 bytes of body and one short header."""
    calls: list[str] = []

    def plain(environ, start_response):
        calls.append(environ["PATH_INFO"])
        environ[CACHEABLE] = "url"
        size = 100 if environ["PATH_INFO"] == "/huge" else 10
        start_response("200 OK", [("X", "y")])
        return [b"x" * size]

    cache = ResponseCache(plain, max_bytes=96)  # 12 bytes an answer: eight fit

    def get(path: str) -> bytes:
        return b"".join(cache({"REQUEST_METHOD": "GET", "PATH_INFO": path}, lambda *a: None))

    for path in ("/a", "/b", "/c", "/d"):
        get(path)
    get("/a")  # a is now the most recently used
    for path in ("/e", "/f", "/g", "/h", "/i"):
        get(path)
    assert cache._bytes <= 96 and len(cache) == 8
    calls.clear()
    get("/a")
    get("/b")
    assert calls == ["/b"]  # a was kept, b was the least recently used
    assert get("/huge") == b"x" * 100 and get("/huge") == b"x" * 100
    assert calls.count("/huge") == 2  # over an eighth of the cache: never kept


def test_the_cache_size_is_a_setting(default_build: Path) -> None:
    app = create_app({"out": default_build, "document_cache": 0})
    client = app.test_client()
    assert client.get("/page/Hamas").data == client.get("/page/Hamas").data
    assert len(_cache(app)) == 0  # 0 keeps nothing
    with pytest.raises(SettingsError, match="document_cache"):
        create_app({"out": default_build, "document_cache": "lots"})
