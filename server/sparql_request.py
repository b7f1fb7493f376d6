"""A SPARQL 1.1 Protocol query request, read from an HTTP request, or the 4xx it deserves.

Three ways to send a query (SPARQL 1.1 Protocol, section 2.1): GET with ``query=``; POST with
an ``application/x-www-form-urlencoded`` body; POST with an ``application/sparql-query`` body
(the query itself, UTF-8). ``default-graph-uri`` and ``named-graph-uri`` may repeat; in a POST
they may also be in the URL (as the W3C protocol tests send them). Parameters the protocol
does not define are ignored (SPARQLWrapper adds ``output=json&results=json``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from werkzeug.datastructures import MultiDict
from werkzeug.http import parse_options_header
from werkzeug.wrappers import Request

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


class ProtocolError(Exception):
    """A request the endpoint refuses, with the status that says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class QueryRequest:
    query: str | None  # None: no query (the service description or the query page)
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None  # the ``format`` parameter, if any


def read(request: Request, *, max_length: int) -> QueryRequest:
    """The query request in ``request``; ``max_length``: the longest query accepted, in bytes
    of UTF-8 (0: no limit)."""
    params = MultiDict(request.args)
    if request.method == "POST":
        mimetype, options = parse_options_header(request.headers.get("Content-Type", ""))
        mimetype = mimetype.lower()
        if mimetype == UPDATE:
            raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")
        if not mimetype:
            raise ProtocolError(400, f"a POST needs a Content-Type: {FORM} (query=...) or {QUERY}")
        if mimetype not in (FORM, QUERY):
            raise ProtocolError(415, f"unsupported Content-Type {mimetype}: send {FORM} (query=...) "
                                f"or {QUERY}")
        charset = options.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise ProtocolError(415, f"unsupported charset {charset}: send the query in UTF-8")
        if max_length and (request.content_length or 0) > 3 * max_length + 65536:
            raise ProtocolError(413, f"request body too large: queries are limited to {max_length} bytes")
        body = request.get_data(cache=False)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ProtocolError(400, f"the request body is not UTF-8 (byte {error.start})") from None
        if mimetype == QUERY:
            if "query" in params:
                raise ProtocolError(400, "a query in both the body and the URL: send one")
            params.add("query", text.removeprefix("\ufeff"))
        else:
            try:
                params.update(parse_qsl(text, keep_blank_values=True, errors="strict"))
            except UnicodeDecodeError:
                raise ProtocolError(400, "a form field is not percent-encoded UTF-8") from None
    if "update" in params:
        raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")
    queries = params.getlist("query")
    if len(queries) > 1:
        raise ProtocolError(400, f"{len(queries)} query parameters: send exactly one")
    query = queries[0] if queries else None
    if query is not None:
        if not query.strip():
            raise ProtocolError(400, "the query is empty")
        if max_length and len(query.encode("utf-8")) > max_length:
            raise ProtocolError(413, f"query too long: the limit is {max_length} bytes")
    return QueryRequest(query, _graphs(params, "default-graph-uri"), _graphs(params, "named-graph-uri"),
                        params.get("format"))


def _graphs(params: MultiDict, name: str) -> tuple[str, ...]:
    graphs = tuple(params.getlist(name))
    for iri in graphs:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise ProtocolError(400, f"{name}: not an absolute IRI: {iri!r}") from None
    return graphs
