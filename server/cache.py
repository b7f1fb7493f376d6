"""Rendered documents kept in memory: a release never changes while it is served, so a
document (data or page) once built is the answer for as long as the app runs. Bounded by
total bytes, least recently used out first; one per app (``app.extensions``)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable


class DocumentCache:
    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[bytes, str]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # waitress serves from several threads

    def get(self, key: Hashable) -> tuple[bytes, str] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, body: bytes, mimetype: str) -> None:
        if len(body) > self.max_bytes // 8:  # one huge graph must not flush everything else
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[0])
            self._entries[key] = (body, mimetype)
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, (evicted, _) = self._entries.popitem(last=False)
                self._bytes -= len(evicted)

    def __len__(self) -> int:
        return len(self._entries)
