"""A SPARQL 1.1 store elsewhere (Oxigraph server, Virtuoso, Fuseki, GraphDB, ...) as a ``Backend``.

Every query goes to the store's query endpoint through the SPARQL 1.1 Protocol (form POST, so
long queries fit), over a small pool of keep-alive connections (``http.client``: the standard
library is enough, no new dependency). The SPARQL endpoint's answers pass through as the store
wrote them when it speaks the negotiated format; otherwise (a format it lacks, or one it is known
to get wrong) the answer is fetched as SPARQL JSON / N-Triples and re-serialised with pyoxigraph.

The default graph: our server's default graph is the union of the release's graphs as a set.
``conflict-ld load`` puts that union into the store's default graph, or, for a store without a
real default graph (Virtuoso: a query without FROM reads every graph, each copy of a triple once
per graph), into a named graph given as ``store_graph``, which this backend then sends as
``default-graph-uri`` with every query that names no dataset of its own.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from conflict_ld.formats import RdfFormat, ResultsFormat, formats, results_formats

from . import row_limit
from .backend import Answer, NotAcceptable, QuerySyntaxError, StoreUnavailable, rows

SPARQL_JSON = next(f for f in results_formats() if f.name == "json")
N_TRIPLES = next(f for f in formats() if f.name == "ntriples")
# What a store is known to get wrong, by the product its ``Server`` header names: results
# formats to fetch as SPARQL JSON and re-serialise instead. Virtuoso's TSV writes IRIs without
# angle brackets and its CSV/TSV for ASK is a table ("bool", 1).
UNTRUSTED_RESULTS = {"Virtuoso": frozenset({"csv", "tsv"})}
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_PROLOGUE = re.compile(r"\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>", re.IGNORECASE)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_GRAPH = re.compile(r"\bGRAPH\b", re.IGNORECASE)
_FROM = re.compile(r"\bFROM\s+(NAMED\s+)?(<|[A-Za-z_][\w.-]*:|:)", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")


def query_kind(query: str) -> str | None:
    """What a query answers ("solutions", "boolean", "graph"), read from the keyword after its
    prologue, so the store is asked for one kind of format only (Virtuoso answers a CONSTRUCT
    sent with a results Accept as a table of triples). None if it cannot be told."""
    position = 0
    while match := _PROLOGUE.match(query, position):
        if match.end() == position:
            break
        position = match.end()
    form = _FORM.match(query, position)
    if form is None:
        return None
    return {"select": "solutions", "ask": "boolean"}.get(form.group(1).lower(), "graph")


def normalise_json(body: bytes) -> bytes:
    """Virtuoso's SPARQL JSON into the standard: its ``typed-literal`` type is ``literal`` (and
    as a typed literal it writes a boolean as 1 or 0, the value it stores, where the data and
    its XML results say true or false), and its blank node labels (``nodeID://b1``) are not
    labels a parser accepts."""
    if b"typed-literal" not in body and b"nodeID://" not in body:
        return body
    document = json.loads(body)
    for row in document.get("results", {}).get("bindings", ()):
        for term in row.values():
            if term.get("type") == "typed-literal":
                term["type"] = "literal"
                if term.get("datatype") == XSD_BOOLEAN and term.get("value") in ("0", "1"):
                    term["value"] = "true" if term["value"] == "1" else "false"
            elif term.get("type") == "bnode" and term.get("value", "").startswith("nodeID://"):
                term["value"] = term["value"][len("nodeID://"):]
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _excerpt(body: bytes, limit: int = 300) -> str:
    text = " ".join(_TAGS.sub(" ", body.decode("utf-8", "replace")).split())
    return text if len(text) <= limit else text[:limit] + "..."


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def _results_format(media_type: str) -> ResultsFormat | None:
    return next((f for f in results_formats() if media_type in f.media_types), None)


def _graph_format(media_type: str) -> RdfFormat | None:
    # ``application/json`` means SPARQL JSON here, never JSON-LD.
    return next((f for f in formats() if media_type == f.media_type), None)


class RemoteBackend:
    """Queries sent to ``endpoint``, a SPARQL 1.1 query endpoint URL."""

    def __init__(self, endpoint: str, *, default_graph: str = "", named_graphs: Sequence[str] = (),
                 timeout: float = 60.0, pool_size: int = 8) -> None:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {endpoint!r}")
        self.endpoint = endpoint
        self.default_graph = default_graph
        self.named_graphs = tuple(named_graphs)  # the release's graphs, for GRAPH beside the union
        self.timeout = timeout
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._pool: list[http.client.HTTPConnection] = []
        self._pool_size = pool_size
        self._lock = threading.Lock()
        self.product = ""  # the store's product name, learned from its ``Server`` header

    # -- the connection pool ----------------------------------------------------------------

    def _connection(self, *, fresh: bool = False) -> tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            if self._pool and not fresh:
                return self._pool.pop(), True
        cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        return cls(self._host, self._port, timeout=self.timeout), False

    def _release(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            if len(self._pool) < self._pool_size:
                self._pool.append(connection)
                return
        connection.close()

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, []
        for connection in pool:
            connection.close()

    # -- one request ------------------------------------------------------------------------

    def _post(self, params: list[tuple[str, str]], accept: str,
              timeout: float | None) -> tuple[int, str, bytes]:
        body = urlencode(params).encode("ascii")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept,
                   "User-Agent": "conflict-ld"}
        seconds = timeout or self.timeout
        for attempt in range(2):
            connection, reused = self._connection(fresh=attempt > 0)
            connection.timeout = seconds
            if connection.sock is not None:
                connection.sock.settimeout(seconds)
            try:
                connection.request("POST", self._path, body, headers)
                response = connection.getresponse()
                data = response.read()
            except TimeoutError:
                connection.close()
                raise StoreUnavailable(
                    f"the SPARQL store at {self.endpoint} did not answer within {seconds:g} s",
                    status=504) from None
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                if reused:  # the store closed an idle keep-alive connection: once more, afresh
                    continue
                raise StoreUnavailable(
                    f"the SPARQL store at {self.endpoint} cannot be reached: {error}", status=502) from None
            if response.will_close:
                connection.close()
            else:
                self._release(connection)
            self.product = (response.getheader("Server") or "").split("/")[0].strip()
            return response.status, _media_type(response.getheader("Content-Type") or ""), data
        raise AssertionError("unreachable")  # pragma: no cover

    def _dataset(self, query: str, default_graphs: Sequence[str],
                 named_graphs: Sequence[str]) -> list[tuple[str, str]]:
        params = [("default-graph-uri", g) for g in default_graphs]
        params += [("named-graph-uri", g) for g in named_graphs]
        # The union graph stands in for the default graph unless the request or the query
        # names a dataset itself (a protocol dataset would override the query's FROM).
        if self.default_graph and not params and not _FROM.search(query):
            params.append(("default-graph-uri", self.default_graph))
            # A protocol dataset with no named graphs has none (SPARQL 1.1 Protocol 2.1.4;
            # Virtuoso keeps to it): name the release's graphs so GRAPH still reaches them. Only
            # a query that may use GRAPH needs them, and they are one parameter a graph.
            if _GRAPH.search(query):
                params += [("named-graph-uri", g) for g in self.named_graphs]
        return params

    def _ask_store(self, query: str, accept: str, *, default_graphs: Sequence[str] = (),
                   named_graphs: Sequence[str] = (), timeout: float | None = None
                   ) -> tuple[int, str, bytes]:
        params = [("query", query), *self._dataset(query, default_graphs, named_graphs)]
        status, media_type, body = self._post(params, accept, timeout)
        if status == 200 or status == 406:
            return status, media_type, body
        if status == 400:
            raise QuerySyntaxError(f"the SPARQL store rejected the query: {_excerpt(body)}")
        gateway = status if status in (503, 504) else 502
        raise StoreUnavailable(
            f"the SPARQL store at {self.endpoint} answered {status}: {_excerpt(body)}", status=gateway)

    # -- the Backend interface ----------------------------------------------------------------

    def execute(self, query: str, *, results_format: ResultsFormat | None,
                graph_format: RdfFormat | None, default_graphs: Sequence[str] = (),
                named_graphs: Sequence[str] = (), timeout: float | None = None,
                max_rows: int | None = None, base_iri: str | None = None) -> Answer:
        kind = query_kind(query)
        if base_iri:
            # The protocol has no base parameter: a leading BASE resolves the query's relative
            # IRIs against our endpoint, as the embedded store does (a BASE of the query's own,
            # written later in its prologue, still wins).
            query = f"BASE <{base_iri}>\n{query}"
        if kind == "graph" and graph_format is None:
            raise NotAcceptable("graph")
        if kind in ("solutions", "boolean") and results_format is None:
            raise NotAcceptable(kind)
        wanted = [f for f in (results_format if kind != "graph" else None,
                              graph_format if kind in ("graph", None) else None) if f is not None]
        untrusted = UNTRUSTED_RESULTS.get(self.product, frozenset())
        if max_rows:
            untrusted |= {"csv"}  # CSV cannot be read back to count its rows: ask for another
        direct = [f for f in wanted if f.name not in untrusted or isinstance(f, RdfFormat)]
        fallback = {None: f"{SPARQL_JSON.media_type}, {N_TRIPLES.media_type};q=0.9",
                    "graph": N_TRIPLES.media_type}.get(kind, SPARQL_JSON.media_type)
        options = {"default_graphs": default_graphs, "named_graphs": named_graphs, "timeout": timeout}
        status = 406
        if direct:
            status, media_type, body = self._ask_store(
                query, ", ".join(f.media_type for f in direct), **options)
            got = _results_format(media_type)
            if got is not None and got.name in UNTRUSTED_RESULTS.get(self.product, ()):
                status = 406  # known now from its Server header: this store writes it wrong
        if status == 406:
            status, media_type, body = self._ask_store(query, fallback, **options)
        if status == 406:
            raise StoreUnavailable(f"the SPARQL store at {self.endpoint} offers neither SPARQL JSON "
                                   "nor N-Triples", status=502)
        return self._answer(body, media_type, kind, results_format, graph_format, max_rows=max_rows)

    def _answer(self, body: bytes, media_type: str, kind: str | None,
                results_format: ResultsFormat | None, graph_format: RdfFormat | None, *,
                max_rows: int | None = None) -> Answer:
        """The store's answer in the negotiated format: as it is when it is in that format,
        else parsed and re-serialised; with ``max_rows``, cut there and marked as cut, like
        the embedded store's (a store's own silent cut cannot be seen: set its limit above)."""
        got_results = _results_format(media_type)
        if got_results is not None:
            if got_results.name == "json":
                body = normalise_json(body)
            if got_results == results_format and not max_rows and (
                    kind is not None or got_results.name == "csv"):
                # CSV is lossy and cannot be parsed, only passed on; a query whose kind the
                # scan missed is a SELECT then (CSV has no boolean form).
                return Answer(kind or "solutions", body, results_format.media_type)  # type: ignore[arg-type]
            if got_results.name == "csv":
                raise StoreUnavailable(f"the SPARQL store at {self.endpoint} answered in CSV "
                                       "when asked for another format", status=502)
            parsed = ox.parse_query_results(body, format=got_results.ox)
            got_kind = "boolean" if isinstance(parsed, ox.QueryBoolean) else "solutions"
            if results_format is None:
                raise NotAcceptable(got_kind)
            if max_rows and isinstance(parsed, ox.QuerySolutions):
                again = lambda: ox.parse_query_results(body, format=got_results.ox)  # noqa: E731
                cut, truncated = row_limit.solutions(again, parsed, results_format, max_rows)
                return Answer(got_kind, cut, results_format.media_type, truncated)
            if got_results != results_format:
                body = parsed.serialize(format=results_format.ox)
            return Answer(got_kind, body, results_format.media_type)
        got_graph = _graph_format(media_type)
        if got_graph is None:
            raise StoreUnavailable(f"the SPARQL store at {self.endpoint} answered in {media_type!r}, "
                                   "a format this server does not read", status=502)
        if graph_format is None:
            raise NotAcceptable("graph")
        if max_rows:
            triples = list(ox.parse(body, format=got_graph.ox))
            truncated = len(triples) > max_rows
            if truncated or got_graph != graph_format:
                body = ox.serialize(triples[:max_rows], format=graph_format.ox)
            return Answer("graph", body, graph_format.media_type, truncated)
        if got_graph != graph_format:
            body = ox.serialize(ox.parse(body, format=got_graph.ox), format=graph_format.ox)
        return Answer("graph", body, graph_format.media_type)

    def _results(self, query: str) -> ox.QuerySolutions | ox.QueryBoolean:
        _, media_type, body = self._ask_store(query, SPARQL_JSON.media_type)
        fmt = _results_format(media_type)
        if fmt is None or fmt.name == "csv":
            raise StoreUnavailable(f"the SPARQL store at {self.endpoint} answered in {media_type!r} "
                                   "when asked for SPARQL JSON", status=502)
        return ox.parse_query_results(normalise_json(body) if fmt.name == "json" else body,
                                      format=fmt.ox)

    def select(self, query: str) -> list[dict[str, ox.Term]]:
        return rows(self._results(query))

    def ask(self, query: str) -> bool:
        return bool(self._results(query))

    def construct(self, query: str) -> list[ox.Triple]:
        _, media_type, body = self._ask_store(query, N_TRIPLES.media_type)
        fmt = _graph_format(media_type)
        if fmt is None:
            raise StoreUnavailable(f"the SPARQL store at {self.endpoint} answered in {media_type!r} "
                                   "when asked for N-Triples", status=502)
        return list(ox.parse(body, format=fmt.ox))
