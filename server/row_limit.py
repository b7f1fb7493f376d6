"""Cutting a SPARQL result at the row limit, without evaluating it to its end.

Oxigraph serialises a result straight from its lazy evaluation into a writer; the writers
here stop it (by raising) once they hold enough. Two ways to count rows:

- line formats: SPARQL TSV is one solution a line after the header, canonical N-Triples one
  triple a line (both escape newlines in values), and Oxigraph reads both back losslessly.
  A result cut there is re-serialised in the format asked for. Exact, but the round trip
  roughly doubles the cost of serialising.
- the format asked for, within a byte budget: for results well under the limit (nearly all),
  the answer is serialised once, directly, and an upper bound of its rows read from the
  bytes (``_ROWS_AT_MOST``). Only when the budget runs out or the bound passes the limit is
  the query run again through the exact line path.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pyoxigraph as ox

from conflict_ld.formats import RdfFormat, ResultsFormat

# Bytes of direct output allowed per row of the limit before falling back to the line path.
BYTES_PER_ROW = 512


class _Full(Exception):
    """Raised by a writer to stop a serialisation (and the evaluation feeding it)."""


class _Lines:
    """Keeps the first ``lines`` lines written, and stops the writer at the line after them."""

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


class _Budget:
    """Keeps everything written, and stops the writer past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data = bytearray()

    def write(self, chunk: bytes) -> int:
        self.data += chunk
        if len(self.data) > self.limit:
            raise _Full
        return len(chunk)

    def flush(self) -> None:
        pass


def _line_capped(result: ox.QuerySolutions | ox.QueryTriples, fmt, lines: int) -> tuple[bytes, bool]:
    sink = _Lines(lines)
    with contextlib.suppress(_Full):
        result.serialize(sink, format=fmt)
    return sink.head()


def _json_rows(body: bytes) -> int:
    # Oxigraph writes compact JSON: a row is '{}' or starts '{"var":' right after '[' or ',';
    # a term object starts after ':'. Quotes inside values are escaped, so a value can only
    # add to these counts (a string ending in ',{'), which keeps the count an upper bound.
    return body.count(b'[{"') + body.count(b',{"') + body.count(b"{}")


_ROWS_AT_MOST: dict[str, Callable[[bytes], int]] = {
    "json": _json_rows,
    "xml": lambda body: body.count(b"<result>"),  # '<' in values is written '&lt;'
    "csv": lambda body: body.count(b"\n") - 1,  # a quoted value may hold newlines: more, never fewer
    "tsv": lambda body: body.count(b"\n") - 1,
}


def solutions(run: Callable[[], ox.QuerySolutions], first: ox.QuerySolutions, fmt: ResultsFormat,
              max_rows: int) -> tuple[bytes, bool]:
    """The first ``max_rows`` solutions of ``first`` in ``fmt``, and whether there were more.
    ``run`` evaluates the query again, for the exact path."""
    rows_at_most = _ROWS_AT_MOST.get(fmt.name)
    if fmt.ox == ox.QueryResultsFormat.TSV:
        return _line_capped(first, fmt.ox, max_rows + 1)
    if rows_at_most is not None:
        sink = _Budget(BYTES_PER_ROW * max_rows + 65536)
        try:
            first.serialize(sink, format=fmt.ox)
        except _Full:
            pass
        else:
            body = bytes(sink.data)
            if rows_at_most(body) <= max_rows:
                return body, False
        first = run()
    tsv, truncated = _line_capped(first, ox.QueryResultsFormat.TSV, max_rows + 1)
    body = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=fmt.ox)
    return body, truncated


def triples(result: ox.QueryTriples, fmt: RdfFormat, max_rows: int) -> tuple[bytes, bool]:
    """The first ``max_rows`` triples of ``result`` in ``fmt``, and whether there were more."""
    lines, truncated = _line_capped(result, ox.RdfFormat.N_TRIPLES, max_rows)
    if fmt.ox == ox.RdfFormat.N_TRIPLES:
        return lines, truncated
    return ox.serialize(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES), format=fmt.ox), truncated
