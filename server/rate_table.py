"""Where the SPARQL rate limit keeps one number per client (when its allowance is spent
again): in this process's memory, or in a small file every server process maps, so a client
is counted once however many processes answer it.

The shared table is fixed-size open addressing over ``SLOTS`` pairs of (client key, due
time). A client's pair lives within ``PROBE`` slots of its hash; when those are all taken by
clients still limited, the one due soonest gives way (it is counted afresh: lenient, never
stricter, and only with thousands of clients limited at once)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import math
import mmap
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

SLOTS = 16_384
PROBE = 32
_EMPTY = 0


class DueTable(Protocol):
    def locked(self) -> contextlib.AbstractContextManager[None]: ...

    def get(self, client: str) -> float | None: ...

    def put(self, client: str, due: float, *, now: float) -> None: ...


class MemoryTable:
    """One process's table: a dict, forgetting clients whose allowance is whole again."""

    def __init__(self) -> None:
        self._due: dict[str, float] = {}
        self._lock = threading.Lock()

    def locked(self) -> contextlib.AbstractContextManager[None]:
        return self._lock

    def get(self, client: str) -> float | None:
        return self._due.get(client)

    def put(self, client: str, due: float, *, now: float) -> None:
        self._due[client] = due
        if len(self._due) > 10_000:
            self._due = {c: d for c, d in self._due.items() if d > now}


def _key(client: str) -> int:
    # Stable across processes (str hashes are salted per process); 0 marks an empty slot.
    return int.from_bytes(hashlib.blake2b(client.encode(), digest_size=8).digest(), "little") or 1


class SharedTable:
    """The table in a file mapped by every process that opens it (created if missing); a
    lock on the file orders the processes, a thread lock the threads of one."""

    def __init__(self, path: Path, *, slots: int = SLOTS) -> None:
        self.slots = slots
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < slots * 16:
                os.ftruncate(fd, slots * 16)  # zeros: every slot empty
            self._map = mmap.mmap(fd, slots * 16)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._keys = memoryview(self._map).cast("Q")  # keys at even indices
        self._dues = memoryview(self._map).cast("d")  # due times at odd indices
        self._thread_lock = threading.Lock()

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        with self._thread_lock:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _slots(self, key: int) -> Iterator[int]:
        start = key % self.slots
        return (i % self.slots for i in range(start, start + min(PROBE, self.slots)))

    def get(self, client: str) -> float | None:
        key = _key(client)
        for slot in self._slots(key):
            found = self._keys[2 * slot]
            if found == key:
                return self._dues[2 * slot + 1]
            if found == _EMPTY:
                return None
        return None

    def put(self, client: str, due: float, *, now: float) -> None:
        key = _key(client)
        best, best_due = None, math.inf  # a spent slot counts as due at -inf: reused first
        for slot in self._slots(key):
            found = self._keys[2 * slot]
            if found == key:
                best = slot
                break
            if found == _EMPTY:
                if best is None or best_due > now:
                    best = slot
                break
            slot_due = self._dues[2 * slot + 1]
            slot_due = -math.inf if slot_due <= now else slot_due
            if best is None or slot_due < best_due:
                best, best_due = slot, slot_due
        assert best is not None
        self._keys[2 * best] = key
        self._dues[2 * best + 1] = due

    def close(self) -> None:
        self._keys.release()
        self._dues.release()
        self._map.close()
        os.close(self._fd)
