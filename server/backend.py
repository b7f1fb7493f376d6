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
                max_rows: int | None = None) -> Answer: ...

    def select(self, query: str) -> list[dict[str, ox.Term]]: ...

    def ask(self, query: str) -> bool: ...

    def construct(self, query: str) -> list[ox.Triple]: ...

    def close(self) -> None: ...


class EmbeddedBackend:
    """An Oxigraph store in this process."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def _run(self, query: str, *, default_graphs: Sequence[str] = (),
             named_graphs: Sequence[str] = ()) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        options: dict = {}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self.store.query(query, **options)
        except SyntaxError as error:
            raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None

    def execute(self, query: str, *, results_format: ResultsFormat | None,
                graph_format: RdfFormat | None, default_graphs: Sequence[str] = (),
                named_graphs: Sequence[str] = (), timeout: float | None = None,
                max_rows: int | None = None) -> Answer:
        result = self._run(query, default_graphs=default_graphs, named_graphs=named_graphs)
        if isinstance(result, ox.QueryTriples):
            if graph_format is None:
                raise NotAcceptable("graph")
            return Answer("graph", ox.serialize(result, format=graph_format.ox), graph_format.media_type)
        if results_format is None:
            raise NotAcceptable("boolean" if isinstance(result, ox.QueryBoolean) else "solutions")
        kind = "boolean" if isinstance(result, ox.QueryBoolean) else "solutions"
        return Answer(kind, result.serialize(format=results_format.ox), results_format.media_type)

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
