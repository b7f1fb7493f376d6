"""Query processes: answers equal to in-process ones, a time limit that really stops a query
(its process is killed and replaced) while other clients keep getting answers, the on-disk
store built once and never used half-built, and a real server that survives it all."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conflict_ld.server.app import create_app
from conflict_ld.server.backend import (
    EmbeddedBackend,
    NotAcceptable,
    QuerySyntaxError,
    QueryTimeout,
)
from conflict_ld.server.disk_store import STAMP, disk_store, store_root
from conflict_ld.server.pool import PooledBackend, StoreSource
from conflict_ld.server.store import load_store, release_triples

from conflict_ld.formats import by_name, results_formats
from conflict_ld.settings import SettingsError

from .conftest import free_port

BASE = "http://localhost:8080/"
AKNAF = BASE + "resource/Aknaf_Bait_al-Maqdis"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
# Every triple of the release joined with every other, twice: hours of work on any release.
CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
POINT = f"SELECT ?label {{ <{AKNAF}> <{RDFS}label> ?label }}"
# Cheap, but not of a shape the server answers itself (bounded.py): it goes to a query process.
SMALL = f"SELECT (COUNT(*) AS ?n) {{ <{AKNAF}> ?p ?o }}"
JSON = results_formats()[0]
TURTLE = by_name("turtle")


@pytest.fixture(scope="module")
def out(default_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seed build: the on-disk store is written beside its releases."""
    copy = tmp_path_factory.mktemp("pool") / "out"
    shutil.copytree(default_build, copy, symlinks=True)
    return copy


@pytest.fixture(scope="module")
def reference(out: Path) -> EmbeddedBackend:
    return EmbeddedBackend(load_store(out))


