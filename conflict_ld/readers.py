"""Reading articles in other processes: a pure function of each file, run by forked reader
processes while this process maps what they have read, the results handed back in the files'
order.

The mapping resolves entities from article to article, so it stays in one process; what it
needs of each article before resolving (the parse, the prose's templates, dates and pattern
matches) does not, and is half of its work. Forked processes start with the tables as they
are, so nothing but the file names goes to them and only the results come back (pickled).
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")
MAX_READERS = 2  # the mapping process is the slower side: more readers only take its core
PIPE_BYTES = 1 << 20  # lets a reader run some 90 articles ahead of the mapping (11 KB each)


def reader_count(articles: int, *, readers_from: int) -> int:
    """How many reader processes to use for ``articles`` articles: none below ``readers_from``
    (starting them costs more than they save), on one core, or where processes cannot fork."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if articles < readers_from or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return min(cores - 1, MAX_READERS)


@dataclass(frozen=True)
class _Raised:
    """What a reader raised for one file, sent back in its place."""

    error: BaseException | None  # None when the exception cannot be pickled
    text: str  # its traceback, for a bug


@contextmanager
def read_in_processes(paths: Sequence[Path], *, read: Callable[[Path], T], processes: int
                      ) -> Iterator[Iterator[T]]:
    """``read(path)`` of every path, in order, computed by ``processes`` forked processes (each
    takes every n-th path). An exception ``read`` raises is raised again here when that path's
    turn comes; leaving early stops the readers."""
    # A forked child flushes the output buffers it inherits: empty them first, or what this
    # process printed but had not yet written would be written twice.
    sys.stdout.flush()
    sys.stderr.flush()
    context = multiprocessing.get_context("fork")
    readers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    try:
        for number in range(processes):
            receiving, sending = context.Pipe(duplex=False)
            _widen(sending)
            process = context.Process(target=_serve, args=(sending, paths[number::processes], read),
                                      name=f"conflict-ld reader {number + 1}", daemon=True)
            process.start()
            sending.close()  # the reader holds the only sending end: its exit is our end of file
            readers.append((process, receiving))
        yield _Results(paths, readers)
    finally:
        for process, receiving in readers:
            if process.is_alive():
                process.terminate()
            process.join()
            receiving.close()


class _Results(Generic[T]):
    def __init__(self, paths: Sequence[Path],
                 readers: list[tuple[multiprocessing.process.BaseProcess, Connection]]) -> None:
        self.paths = paths
        self.readers = readers

    def __iter__(self) -> Iterator[T]:
        for index, path in enumerate(self.paths):
            process, receiving = self.readers[index % len(self.readers)]
            try:
                outcome = receiving.recv()
            except EOFError:
                process.join()
                raise RuntimeError(f"{process.name} stopped (exit code {process.exitcode}) before "
                                   f"reading {path}") from None
            if isinstance(outcome, _Raised):
                if outcome.error is not None:
                    raise outcome.error
                raise RuntimeError(f"{process.name} failed on {path}:\n{outcome.text}")
            yield outcome


def _serve(sending: Connection, paths: Sequence[Path], read: Callable[[Path], object]) -> None:
    """A reader process: the result of each path in turn, or what reading it raised (and then
    no more: the mapping stops at the first file that fails)."""
    for path in paths:
        try:
            result = read(path)
        except Exception as error:
            _send_raised(sending, error)
            break
        sending.send(result)
    sending.close()


def _send_raised(sending: Connection, error: Exception) -> None:
    text = "".join(traceback.format_exception(error))
    try:
        sending.send(_Raised(error, text))
    except Exception:  # an exception that cannot be pickled: its traceback tells what happened
        sending.send(_Raised(None, text))


def _widen(sending: Connection) -> None:
    """A pipe holds 64 KB: six articles. A wider one lets a reader run ahead through articles
    that are quick to read while the mapping is on one that is slow to map."""
    # Not on Linux, or above the system's limit: a narrow pipe works too.
    with suppress(AttributeError, OSError):
        fcntl.fcntl(sending.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
