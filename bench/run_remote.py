"""Benchmark: remote mode against the embedded store, on one build.

    .venv/bin/python bench/run_remote.py --out BUILD [--requests 30]

Starts a private `oxigraph serve` and a private Virtuoso on free ports of 127.0.0.1, loads the
build's latest release into them (`load --into` through the Graph Store Protocol, and Virtuoso's
bulk loader too), then times the app's routes in process (Flask test client) with each backend:
the median of REQUESTS requests per route. Prints one table; stops both stores. Run it on an
otherwise idle machine and read the ratios: these machines are shared and noisy.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gzip
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from conflict_ld.server.app import create_app

from conflict_ld.load import load, load_virtuoso_bulk
from conflict_ld.release import release_folder

UNION = "urn:x-conflict-ld:union"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def timed(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="a build folder")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    # Stopped (a timeout, ^C from a supervisor): still stop the stores, in ``finally``.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    release = release_folder(args.out).resolve()
    work = Path(tempfile.mkdtemp(prefix="cld-remote-"))
    oxigraph_port, http_port, sql_port = free_port(), free_port(), free_port()
    binary = Path(sys.executable).parent / "oxigraph"
    procs = [subprocess.Popen([str(binary), "serve", "--location", str(work / "oxigraph"),
                               "--bind", f"127.0.0.1:{oxigraph_port}"], stderr=subprocess.DEVNULL)]
    ini = Path("/etc/virtuoso-opensource-7/virtuoso.ini").read_text(encoding="utf-8")
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db", str(work))
    ini = re.sub(r"(?m)^(ServerPort\s*=\s*)1111\b", rf"\g<1>127.0.0.1:{sql_port}", ini)
    ini = re.sub(r"(?m)^(ServerPort\s*=\s*)8890\b", rf"\g<1>127.0.0.1:{http_port}", ini)
    ini = re.sub(r"(?m)^(DirsAllowed\s*=.*)$", rf"\1, {work}, {release}", ini)
    (work / "virtuoso.ini").write_text(ini, encoding="utf-8")
    procs.append(subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(work / "virtuoso.ini")],
                                  cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    oxigraph, virtuoso = f"http://127.0.0.1:{oxigraph_port}", f"http://127.0.0.1:{http_port}"
    try:
        wait(f"{oxigraph}/query?query=ASK%7B%7D")
        wait(f"{virtuoso}/sparql?query=ASK%7B%7D")
        triples = len(gzip.decompress((release / "dataset.nq.gz").read_bytes()).splitlines())
        print(f"release {release.name}: {triples} quads")
        print(f"load, Graph Store Protocol, into oxigraph serve: "
              f"{timed(lambda: load(out=args.out, into=f'{oxigraph}/store')):.1f} s")
        print("load, Graph Store Protocol, into Virtuoso: " + format(timed(lambda: load(
            out=args.out, into=f"{virtuoso}/sparql-graph-crud-auth", graph=UNION,
            user="dba", password="dba")), ".1f") + " s")
        print("load, Virtuoso bulk loader (isql-vt): " + format(timed(lambda: load_virtuoso_bulk(
            out=args.out, isql=f"127.0.0.1:{sql_port}", graph=UNION, user="dba", password="dba")),
            ".1f") + " s")
        apps = {"embedded": {}, "oxigraph serve": {"store": f"{oxigraph}/query"},
                "Virtuoso": {"store": f"{virtuoso}/sparql", "store_graph": UNION}}
        clients = {name: create_app({"out": args.out, **extra}).test_client() for name, extra in apps.items()}
        entity = clients["embedded"].post("/sparql", data={"query": (
            "SELECT ?e WHERE { ?r <https://w3id.org/conflict-ld/ontology#subject> ?e } "
            "GROUP BY ?e ORDER BY DESC(COUNT(?r)) ?e LIMIT 1")}, headers={"Accept": "text/csv"}
        ).get_data(as_text=True).split()[-1].rsplit("/", 1)[-1]
        routes = {
            f"/data/{entity}.ttl": lambda c: c.get(f"/data/{entity}.ttl"),
            f"/page/{entity}": lambda c: c.get(f"/page/{entity}"),
            "/sparql COUNT(*) of the union (JSON)": lambda c: c.post(
                "/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                headers={"Accept": "application/sparql-results+json"}),
            "/sparql 1000 rows (TSV)": lambda c: c.post(
                "/sparql", data={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 1000"},
                headers={"Accept": "text/tab-separated-values"}),
        }
        print(f"\nmedian of {args.requests} requests, ms | " + " | ".join(apps))
        for route, call in routes.items():
            cells = []
            for client in clients.values():
                times = []
                for _ in range(args.requests):
                    start = time.perf_counter()
                    assert call(client).status_code == 200, route
                    times.append(time.perf_counter() - start)
                cells.append(f"{statistics.median(times) * 1000:.1f}")
            print(f"{route} | " + " | ".join(cells))
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
