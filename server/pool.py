"""Queries in worker processes, so a query that runs too long can really be stopped.

Oxigraph cannot cancel a running query, and a thread cannot be killed; a process can. A
``PooledBackend`` keeps ``workers`` processes, each with its own read-only view of the release
(the on-disk store of ``disk_store.py``, or a copy in its memory for small releases), each
answering through ``EmbeddedBackend``. A request takes an idle worker, sends it the call over a
pipe and waits up to the time limit; past the limit the worker is killed (SIGKILL), a new one
takes its place, and the request gets ``QueryTimeout`` (503). Other requests meanwhile go to
the other workers; when all are busy a request waits for one, within the same limit.

A query whose cost its shape bounds (``bounded.py``: one triple pattern with a fixed subject,
or a DESCRIBE of fixed IRIs), over the default graph, cannot run long when no subject of the
store has more than ``INLINE_TRIPLES`` triples: the server answers it from its own read-only
view of the store and spares it the trip to a query process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from conflict_ld.formats import RdfFormat, ResultsFormat
from conflict_ld.release import release_folder

from .backend import Answer, EmbeddedBackend, QueryError, QueryTimeout
from .bounded import bounded_lookup
from .store import load_store

# Forked from a clean server process that imported these once, not from the multi-threaded
# web server (forking a threaded process is unsafe), and without a fresh interpreter per worker.
CONTEXT = "forkserver"
PRELOAD = ["conflict_ld.server.pool"]
METHODS = frozenset({"execute", "select", "ask", "construct"})
START_TIMEOUT = 120.0  # seconds a new worker may take to open its store
# Most triples any subject may have for the server to answer bounded queries itself: reading
# 10,000 triples takes milliseconds.
INLINE_TRIPLES = 10_000
# The most triples one subject has in the default graph (the union): 0.4 s at 1M triples.
MOST_TRIPLES_QUERY = "SELECT (MAX(?n) AS ?most) { SELECT (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?s }"


class PoolClosed(QueryError):
    """The server is shutting down."""

    status = 503


class WorkerDied(QueryError):
    """A worker ended during a query (killed from outside, or out of memory), twice in a row."""

    status = 503


@dataclass(frozen=True)
class StoreSource:
    """How a worker gets its store: opens an on-disk store read-only (``on_disk``), or loads
    the latest release of a build folder into its own memory."""

    path: Path
    on_disk: bool

    def open(self) -> ox.Store:
        return ox.Store.read_only(str(self.path)) if self.on_disk else load_store(self.path)


# --- in the worker -------------------------------------------------------------------------

def _portable(error: BaseException) -> tuple[type[BaseException], tuple, dict]:
    """An exception as parts that pickle whatever its constructor takes (``NotAcceptable``
    takes a kind, not a message)."""
    return type(error), error.args, dict(vars(error))


def _rebuilt(parts: tuple[type[BaseException], tuple, dict]) -> BaseException:
    cls, args, attributes = parts
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(attributes)
    return error


# Terms cross the pipe as N-Triples, not pickled one by one: the server (whose one interpreter
# serves every request) then parses them in Oxigraph, about ten times faster than unpickling.
_PLAIN_TERMS = (ox.NamedNode, ox.BlankNode, ox.Literal)


def _encode(method: str, result: Any) -> Any:
    if method == "construct":
        return ("triples", ox.serialize(result, format=ox.RdfFormat.N_TRIPLES))
    if method == "select" and all(isinstance(t, _PLAIN_TERMS) for row in result for t in row.values()):
        # Each value as the object of a dummy triple, in row order, with the rows' variables.
        lines = "".join(f"<x:> <x:> {term} .\n" for row in result for term in row.values())
        return ("rows", [tuple(row) for row in result], lines.encode())
    return ("value", result)


def _decode(method: str, payload: Any) -> Any:
    if payload[0] == "triples":
        return [quad.triple for quad in ox.parse(payload[1], format=ox.RdfFormat.N_TRIPLES)]
    if payload[0] == "rows":
        _, names, lines = payload
        terms = iter([quad.object for quad in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)])
        return [{name: next(terms) for name in row} for row in names]
    return payload[1]


def _watch_parent(parent: int) -> None:
    """End this worker when the process that started it is gone, even mid-query (a killed
    server must not leave a query running on its own)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _serve(conn: Connection, source: StoreSource) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    # When the server closes the pipe or exits, nobody is waiting for an answer: end quietly.
    with contextlib.suppress(BrokenPipeError, EOFError, ConnectionResetError):
        _answer(conn, source)


