"""Serving benchmark (SPARQL): a query mix (``bench/queries/mix.toml``) through our ``/sparql``,
through raw ``oxigraph serve-read-only`` on the same release, and through a plain Flask app over
rdflib (``bench/rdflib_peer.py``), all in the same run, with wrk at several concurrencies.

    .venv/bin/python bench/serve_sparql.py --out /tmp/bench-1m/build

Needs `wrk` (Debian) and the `oxigraph` command (PyPI `oxigraph`, in the virtualenv or on PATH).
Starts everything on free ports of 127.0.0.1 and stops it after. Compare the servers in the
same run only: wrk and the servers share the machine's cores. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.parse
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from conflict_ld.server.store import build_base_uri
from harness import (
    HERE,
    BenchError,
    WrkResult,
    concurrency_list,
    fetch,
    find,
    free_port,
    load_average,
    need,
    ratio,
    run_wrk,
    server_command,
    start,
    stop_on_sigterm,
    table,
    wait_idle,
    wait_ready,
    write_json,
    write_targets,
)

from conflict_ld.release import release_folder

QUERIES = HERE / "queries"
SERVERS = ("ours", "oxigraph", "rdflib")
TARGET_C, TARGET_OXIGRAPH, TARGET_RDFLIB, TARGET_P99_MS = 8, 0.4, 6.0, 10.0
CLD = "https://w3id.org/conflict-ld/ontology#"
# Our endpoint's rate limit (300 requests a minute per client by default) would answer most of
# wrk's requests 429: the benchmark measures the server without it.
UNLIMITED = {"CONFLICT_LD_RATE_LIMIT": "0"}
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@dataclass(frozen=True)
class Query:
    name: str
    text: str  # with {{entity}}, {{year}}, {{text}} placeholders
    pool: str
    accept: str


def query_mix(names: list[str] | None) -> list[Query]:
    table_ = tomllib.loads((QUERIES / "mix.toml").read_text(encoding="utf-8"))["query"]
    mix = [Query(q["name"], (QUERIES / q["file"]).read_text(encoding="utf-8"), q["pool"], q["accept"])
           for q in table_]
    if names:
        unknown = set(names) - {q.name for q in mix}
        if unknown:
            raise BenchError(f"unknown --queries {sorted(unknown)}; known: {[q.name for q in mix]}")
        mix = [q for q in mix if q.name in names]
    return mix


def select(endpoint: str, query: str) -> list[dict[str, str]]:
    status, body = fetch(endpoint + "?" + urllib.parse.urlencode({"query": query}),
                         accept="application/sparql-results+json", timeout=300)
    if status != 200:
        raise BenchError(f"{endpoint} answered {status}: {body[:300]!r}")
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def pools(select: Callable[[str], list[dict[str, str]]], *, base: str, count: int,
          seed: int) -> dict[str, list[tuple[str, str]]]:
    """(IRI, English label) of ``count`` things per pool, sampled with a fixed seed; ``select``
    runs a SELECT query and gives its rows."""
    prefix = f"{base}resource/"
    entities = select(f"""SELECT DISTINCT ?e ?label WHERE {{ ?e <{RDFS_LABEL}> ?label
        FILTER(STRSTARTS(STR(?e), "{prefix}") && LANG(?label) = "en") }} ORDER BY ?e ?label""")
    allied = select(f"""SELECT DISTINCT ?e ?label WHERE {{ ?r a <{CLD}Alliance> ;
        <{CLD}subject>|<{CLD}object> ?e . ?e <{RDFS_LABEL}> ?label FILTER(LANG(?label) = "en") }}
        ORDER BY ?e ?label""")
    out = {}
    for name, rows in (("entities", entities), ("allied", allied)):
        unique = list({r["e"]: r["label"] for r in rows}.items())
        if not unique:
            raise BenchError(f"no {name} in the release")
        rng = random.Random(seed)
        out[name] = [unique[rng.randrange(len(unique))] for _ in range(count)] if len(unique) < count \
            else rng.sample(unique, count)
    return out


def fragment(label: str) -> str:
    """A piece of a label to search for: its number if it has one, else its longest word."""
    words = re.findall(r"\w+", label.lower())
    digits = [w for w in words if any(ch.isdigit() for ch in w)]
    return (digits or sorted(words, key=len, reverse=True) or [label.lower()])[0]


def instances(query: Query, sample: list[tuple[str, str]], *, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [query.text.replace("{{entity}}", iri).replace("{{year}}", str(rng.randint(2011, 2024)))
            .replace("{{text}}", fragment(label).replace("\\", "\\\\").replace('"', '\\"'))
            for iri, label in sample]


def answer_size(body: bytes, accept: str) -> int:
    if "json" in accept:
        return len(json.loads(body)["results"]["bindings"])
    return sum(1 for line in body.splitlines() if line.strip())


def cross_check(query: Query, texts: list[str], endpoints: dict[str, str]) -> list[str]:
    """Run the first few instances on every server: all must answer 200; differing answer
    sizes are reported (engines may legitimately differ, e.g. on DESCRIBE)."""
    notes = []
    for text in texts[:3]:
        sizes = {}
        for server, endpoint in endpoints.items():
            status, body = fetch(endpoint + "?" + urllib.parse.urlencode({"query": text}),
                                 accept=query.accept, timeout=300)
            if status != 200:
                raise BenchError(f"{server} answered {status} to {query.name}: {body[:300]!r}\n{text}")
            sizes[server] = answer_size(body, query.accept)
        if len(set(sizes.values())) > 1:
            notes.append(f"{query.name}: answer sizes differ {sizes}")
    return notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="a build folder (serves OUT/latest)")
    parser.add_argument("--work", type=Path,
                        help="folder for the Oxigraph store, logs, targets (default: temporary)")
    parser.add_argument("--json", type=Path,
                        help="where to write the results (default: WORK/serve_sparql.json)")
    parser.add_argument("--entities", type=int, default=1000,
                        help="how many query instances wrk rotates over")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--concurrency", default="1,8,32", help="wrk connections, comma separated")
    parser.add_argument("--duration", default="10s", help="wrk -d of each run")
    parser.add_argument("--timeout", default="10s", help="wrk --timeout (slower answers count as errors)")
    parser.add_argument("--queries", help="comma-separated names from bench/queries/mix.toml (default: all)")
    parser.add_argument("--servers", default=",".join(SERVERS),
                        help="which of ours, oxigraph, rdflib to run (rdflib loads for minutes)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads of each conflict-ld serve process (default: its own default)")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes of conflict-ld serve (default: its own default)")
    parser.add_argument("--rdflib-workers", type=int, default=1,
                        help="processes of the rdflib peer, each with its own copy of the graph")
    parser.add_argument("--server-cmd", help="run our app with this command instead of conflict-ld serve; "
                        "placeholders {python}, {out}, {port} (see bench/README.md)")
    args = parser.parse_args()
    stop_on_sigterm()
    try:
        return run(args)
    except BenchError as error:
        print(f"serve_sparql: error: {error}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace) -> int:
    need("wrk", "apt-get install wrk")
    servers = [s for s in args.servers.split(",") if s]
    if set(servers) - set(SERVERS) or "ours" not in servers:
        raise BenchError(f"--servers: ours and any of oxigraph, rdflib; not {args.servers!r}")
    mix = query_mix(args.queries.split(",") if args.queries else None)
    connections = concurrency_list(args.concurrency)
    work = args.work or Path(tempfile.mkdtemp(prefix="cld-serve-sparql-"))
    work.mkdir(parents=True, exist_ok=True)
    base = build_base_uri(args.out)
    dump = release_folder(args.out) / "dataset.nq.gz"
    load_start = load_average()
    print(f"load average before: {load_start}", flush=True)

    ports = {s: free_port() for s in servers}
    urls = {s: f"http://127.0.0.1:{p}" for s, p in ports.items()}
    endpoints = {s: urls[s] + ("/query" if s == "oxigraph" else "/sparql") for s in servers}
    logs = {s: work / f"{s}.log" for s in servers}
    results: list[WrkResult] = []
    notes: list[str] = []
    with ExitStack() as stack:
        procs = {}
        if "rdflib" in servers:  # the slowest to start: first, so it loads while the others do
            procs["rdflib"] = start("rdflib peer", [sys.executable, str(HERE / "rdflib_peer.py"), "--out",
                                    str(args.out), "--port", str(ports["rdflib"]), "--workers",
                                    str(args.rdflib_workers)],
                                    log=logs["rdflib"], stack=stack)
        if "oxigraph" in servers:
            oxigraph = need("oxigraph", "pip install oxigraph (PyPI), in the virtualenv or on PATH")
            store = work / "oxigraph"
            if not store.exists():
                started = time.perf_counter()
                subprocess.run([oxigraph, "load", "--location", str(store), "--file", str(dump)], check=True,
                               stdout=subprocess.DEVNULL)
                # A freshly loaded store is many small files; compact it, as a served store would be.
                subprocess.run([oxigraph, "optimize", "--location", str(store)], check=True,
                               stdout=subprocess.DEVNULL)
                print(f"oxigraph load and optimize: {time.perf_counter() - started:.1f} s", flush=True)
            procs["oxigraph"] = start("oxigraph", [oxigraph, "serve-read-only", "--location", str(store),
                                      "--bind", f"127.0.0.1:{ports['oxigraph']}", "--union-default-graph"],
                                      log=logs["oxigraph"], stack=stack)
        procs["ours"] = start("conflict-ld serve", server_command(
            args.server_cmd, out=args.out, port=ports["ours"], threads=args.threads, workers=args.workers),
            log=logs["ours"], stack=stack, env=UNLIMITED)
        for server in servers:
            wait_ready(server, procs[server], url=urls[server] + "/", log=logs[server])
        sample = pools(lambda q: select(endpoints["ours"], q), base=base, count=args.entities, seed=args.seed)
        for query in mix:
            texts = instances(query, sample[query.pool], seed=args.seed)
            notes += cross_check(query, texts, endpoints)
            files = {s: write_targets(work / f"targets-{query.name}-{s}.txt", [
                urllib.parse.urlparse(endpoints[s]).path + "?" + urllib.parse.urlencode({"query": t})
                for t in texts]) for s in servers}
            for c in connections:
                for server in servers:
                    results.append(run_wrk(urls[server], files[server], server=server, target=query.name,
                                           connections=c, duration=args.duration, timeout=args.timeout,
                                           headers=[f"Accept: {query.accept}"], pid=procs[server].pid))
                    wait_idle(server, procs[server].pid)
    load_end = load_average()
    print(f"load average after: {load_end}\n")
    for note in notes:
        print("note:", note)
    print(table(results, servers=servers, ours="ours", ratio_label=lambda p: f"ours/{p}"))
    verdicts = {}
    for query in mix:
        mine = find(results, target=query.name, connections=TARGET_C, server="ours")
        if mine is None:
            continue
        to_ox = ratio(results, target=query.name, connections=TARGET_C, ours="ours", peer="oxigraph")
        to_rdflib = ratio(results, target=query.name, connections=TARGET_C, ours="ours", peer="rdflib")
        errors = mine.non_2xx + mine.socket_errors
        met = (errors == 0 and mine.p99_ms is not None and mine.p99_ms < TARGET_P99_MS
               and (to_ox is None or to_ox >= TARGET_OXIGRAPH)
               and (to_rdflib is None or to_rdflib >= TARGET_RDFLIB))
        verdicts[query.name] = {"ours/oxigraph": to_ox, "ours/rdflib": to_rdflib, "p99_ms": mine.p99_ms,
                                "errors": errors, "met": met}
        print(f"{query.name} at c={TARGET_C}: ours/oxigraph {_r(to_ox)} (target >= {TARGET_OXIGRAPH}), "
              f"ours/rdflib {_r(to_rdflib)} (target >= {TARGET_RDFLIB}), ours p99 {mine.p99_ms} ms "
              f"(target < {TARGET_P99_MS}), errors {errors}: {'met' if met else 'NOT met'}")
    write_json(args.json or work / "serve_sparql.json", {
        "benchmark": "serve_sparql", "build": str(args.out), "instances": args.entities,
        "duration": args.duration, "timeout": args.timeout, "threads": args.threads or "default",
        "workers": args.workers or "default", "rdflib_workers": args.rdflib_workers,
        "server_cmd": args.server_cmd, "load_before": load_start, "load_after": load_end,
        "notes": notes, "targets": verdicts, "results": results})
    return 0


def _r(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


if __name__ == "__main__":
    raise SystemExit(main())