@pytest.fixture(scope="module", params=["disk", "memory"])
def pool(request: pytest.FixtureRequest, out: Path) -> Iterator[PooledBackend]:
    source = StoreSource(disk_store(out), on_disk=True) if request.param == "disk" \
        else StoreSource(out, on_disk=False)
    backend = PooledBackend(source, workers=2, timeout=60)
    yield backend
    backend.close()


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie (an unreaped child is dead for us)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def wait_until(condition: Callable[[], bool], *, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def solutions(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


def triples(body: bytes) -> set[ox.Triple]:
    return set(ox.parse(body, format=ox.RdfFormat.TURTLE))


# --- the same answers as in the server process -----------------------------------------------

EXECUTE_CASES = [
    ("select", f"SELECT ?s ?label {{ ?s <{RDFS}label> ?label }} ORDER BY ?s ?label", solutions),
    ("ask true", f"ASK {{ <{AKNAF}> ?p ?o }}", lambda body: json.loads(body)["boolean"]),
    ("ask false", "ASK { <http://example.org/nothing> ?p ?o }", lambda body: json.loads(body)["boolean"]),
    ("construct", f"CONSTRUCT {{ <{AKNAF}> ?p ?o }} WHERE {{ <{AKNAF}> ?p ?o }}", triples),
    ("graphs", "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", solutions),
    ("union", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", solutions),
]


@pytest.mark.parametrize(("name", "query", "read"), EXECUTE_CASES, ids=[c[0] for c in EXECUTE_CASES])
def test_pooled_answers_equal_in_process_answers(pool: PooledBackend, reference: EmbeddedBackend,
                                                 name: str, query: str, read: Callable) -> None:
    pooled = pool.execute(query, results_format=JSON, graph_format=TURTLE)
    local = reference.execute(query, results_format=JSON, graph_format=TURTLE)
    assert (pooled.kind, pooled.media_type) == (local.kind, local.media_type)
    assert read(pooled.body) == read(local.body)
    assert read(pooled.body) not in ([], set())


def test_default_graph_is_the_union_as_a_set(pool: PooledBackend, out: Path) -> None:
    """Each distinct triple of all graphs once, as the build report counts them."""
    rows = pool.select("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert int(rows[0]["n"].value) == release_triples(out)


def test_page_methods_equal_in_process(pool: PooledBackend, reference: EmbeddedBackend) -> None:
    query = f"SELECT ?p ?o {{ <{AKNAF}> ?p ?o }} ORDER BY ?p ?o"
    assert pool.select(query) == reference.select(query) != []
    assert pool.ask(f"ASK {{ <{AKNAF}> ?p ?o }}") is True
    construct = f"CONSTRUCT {{ ?s ?p <{AKNAF}> }} WHERE {{ ?s ?p <{AKNAF}> }}"
    assert set(pool.construct(construct)) == set(reference.construct(construct)) != set()


def test_worker_errors_are_raised_in_the_server(pool: PooledBackend) -> None:
    with pytest.raises(QuerySyntaxError, match="syntax"):
        pool.select("SELECT WHERE {")
    with pytest.raises(NotAcceptable) as refused:
        pool.execute("CONSTRUCT WHERE { ?s ?p ?o }", results_format=JSON, graph_format=None)
    assert refused.value.kind == "graph"
    assert refused.value.status == 406


# --- the time limit --------------------------------------------------------------------------

def test_timeout_kills_the_query_process_and_replaces_it(pool: PooledBackend) -> None:
    before = set(pool.pids())
    with pytest.raises(QueryTimeout, match="time limit of 1 s") as stopped:
        pool.execute(CARTESIAN, results_format=JSON, graph_format=None, timeout=1)
    assert stopped.value.status == 503
    (killed,) = before - set(pool.pids())
    assert not alive(killed)
    assert wait_until(lambda: len(pool.pids()) == 2)  # replaced (in the background)
    assert all(alive(pid) for pid in pool.pids())
    assert pool.select(POINT)  # the pool answers on


def test_other_clients_are_answered_while_a_long_query_runs(pool: PooledBackend) -> None:
    events: dict[str, float] = {}

    def long_query() -> None:
        with pytest.raises(QueryTimeout):
            pool.execute(CARTESIAN, results_format=JSON, graph_format=None, timeout=1.5)
        events["stopped"] = time.monotonic()

    thread = threading.Thread(target=long_query)
    thread.start()
    assert wait_until(lambda: pool.idle() == 1)  # the long query holds a worker
    answers = [pool.select(POINT) for _ in range(5)]
    events["answered"] = time.monotonic()
    thread.join()
    assert all(a == answers[0] != [] for a in answers)
    assert events["answered"] < events["stopped"]


def test_a_request_waits_for_a_busy_pool_rather_than_failing(out: Path) -> None:
    backend = PooledBackend(StoreSource(out, on_disk=False), workers=1, timeout=30)
    events: dict[str, float] = {}
    try:
        def long_query() -> None:
            with pytest.raises(QueryTimeout):
                backend.execute(CARTESIAN, results_format=JSON, graph_format=None, timeout=1)
            events["stopped"] = time.monotonic()

        thread = threading.Thread(target=long_query)
        thread.start()
        assert wait_until(lambda: backend.idle() == 0)
        assert backend.select(POINT)  # waited for the only worker, then answered
        events["answered"] = time.monotonic()
        thread.join()
        assert events["stopped"] <= events["answered"]
    finally:
        backend.close()


def _occupy(backend: PooledBackend, *, seconds: float) -> threading.Thread:
    """A thread running a long query on ``backend`` until the time limit stops it, started and
    running once this returns (every query process of a one-process pool busy)."""
    def long_query() -> None:
        with pytest.raises(QueryTimeout):
            backend.execute(CARTESIAN, results_format=JSON, graph_format=None, timeout=seconds)

    thread = threading.Thread(target=long_query)
    thread.start()
    assert wait_until(lambda: backend.idle() == 0)
    return thread


def test_busy_pool_gives_503_at_the_time_limit(out: Path) -> None:
    backend = PooledBackend(StoreSource(out, on_disk=False), workers=1, timeout=30)
    try:
        thread = _occupy(backend, seconds=2)
        with pytest.raises(QueryTimeout, match="busy"):
            backend.execute(SMALL, results_format=JSON, graph_format=None, timeout=0.5)
        thread.join()
    finally:
        backend.close()


def test_a_bounded_lookup_is_answered_while_every_query_process_is_busy(out: Path) -> None:
    """One triple pattern with a fixed subject cannot run long: the server answers it itself,
    the same as a query process would, even when none is free."""
    backend = PooledBackend(StoreSource(out, on_disk=False), workers=1, timeout=30)
    try:
        expected = backend.execute(POINT, results_format=JSON, graph_format=None)
        thread = _occupy(backend, seconds=2)
        started = time.monotonic()
        for query in (POINT, f"DESCRIBE <{AKNAF}>", f"ASK {{ <{AKNAF}> a ?type }}"):
            answer = backend.execute(query, results_format=JSON, graph_format=TURTLE)
            assert answer.body
        assert time.monotonic() - started < 1.5 and backend.idle() == 0  # the long query still runs
        assert backend.execute(POINT, results_format=JSON, graph_format=None) == expected
        thread.join()
    finally:
        backend.close()


def test_a_killed_worker_is_replaced(pool: PooledBackend) -> None:
    victim = pool.pids()[0]
    os.kill(victim, signal.SIGKILL)
    assert wait_until(lambda: not alive(victim))
    answers = [pool.select(POINT) for _ in range(4)]  # every worker is asked at least once
    assert all(a == answers[0] != [] for a in answers)
    assert victim not in pool.pids()
    assert wait_until(lambda: len(pool.pids()) == 2)


def test_a_worker_killed_mid_query_is_survived(out: Path) -> None:
    backend = PooledBackend(StoreSource(out, on_disk=False), workers=1, timeout=30)
    try:
        (victim,) = backend.pids()
        errors: list[BaseException] = []

        def long_query() -> None:
            try:
                backend.execute(CARTESIAN, results_format=JSON, graph_format=None, timeout=2)
            except QueryTimeout as error:
                errors.append(error)

        thread = threading.Thread(target=long_query)
        thread.start()
        assert wait_until(lambda: backend.idle() == 0)
        os.kill(victim, signal.SIGKILL)
        thread.join()
        # Run again on a fresh worker (a query only reads), then stopped at the same deadline.
        assert len(errors) == 1
        assert victim not in backend.pids() and backend.select(POINT)
    finally:
        backend.close()


def test_close_stops_every_worker(out: Path) -> None:
    backend = PooledBackend(StoreSource(out, on_disk=False), workers=2, timeout=30)
    pids = backend.pids()
    assert len(pids) == 2 and all(alive(pid) for pid in pids)
    backend.close()
    assert wait_until(lambda: not any(alive(pid) for pid in pids))
    with pytest.raises(Exception, match="shutting down"):
        backend.select(POINT)


# --- the on-disk store -----------------------------------------------------------------------

def test_disk_store_is_outside_the_release_and_reused(out: Path) -> None:
    release = (out / "latest").resolve()
    sums_before = (release / "SHA256SUMS").read_bytes()
    files_before = sorted(p.name for p in release.iterdir())
    path = disk_store(out)
    assert store_root(release) in path.parents and release not in path.parents
    stamp = path.parent / STAMP
    first = stamp.stat().st_mtime_ns
    assert disk_store(out) == path and stamp.stat().st_mtime_ns == first  # not built again
    assert sorted(p.name for p in release.iterdir()) == files_before
    assert (release / "SHA256SUMS").read_bytes() == sums_before


def test_half_built_store_is_rebuilt_not_used(out: Path, tmp_path: Path) -> None:
    build = tmp_path / "out"
    shutil.copytree(out, build, symlinks=True, ignore=shutil.ignore_patterns(".stores"))
    release = (build / "latest").resolve()
    root = store_root(release)
    # What a killed run leaves: a staging folder, and (copied by hand, say) a store folder
    # without its stamp, holding a database that has only part of the data.
    (root / ".building-killed" / "db").mkdir(parents=True)
    partial = root / release.name / "db"
    partial.parent.mkdir()
    store = ox.Store(str(partial))
    store.add(ox.Quad(ox.NamedNode(AKNAF), ox.NamedNode(RDFS + "label"), ox.Literal("partial")))
    store.flush()
    del store
    path = disk_store(build)
    assert path == partial and (partial.parent / STAMP).is_file()
    assert not (root / ".building-killed").exists()
    opened = EmbeddedBackend(ox.Store.read_only(str(path)))
    count = opened.select("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[0]["n"]
    assert int(count.value) == release_triples(build)
    assert not opened.ask(f'ASK {{ <{AKNAF}> <{RDFS}label> "partial" }}')


def test_store_of_another_library_version_is_rebuilt(out: Path, tmp_path: Path) -> None:
    build = tmp_path / "out"
    shutil.copytree(out, build, symlinks=True, ignore=shutil.ignore_patterns(".stores"))
    path = disk_store(build)
    stamp = path.parent / STAMP
    recorded = json.loads(stamp.read_text())
    stamp.write_text(json.dumps({**recorded, "pyoxigraph": "0.0.0"}))
    assert disk_store(build) == path
    assert json.loads(stamp.read_text())["pyoxigraph"] == ox.__version__


# --- through the web app ---------------------------------------------------------------------

def test_app_long_query_is_503_while_a_point_query_is_200(out: Path) -> None:
    app = create_app({"out": out, "query_timeout": 1, "store_mode": "disk", "query_workers": 2})
    backend = app.extensions["conflict_ld"].backend
    results: dict[str, tuple[int, str, float]] = {}

    def get(name: str, query: str) -> None:
        response = app.test_client().get("/sparql", query_string={"query": query},
                                            headers={"Accept": "application/sparql-results+json"})
        results[name] = (response.status_code, response.get_data(as_text=True), time.monotonic())

    long = threading.Thread(target=get, args=("long", CARTESIAN))
    long.start()
    try:
        assert wait_until(lambda: backend.idle() == 1)
        get("point", POINT)
    finally:
        long.join()
        backend.close()
    status, body, stopped = results["long"]
    assert status == 503 and "time limit of 1 s" in body
    status, body, answered = results["point"]
    assert status == 200 and solutions(body.encode())
    assert answered < stopped


def test_app_page_past_the_time_limit_is_503_not_500(out: Path) -> None:
    app = create_app({"out": out, "query_timeout": 1e-9, "store_mode": "memory", "query_workers": 1})
    try:
        response = app.test_client().get("/page/Aknaf_Bait_al-Maqdis")
        assert response.status_code == 503
        assert "time limit" in response.get_data(as_text=True)
    finally:
        app.extensions["conflict_ld"].backend.close()


@pytest.mark.parametrize(("name", "value"), [("query_timeout", "0"), ("query_timeout", "soon"),
                                             ("query_workers", "-1"), ("store_mode", "cloud"),
                                             ("store_threshold", "many")])
def test_bad_setting_names_the_setting(out: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        create_app({"out": out, name: value})


@pytest.mark.parametrize(("settings", "kind"), [
    ({"store_mode": "auto", "store_threshold": 10**9}, "memory"),
    ({"store_mode": "auto", "store_threshold": 1}, "disk"),
    ({"store_mode": "memory", "query_workers": 0}, "in-process"),
])
def test_store_setting_picks_the_backend(out: Path, settings: dict, kind: str) -> None:
    backend = create_app({"out": out, **settings}).extensions["conflict_ld"].backend
    try:
        if kind == "in-process":
            assert isinstance(backend, EmbeddedBackend)
        else:
            assert isinstance(backend, PooledBackend) and backend.source.on_disk == (kind == "disk")
        assert backend.select(POINT)
    finally:
        backend.close()


# --- a real server ---------------------------------------------------------------------------

def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def test_real_server_stops_a_long_query_and_keeps_answering(out: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "conflict_ld.cli", "serve", "--out", str(out), "--port", str(port),
         "--query-timeout", "1", "--query-workers", "2", "--store-mode", "disk"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/"

    def sparql(query: str) -> tuple[int, str, float]:
        url = base + "sparql?" + urllib.parse.urlencode({"query": query})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode(), time.monotonic()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), time.monotonic()

    try:
        def up() -> bool:
            try:
                urllib.request.urlopen(base, timeout=1).close()
                return True
            except OSError:
                return False

        assert wait_until(up, seconds=30), "server did not answer"
        results: dict[str, tuple[int, str, float]] = {}
        long = threading.Thread(target=lambda: results.setdefault("long", sparql(CARTESIAN)))
        long.start()
        time.sleep(0.3)
        results["point"] = sparql(POINT)
        long.join()
        assert results["long"][0] == 503 and "time limit of 1 s" in results["long"][1]
        assert results["point"][0] == 200 and results["point"][2] < results["long"][2]
        assert sparql(POINT)[0] == 200  # still answering after the kill
        processes = descendants(server.pid)
        assert processes  # the forkserver and its query processes
    finally:
        server.terminate()
        # Query processes share the server's stderr: this returns once they have all ended.
        _, errors = server.communicate(timeout=30)
    assert wait_until(lambda: not any(alive(pid) for pid in processes), seconds=10)
    assert b"Traceback" not in errors, errors.decode()


def test_a_replacement_worker_loads_the_release_the_server_started_with(out: Path, tmp_path: Path) -> None:
    """A release published while the server runs is not half-served: every worker, including
    one started after a kill, answers from the release the app's version and ETags name."""
    import gzip

    from conflict_ld.server.pool import open_backend

    build = tmp_path / "out"
    shutil.copytree(out, build, symlinks=True, ignore=shutil.ignore_patterns(".stores"))
    backend = open_backend(build, store="memory", workers=1, timeout=30, threshold=0)
    try:
        newer = build / "newer"
        shutil.copytree((build / "latest").resolve(), newer)
        marker = f'<{AKNAF}> <{RDFS}label> "published later" <{BASE}graph/later> .\n'.encode()
        (newer / "dataset.nq.gz").write_bytes(
            gzip.compress(gzip.decompress((newer / "dataset.nq.gz").read_bytes()) + marker))
        (build / "latest").unlink()
        (build / "latest").symlink_to("newer")
        (victim,) = backend.pids()
        os.kill(victim, signal.SIGKILL)
        assert wait_until(lambda: not alive(victim))
        assert backend.select(POINT)
        assert victim not in backend.pids()
        assert not backend.ask('ASK { ?s ?p "published later" }')
        assert EmbeddedBackend(load_store(build)).ask('ASK { ?s ?p "published later" }')
    finally:
        backend.close()


def test_a_process_that_exits_without_closing_leaves_no_query_process(out: Path) -> None:
    script = ("import sys\nfrom conflict_ld.server.app import create_app\n"
              "if __name__ == '__main__':\n"
              "    app = create_app({'out': sys.argv[1], 'query_workers': 2})\n"
              "    print(*app.extensions['conflict_ld'].backend.pids(), flush=True)\n")
    done = subprocess.run([sys.executable, "-c", script, str(out)], capture_output=True, text=True,
                          timeout=60, check=True)
    pids = [int(pid) for pid in done.stdout.split()]
    assert len(pids) == 2
    assert wait_until(lambda: not any(alive(pid) for pid in pids))
    assert "Traceback" not in done.stderr, done.stderr


def test_a_store_with_a_subject_of_many_triples_sends_every_query_to_a_query_process(
        out: Path, monkeypatch) -> None:
    """The shape is not enough: where some subject has more than INLINE_TRIPLES triples, a
    lookup could take long to read, so every query goes to a query process (and meets the
    time limit there)."""
    from conflict_ld.server import pool as pool_module

    rows = EmbeddedBackend(load_store(out)).select(pool_module.MOST_TRIPLES_QUERY)
    monkeypatch.setattr(pool_module, "INLINE_TRIPLES", int(rows[0]["most"].value) - 1)
    backend = PooledBackend(StoreSource(out, on_disk=False), workers=1, timeout=30)
    try:
        thread = _occupy(backend, seconds=2)
        with pytest.raises(QueryTimeout, match="busy"):
            backend.execute(POINT, results_format=JSON, graph_format=None, timeout=0.5)
        thread.join()
    finally:
        backend.close()


def test_a_bounded_lookup_with_a_protocol_dataset_goes_to_a_query_process(out: Path) -> None:
    """default-graph-uri may copy whole graphs into a scratch store: not bounded."""
    backend = PooledBackend(StoreSource(out, on_disk=False), workers=1, timeout=30)
    try:
        thread = _occupy(backend, seconds=2)
        with pytest.raises(QueryTimeout, match="busy"):
            backend.execute(POINT, results_format=JSON, graph_format=None, timeout=0.5,
                            default_graphs=[BASE + "graph/entities"])
        thread.join()
    finally:
        backend.close()


@pytest.mark.parametrize("max_rows", [1, 3, 10_000, None])
@pytest.mark.parametrize("query", [f"SELECT ?p ?o {{ <{AKNAF}> ?p ?o }}", f"DESCRIBE <{AKNAF}>",
                                   f"ASK {{ <{AKNAF}> ?p ?o }}"])
def test_a_bounded_lookup_answers_as_a_query_process_would(pool: PooledBackend, query: str,
                                                           max_rows: int | None) -> None:
    """The same bytes and the same cut (or none) at every row limit, from the server's own
    view as from a query process."""
    options = {"results_format": JSON, "graph_format": TURTLE, "default_graphs": (), "named_graphs": (),
               "max_rows": max_rows, "base_iri": None}
    assert pool.execute(query, **options) == pool._call("execute", (query,), options)
