"""The SPARQL endpoint's limits (one object per app) and its per-client rate limiter."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .rate_table import DueTable, MemoryTable, SharedTable

EXTENSION = "conflict_ld.sparql"


class RateLimiter:
    """At most ``limit`` requests per ``window`` seconds from one client, as a generic cell
    rate algorithm: a client may send a burst of ``limit`` requests, then one every
    ``window / limit`` seconds. One float per client, in ``table`` (this process's memory
    unless given); ``limit`` 0 turns it off."""

    def __init__(self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic,
                 table: DueTable | None = None) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock  # monotonic: one clock for every process of the machine
        self._table = table if table is not None else MemoryTable()

    def check(self, client: str) -> float:
        """Count a request from ``client``: 0 if allowed, else the seconds to wait."""
        if not self.limit:
            return 0.0
        interval = self.window / self.limit
        now = self.clock()
        with self._table.locked():
            due = max(self._table.get(client) or now, now)
            wait = due + interval - now - self.window
            if wait > 0:
                return wait
            self._table.put(client, due + interval, now=now)
        return 0.0

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))


@dataclass
class SparqlLimits:
    max_query_length: int  # bytes of UTF-8; 0: none
    max_rows: int  # solutions or triples in one answer; 0: none
    limiter: RateLimiter
    cache: dict[str, Any] = field(default_factory=dict)  # the service description's counts

    @classmethod
    def from_settings(cls, values: Mapping[str, Any], *, shared: Path | None = None) -> SparqlLimits:
        """``values``: the resolved settings (``cfg.SPARQL_LIMITS`` among them); ``shared``: the
        file of a rate table shared with other server processes."""
        table = SharedTable(shared) if shared is not None and values["rate_limit"] else None
        return cls(values["max_query_length"], values["max_rows"],
                   RateLimiter(values["rate_limit"], values["rate_window"], table=table))
