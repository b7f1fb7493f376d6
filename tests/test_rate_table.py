"""The SPARQL rate limit shared by server processes (server/rate_table.py): every process that
maps the table counts against the same allowance, in one process or several, and a full
table stays correct for the clients it keeps."""

from __future__ import annotations

import multiprocessing
import urllib.error
import urllib.request
from pathlib import Path

from conflict_ld.server.limits import RateLimiter
from conflict_ld.server.rate_table import MemoryTable, SharedTable

from tests.conftest import serving


def test_two_tables_on_one_file_share_the_allowance(tmp_path: Path) -> None:
    now = [100.0]
    one = RateLimiter(4, 60, clock=lambda: now[0], table=SharedTable(tmp_path / "t"))
    two = RateLimiter(4, 60, clock=lambda: now[0], table=SharedTable(tmp_path / "t"))
    answers = [limiter.check("10.0.0.1") for limiter in (one, two, one, two, one, two)]
    assert answers[:4] == [0.0] * 4 and all(wait > 0 for wait in answers[4:])
    assert one.check("10.0.0.2") == 0.0  # another client has its own allowance
    now[0] += 15  # one request's worth (60 s / 4) later
    assert two.check("10.0.0.1") == 0.0 and one.check("10.0.0.1") > 0


def _spend(path: str, count: int, results: multiprocessing.Queue) -> None:
    limiter = RateLimiter(50, 3600, table=SharedTable(Path(path)))
    results.put(sum(limiter.check("192.0.2.7") == 0.0 for _ in range(count)))


def test_processes_share_the_allowance(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=_spend, args=(str(tmp_path / "t"), 40, results)) for _ in range(3)]
    for worker in workers:
        worker.start()
    allowed = sum(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    assert allowed == 50  # of 120 requests from one client across three processes


def test_a_full_table_keeps_counting_the_clients_it_holds(tmp_path: Path) -> None:
    now = [0.0]
    limiter = RateLimiter(2, 60, clock=lambda: now[0], table=SharedTable(tmp_path / "t", slots=8))
    clients = [f"198.51.100.{i}" for i in range(8)]
    for client in clients:
        assert limiter.check(client) == 0.0 and limiter.check(client) == 0.0
        assert limiter.check(client) > 0  # limited: its slot holds a due time in the future
    assert limiter.check("203.0.113.1") == 0.0  # a ninth client takes the slot due soonest
    now[0] += 61  # every allowance whole again: spent slots are reused first
    for client in ["203.0.113.2", *clients]:
        assert limiter.check(client) == 0.0


def test_the_memory_table_forgets_whole_allowances() -> None:
    table = MemoryTable()
    for i in range(10_001):
        table.put(f"c{i}", 5.0, now=1.0)
    table.put("late", 50.0, now=10.0)  # over 10,000 clients: those due before now are dropped
    assert table.get("c0") is None and table.get("late") == 50.0


def _status(url: str) -> int:
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json",
                                                   "Connection": "close"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_served_rate_limit_counts_across_worker_processes(default_build: Path) -> None:
    """Two granian workers, each connection may land on either: one client still gets exactly
    the limit, then 429s."""
    with serving(default_build, ready="sparql?query=ASK%7B%7D",
                 env={"CONFLICT_LD_RATE_LIMIT": "7", "CONFLICT_LD_RATE_WINDOW": "3600",
                      "CONFLICT_LD_WORKERS": "2", "CONFLICT_LD_QUERY_WORKERS": "0"}) as url:
        statuses = [_status(url + "sparql?query=ASK%7B%7D") for _ in range(20)]
    assert statuses.count(200) == 6 and statuses.count(429) == 14  # the readiness probe took one
