"""Where the server's queries go: one interface over the stores it can answer from.

Every route asks a ``Backend``: the linked-data pages through ``select``/``ask``/``construct``
(parsed terms), the SPARQL endpoint through ``execute`` (the answer already serialised in the
negotiated format). The default graph is always the union of all graphs of the release, as a
set (each triple once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import pyoxigraph as ox

from conflict_ld.formats import RdfFormat, ResultsFormat

from . import row_limit


class QueryError(Exception):
    """A query the backend refuses or cannot run; ``status`` is the HTTP status it means."""

    status = 400


class QuerySyntaxError(QueryError):
    """The parser's message, with its position."""


class QueryTimeout(QueryError):
    status = 503


class StoreUnavailable(QueryError):
    """The store the queries go to failed: unreachable or broken (502), overloaded (503), too
    slow (504). Never the client's fault, and never a bare 500."""

    def __init__(self, message: str, *, status: int = 502) -> None:
        super().__init__(message)
        self.status = status


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


def rows(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> list[dict[str, ox.Term]]:
    """A SELECT's solutions as what ``select`` gives: one dict a row, unbound variables left out."""
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in result]


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
            body, truncated = row_limit.triples(result, graph_format, max_rows)
            return Answer("graph", body, graph_format.media_type, truncated)
        if results_format is None:
            raise NotAcceptable("solutions")
        if not max_rows:
            return Answer("solutions", result.serialize(format=results_format.ox), results_format.media_type)
        again = lambda: self._run(query, default_graphs=default_graphs,  # noqa: E731
                                  named_graphs=named_graphs, base_iri=base_iri)
        body, truncated = row_limit.solutions(again, result, results_format, max_rows)
        return Answer("solutions", body, results_format.media_type, truncated)

    def select(self, query: str) -> list[dict[str, ox.Term]]:
        return rows(self._run(query))

    def ask(self, query: str) -> bool:
        return bool(self._run(query))

    def construct(self, query: str) -> list[ox.Triple]:
        return list(self._run(query))

    def close(self) -> None:
        pass
