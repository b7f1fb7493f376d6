"""Whole answers kept in memory and sent again without entering Flask: a release never changes
while it is served, so a document, a page or a redirect once answered is the answer for as
long as the app runs. A WSGI layer in front of the app (like a reverse proxy's cache, per
server process), bounded by total bytes, least recently used out first.

A view opts in with ``cacheable(by_accept=...)``: its answer depends on the URL alone, or on
the URL and the Accept header (a negotiated answer; kept per Accept value, as an HTTP cache
keys on ``Vary: Accept``). Conditional requests (``If-None-Match``, ``If-Modified-Since``)
are answered from the cache too (304); the rarer preconditions and ranges go to the app.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import request
from werkzeug.http import http_date, is_resource_modified, parse_date, remove_entity_headers, unquote_etag

from .wsgi import Environ, StartResponse, WSGIApp, read_whole

CACHEABLE = "conflict_ld.cacheable"  # the environ key a view sets
STATUSES = ("200 ", "303 ")  # answers worth keeping: documents, pages and redirects to them
# Requests the cache leaves to the app: their answer may be a part, or a 412.
PASSED_ON = ("HTTP_RANGE", "HTTP_IF_RANGE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")



def cacheable(*, by_accept: bool) -> None:
    """Mark the current request's answer as cacheable (when it succeeds)."""
    request.environ[CACHEABLE] = "accept" if by_accept else "url"


@dataclass(frozen=True)
class _Entry:
    status: str
    headers: list[tuple[str, str]]  # without Date: each answer is dated when it is sent
    body: bytes
    etag: str | None
    last_modified: Any  # datetime | None
    dated: bool  # the app's answer had a Date header

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers)


def _url_key(environ: Environ) -> tuple[str, ...]:
    return (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))


class ResponseCache:
    def __init__(self, app: WSGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, ...], _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # the server runs the app on several threads

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if not self.max_bytes or method not in ("GET", "HEAD") or any(h in environ for h in PASSED_ON):
            return self.app(environ, start_response)
        url = _url_key(environ)
        by_accept = (*url, environ.get("HTTP_ACCEPT", ""))
        with self._lock:
            key = url if url in self._entries else by_accept
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        if entry is not None:
            return self._send(entry, environ, start_response, head=method == "HEAD")
        return self._answer_and_keep(environ, start_response, url=url, by_accept=by_accept)

    def __len__(self) -> int:
        return len(self._entries)

    def _answer_and_keep(self, environ: Environ, start_response: StartResponse, *,
                         url: tuple[str, ...], by_accept: tuple[str, ...]) -> Iterable[bytes]:
        seen: list[tuple[str, list[tuple[str, str]]]] = []

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen.append((status, headers))
            return start_response(status, headers, exc_info)

        answer = self.app(environ, remember)
        mark = environ.get(CACHEABLE)
        if (mark is None or environ.get("REQUEST_METHOD") != "GET" or not seen
                or not seen[-1][0].startswith(STATUSES)):
            return answer
        body = read_whole(answer)
        status, headers = seen[-1]
        fields = {k.lower(): v for k, v in headers}
        etag = unquote_etag(fields["etag"])[0] if "etag" in fields else None
        entry = _Entry(status, [(k, v) for k, v in headers if k.lower() != "date"], body, etag,
                       parse_date(fields.get("last-modified")), "date" in fields)
        self._keep(url if mark == "url" else by_accept, entry)
        return [body]

    def _keep(self, key: tuple[str, ...], entry: _Entry) -> None:
        if entry.size > self.max_bytes // 8:  # one huge graph must not flush everything else
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.size

    @staticmethod
    def _send(entry: _Entry, environ: Environ, start_response: StartResponse, *,
              head: bool) -> Iterable[bytes]:
        if (any(h in environ for h in CONDITIONAL) and (entry.etag or entry.last_modified)
                and not is_resource_modified(environ, etag=entry.etag, last_modified=entry.last_modified)):
            headers = _dated(entry)
            remove_entity_headers(headers)
            start_response("304 NOT MODIFIED", headers)
            return []
        start_response(entry.status, _dated(entry))
        return [] if head else [entry.body]


def _dated(entry: _Entry) -> list[tuple[str, str]]:
    # A replayed Date would tell a cache the answer is as old as the first one (RFC 9110 6.6.1).
    return [*entry.headers, ("Date", http_date())] if entry.dated else list(entry.headers)
