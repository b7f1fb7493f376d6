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
import signal
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
# From this many articles on a build has readers by default; below it, starting them costs
# more than they save (the tests build the three seeds many times).
READERS_FROM = 64
PIPE_BYTES = 1 << 20  # lets a reader run some 90 articles ahead of the mapping (11 KB each)


def reader_count(articles: int, *, wanted: int | None = None) -> int:
    """How many reader processes to use for ``articles`` articles: ``wanted`` if given (None:
    none below READERS_FROM articles, where starting them costs more than they save, or on one
    core; else one for each core but one, at most MAX_READERS), and none where processes
    cannot fork."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    if wanted is not None:
        return wanted
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if articles < READERS_FROM or cores < 2:
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
    """``read(path)`` of every path, in order, computed ahead by ``processes`` forked processes.

    Each path is claimed once, by a reader or by this process: a reader claims the next path
    not yet claimed and sends back what it read; this process, when the path it needs next is
    not read yet (the readers are behind: another job has their core), reads the next ones no
    reader has claimed rather than wait. A busy machine thus costs the mapping no idle time
    but for the one path each reader is on. An exception ``read`` raises is raised again here
    when that path's turn comes; leaving early stops the readers."""
    # A forked child flushes the output buffers it inherits: empty them first, or what this
    # process printed but had not yet written would be written twice.
    sys.stdout.flush()
    sys.stderr.flush()
    context = multiprocessing.get_context("fork")
    claims = _Claims(context, len(paths))
    readers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    try:
        for number in range(processes):
            receiving, sending = context.Pipe(duplex=False)
            _widen(sending)
            process = context.Process(target=_serve, args=(sending, number, paths, read, claims),
                                      name=f"conflict-ld reader {number + 1}", daemon=True)
            process.start()
            sending.close()  # the reader holds the only sending end: its exit is our end of file
            readers.append((process, receiving))
        yield _Results(paths, read, claims, readers)
    finally:
        for process, receiving in readers:
            if process.is_alive():
                process.terminate()
            process.join()
            receiving.close()


class _Claims:
    """Which process reads which path: the next path not yet claimed, and each path's claimer
    (-1 this process, else the reader's number), shared by the processes."""

    def __init__(self, context: multiprocessing.context.BaseContext, count: int) -> None:
        self.count = count
        self.next = context.Value("q", 0)  # with a lock, shared across the fork
        self.owners = context.RawArray("b", count)

    def take(self, *, claimer: int, index: int | None = None) -> int | None:
        """Claim path ``index`` (None: the next unclaimed one); the path claimed, or None when
        it was claimed already (or there is none left)."""
        with self.next.get_lock():
            wanted = self.next.value if index is None else index
            if wanted != self.next.value or wanted >= self.count:
                return None
            self.next.value = wanted + 1
            self.owners[wanted] = claimer
            return wanted


class _Results(Generic[T]):
    def __init__(self, paths: Sequence[Path], read: Callable[[Path], T], claims: _Claims,
                 readers: list[tuple[multiprocessing.process.BaseProcess, Connection]]) -> None:
        self.paths = paths
        self.read = read
        self.claims = claims
        self.readers = readers

    def __iter__(self) -> Iterator[T]:
        own: dict[int, T | _Raised] = {}  # what this process read ahead, by index
        for index, path in enumerate(self.paths):
            if index in own:
                outcome = own.pop(index)
            elif self.claims.take(claimer=-1, index=index) is not None:
                outcome = self._read_here(path)
            else:
                outcome = self._from_reader(index, own)
            if isinstance(outcome, _Raised):
                if outcome.error is not None:
                    raise outcome.error
                raise RuntimeError(f"failed on {path}:\n{outcome.text}")
            yield outcome

    def _read_here(self, path: Path) -> T | _Raised:
        try:
            return self.read(path)
        except Exception as error:
            return _Raised(error, "".join(traceback.format_exception(error)))

    def _from_reader(self, index: int, own: dict[int, T | _Raised]) -> T | _Raised:
        """What the reader that claimed ``index`` read; while it is still reading, this process
        reads the next paths no reader has claimed."""
        process, receiving = self.readers[self.claims.owners[index]]
        while not receiving.poll():
            ahead = self.claims.take(claimer=-1)
            if ahead is None:
                break
            own[ahead] = self._read_here(self.paths[ahead])
        try:
            sent, outcome = receiving.recv()
        except EOFError:
            process.join()
            raise RuntimeError(f"{process.name} stopped (exit code {process.exitcode}) before "
                               f"reading {self.paths[index]}") from None
        if sent != index:
            raise RuntimeError(f"{process.name} sent path {sent} for path {index}")
        if isinstance(outcome, _Raised) and outcome.error is None:
            return _Raised(None, f"{process.name}: {outcome.text}")
        return outcome


def _serve(sending: Connection, number: int, paths: Sequence[Path], read: Callable[[Path], object],
           claims: _Claims) -> None:
    """A reader process: the result of each path it claims, or what reading it raised (and
    then no more: the mapping stops at the first file that fails)."""
    # Ctrl-C reaches the whole process group: the build process stops its readers itself,
    # and a reader's own KeyboardInterrupt would only print a second traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while (index := claims.take(claimer=number)) is not None:
        try:
            result = read(paths[index])
        except Exception as error:
            _send_raised(sending, index, error)
            break
        sending.send((index, result))
    sending.close()


def _send_raised(sending: Connection, index: int, error: Exception) -> None:
    text = "".join(traceback.format_exception(error))
    try:
        sending.send((index, _Raised(error, text)))
    except Exception:  # an exception that cannot be pickled: its traceback tells what happened
        sending.send((index, _Raised(None, text)))


def _widen(sending: Connection) -> None:
    """A pipe holds 64 KB: six articles. A wider one lets a reader run ahead through articles
    that are quick to read while the mapping is on one that is slow to map."""
    # Not on Linux, or above the system's limit: a narrow pipe works too.
    with suppress(AttributeError, OSError):
        fcntl.fcntl(sending.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
