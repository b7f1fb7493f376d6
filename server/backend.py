"""Where the server's queries go: one interface over the stores it can answer from.

Every route asks a ``Backend``: the linked-data pages through ``select``/``ask``/``construct``
(parsed terms), the SPARQL endpoint through ``execute`` (the answer already serialised in the
negotiated format). The default graph is always the union of all graphs of the release, as a
set (each triple once).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import pyoxigraph as ox

from conflict_ld.formats import RdfFormat, ResultsFormat


class QueryError(Exception):
    """A query the backend refuses or cannot run; ``status`` is the HTTP status it means."""

    status = 400


class QuerySyntaxError(QueryError):
    """The parser's message, with its position."""


class QueryTimeout(QueryError):
    status = 503


class NotAcceptable(QueryError):
    """The query's kind of result has no format the client accepts."""

    status = 406

    def __init__(self, kind: str) -> None:
        super().__init__(f"no acceptable format for a {kind} result")
        self.kind = kind


@dataclass(frozen=True)
class Answer:
    kind: Literal["solutions", "boolean", "graph"]
    body: bytes
    media_type: str
    truncated: bool = False  # cut at the row limit: the response must say so


class Backend(Protocol):
    def execute(self, query: str, *, results_format: ResultsFormat | None,
                graph_format: RdfFormat | None, default_graphs: Sequence[str] = (),
                named_graphs: Sequence[str] = (), timeout: float | None = None,
                max_rows: int | None = None, base_iri: str | None = None) -> Answer: ...

    def select(self, query: str) -> list[dict[str, ox.Term]]: ...

    def ask(self, query: str) -> bool: ...

    def construct(self, query: str) -> list[ox.Triple]: ...

    def close(self) -> None: ...


class _Full(Exception):
    """Raised by ``_Capped`` to stop a serialisation (and the evaluation feeding it)."""


class _Capped:
    """A sink for a line-based serialisation (TSV results, N-Triples) that keeps the first
    ``lines`` lines and stops the writer at the line after them, so a result over the row
    limit is never evaluated to its end."""

    def __init__(self, lines: int) -> None:
        self.lines = lines
        self.data = bytearray()
        self.seen = 0

    def write(self, chunk: bytes) -> int:
        self.data += chunk
        self.seen += bytes(chunk).count(b"\n") if isinstance(chunk, memoryview) else chunk.count(b"\n")
        if self.seen > self.lines:
            raise _Full
        return len(chunk)

    def flush(self) -> None:
        pass

    def head(self) -> tuple[bytes, bool]:
        """The first ``lines`` lines, and whether there were more."""
        if self.seen <= self.lines:
            return bytes(self.data), False
        cut = -1
        for _ in range(self.lines):
            cut = self.data.index(b"\n", cut + 1)
        return bytes(self.data[:cut + 1]), True


def _line_capped(result: ox.QuerySolutions | ox.QueryTriples, fmt, lines: int) -> tuple[bytes, bool]:
    sink = _Capped(lines)
    with contextlib.suppress(_Full):
        result.serialize(sink, format=fmt)
    return sink.head()


class EmbeddedBackend:
    """An Oxigraph store in this process. Its default graph must hold the union of the
    named graphs (``store.load_store`` puts it there)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def _run(self, query: str, *, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
             base_iri: str | None = None) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        options: dict = {"base_iri": base_iri}
        store = self.store
        if len(default_graphs) > 1:
            # Oxigraph merges several default graphs as a bag (a triple in two of them twice);
            # the protocol's default graph is their merge as a set: build it, for this query.
            store = ox.Store()
            store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for g in default_graphs
                              for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
            store.bulk_extend(q for g in named_graphs
                              for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        elif default_graphs or named_graphs:
            # A protocol dataset replaces the query's FROM / FROM NAMED and the store's own
            # dataset entirely: what it does not name is empty.
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return store.query(query, **options)
        except SyntaxError as error:
            raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None

    def execute(self, query: str, *, results_format: ResultsFormat | None,
                graph_format: RdfFormat | None, default_graphs: Sequence[str] = (),
                named_graphs: Sequence[str] = (), timeout: float | None = None,
                max_rows: int | None = None, base_iri: str | None = None) -> Answer:
        """Run a query and serialise its result. ``timeout`` is not enforced here (a pool of
        killable worker processes does that). With ``max_rows``, a result is cut after that
        many solutions or triples and the answer says so. ``base_iri`` resolves the query's
        relative IRIs (the endpoint's own URL)."""
        result = self._run(query, default_graphs=default_graphs, named_graphs=named_graphs,
                           base_iri=base_iri)
        if isinstance(result, ox.QueryBoolean):
            if results_format is None:
                raise NotAcceptable("boolean")
            return Answer("boolean", result.serialize(format=results_format.ox), results_format.media_type)
        if isinstance(result, ox.QueryTriples):
            if graph_format is None:
                raise NotAcceptable("graph")
            if not max_rows:
                return Answer("graph", result.serialize(format=graph_format.ox), graph_format.media_type)
            # Canonical N-Triples is one triple a line; cut there, then re-serialise.
            lines, truncated = _line_capped(result, ox.RdfFormat.N_TRIPLES, max_rows)
            body = lines if graph_format.ox == ox.RdfFormat.N_TRIPLES else ox.serialize(
                ox.parse(lines, format=ox.RdfFormat.N_TRIPLES), format=graph_format.ox)
            return Answer("graph", body, graph_format.media_type, truncated)
        if results_format is None:
            raise NotAcceptable("solutions")
        if not max_rows:
            return Answer("solutions", result.serialize(format=results_format.ox), results_format.media_type)
        # SPARQL TSV is one solution a line after the header (tabs and newlines in values are
        # escaped), and Oxigraph reads it back losslessly: cut it, then re-serialise.
        tsv, truncated = _line_capped(result, ox.QueryResultsFormat.TSV, max_rows + 1)
        body = tsv if results_format.ox == ox.QueryResultsFormat.TSV else ox.parse_query_results(
            tsv, ox.QueryResultsFormat.TSV).serialize(format=results_format.ox)
        return Answer("solutions", body, results_format.media_type, truncated)

    def select(self, query: str) -> list[dict[str, ox.Term]]:
        result = self._run(query)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def ask(self, query: str) -> bool:
        return bool(self._run(query))

    def construct(self, query: str) -> list[ox.Triple]:
        return list(self._run(query))

    def close(self) -> None:
        pass