def _answer(conn: Connection, source: StoreSource) -> None:
    try:
        backend = EmbeddedBackend(source.open())
    except Exception as error:
        conn.send(("error", _portable(error)))
        return
    conn.send(("ready", os.getpid()))
    while True:
        method, args, kwargs = conn.recv()
        try:
            if method not in METHODS:
                raise ValueError(f"no backend method {method!r}")
            reply = ("ok", _encode(method, getattr(backend, method)(*args, **kwargs)))
        except QueryError as error:
            reply = ("error", _portable(error))
        except Exception as error:  # a bug: the parent reports it as an internal error
            reply = ("crash", f"{type(error).__name__}: {error}")
        conn.send(reply)


# --- in the server -------------------------------------------------------------------------

@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _stop_all(workers: dict[int, _Worker], lock: threading.Lock) -> None:
    with lock:
        stopping = list(workers.values())
        workers.clear()
    for worker in stopping:
        worker.stop()


class PooledBackend:
    """The ``Backend`` of a server: ``workers`` query processes over one ``StoreSource``; every
    call runs in one of them and is stopped at ``timeout`` seconds (a call's own ``timeout``
    may only shorten that)."""

    def __init__(self, source: StoreSource, *, workers: int, timeout: float) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        self.source = source
        self.size = workers
        self.timeout = timeout
        self._context = multiprocessing.get_context(CONTEXT)
        if CONTEXT == "forkserver":
            self._context.set_forkserver_preload(PRELOAD)
        self._workers: dict[int, _Worker] = {}  # every live worker, by pid
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()  # guards _workers and _closed
        self._closed = False
        self._refilling = threading.Lock()
        # Workers are daemons (multiprocessing ends them at exit) and are also killed when the
        # backend is collected or the interpreter exits, whichever comes first.
        self._finalizer = weakref.finalize(self, _stop_all, self._workers, self._lock)
        try:
            for _ in range(workers):
                self._idle.put(self._start())
            # After the workers: the first of them built or checked the on-disk store.
            self._inline, self._inline_most = _inline_backend(source)
        except BaseException:
            self.close()
            raise

    # The Backend protocol.

    def execute(self, query: str, *, results_format: ResultsFormat | None,
                graph_format: RdfFormat | None, default_graphs: Sequence[str] = (),
                named_graphs: Sequence[str] = (), timeout: float | None = None,
                max_rows: int | None = None, base_iri: str | None = None) -> Answer:
        # A protocol dataset may copy whole graphs (``EmbeddedBackend._run``): not bounded.
        lookup = None if default_graphs or named_graphs or self._inline is None else bounded_lookup(query)
        if lookup is not None and self._inline is not None:
            if lookup.one_pattern and max_rows and self._inline_most <= max_rows:
                max_rows = None  # no subject has enough triples to fill an answer: nothing to cut
            return self._inline.execute(query, results_format=results_format, graph_format=graph_format,
                                        max_rows=max_rows, base_iri=base_iri)
        return self._call("execute", (query,), {
            "results_format": results_format, "graph_format": graph_format,
            "default_graphs": tuple(default_graphs), "named_graphs": tuple(named_graphs),
            "max_rows": max_rows, "base_iri": base_iri}, timeout=timeout)

    def select(self, query: str) -> list[dict[str, ox.Term]]:
        return self._call("select", (query,), {})

    def ask(self, query: str) -> bool:
        return self._call("ask", (query,), {})

    def construct(self, query: str) -> list[ox.Triple]:
        return self._call("construct", (query,), {})

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self._finalizer()

    # Introspection (tests, status pages).

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(self._workers)

    def idle(self) -> int:
        """How many workers wait for a query."""
        return self._idle.qsize()

    # The pool.

    def _start(self) -> _Worker:
        """A new worker, once it has opened its store (its error if it cannot)."""
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child_end, self.source),
                                        name="conflict-ld query", daemon=True)
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        try:
            if not parent_end.poll(START_TIMEOUT):
                raise RuntimeError(f"a query process did not open its store in {START_TIMEOUT:g} s")
            status, payload = parent_end.recv()
        except BaseException:
            worker.stop()
            raise
        if status != "ready":
            worker.stop()
            raise _rebuilt(payload)
        with self._lock:
            if self._closed:
                worker.stop()
                raise PoolClosed("the server is shutting down")
            self._workers[worker.pid] = worker
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.pop(worker.pid, None)
        worker.stop()

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start a new one in its place, in the background: the caller
        answers at once, and a worker loading a large release does not hold up a 503."""
        self._retire(worker)
        threading.Thread(target=self._refill_or_report, name="conflict-ld pool refill", daemon=True).start()

    def _refill_or_report(self) -> None:
        try:
            self._refill(wait=True)
        except Exception as error:  # the pool is one short until a later call refills it
            print(f"conflict-ld: cannot start a query process: {error}", file=sys.stderr, flush=True)

    def _refill(self, *, wait: bool) -> None:
        """Start workers up to the pool's size (one thread at a time, so never more)."""
        if not self._refilling.acquire(blocking=wait):
            return  # another thread is at it
        try:
            with self._lock:
                missing = self.size - len(self._workers) if not self._closed else 0
            for _ in range(missing):
                self._idle.put(self._start())
        finally:
            self._refilling.release()

    def _acquire(self, deadline: float, limit: float) -> _Worker:
        while True:
            if self._closed:
                raise PoolClosed("the server is shutting down")
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                self._refill(wait=False)  # workers that could not be restarted earlier
                try:
                    worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    raise QueryTimeout(
                        f"all {self.size} query processes stayed busy for the server's time "
                        f"limit of {limit:g} s; try again later") from None
            if worker.process.is_alive():
                return worker
            self._replace(worker)  # died while idle (killed from outside)

    def _call(self, method: str, args: tuple, kwargs: dict[str, Any], *,
              timeout: float | None = None) -> Any:
        limit = self.timeout if timeout is None else min(timeout, self.timeout)
        deadline = time.monotonic() + limit
        for attempt in (1, 2):
            worker = self._acquire(deadline, limit)
            try:
                worker.conn.send((method, args, kwargs))
                if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                    self._replace(worker)
                    raise QueryTimeout(f"query stopped: it ran longer than the server's time limit "
                                       f"of {limit:g} s")
                status, payload = worker.conn.recv()
            except (EOFError, OSError):
                # The worker died before answering; a query only reads, so it is safe to run
                # it once more on a fresh worker, within the same deadline.
                self._replace(worker)
                if attempt == 2:
                    raise WorkerDied("the query process ended before answering (the query may "
                                     "need more memory than the server has)") from None
                continue
            self._idle.put(worker)
            if status == "ok":
                return _decode(method, payload)
            if status == "error":
                raise _rebuilt(payload)
            raise RuntimeError(f"query process failed: {payload}")
        raise AssertionError("unreachable")


def _inline_backend(source: StoreSource) -> tuple[EmbeddedBackend | None, int]:
    """The server's own view of the store, for bounded queries (None when some subject has
    too many triples for them to be cheap), and the most triples one subject has."""
    backend = EmbeddedBackend(source.open())
    rows = backend.select(MOST_TRIPLES_QUERY)
    most = int(rows[0]["most"].value) if rows and "most" in rows[0] else 0
    return (backend if most <= INLINE_TRIPLES else None), most


def open_backend(folder: Path, *, store: str, workers: int, timeout: float,
                 threshold: int) -> EmbeddedBackend | PooledBackend:
    """The backend a server answers from, as its settings say: where the store lives
    (``store``: memory, disk, or auto = disk above ``threshold`` triples) and how many query
    processes run queries (0: in the server process, where nothing can stop a query)."""
    from .disk_store import disk_store
    from .store import release_triples

    on_disk = store == "disk" or (store == "auto" and release_triples(folder) > threshold)
    # The release as it is now: a worker started later loads the same one, even after a new
    # release is published (the app's version and ETags are those of this one).
    release = release_folder(folder)
    source = StoreSource(disk_store(release) if on_disk else release, on_disk=on_disk)
    if workers == 0:
        return EmbeddedBackend(source.open())
    return PooledBackend(source, workers=workers, timeout=timeout)
