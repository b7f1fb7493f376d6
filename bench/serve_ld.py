"""Serving benchmark (linked data): entity documents (Turtle, ``/data/{name}.ttl``) and pages
(``/page/{name}``) per second from ``conflict-ld serve``, beside the same bytes served as static
files by nginx in the same run, with wrk at several concurrencies.

    .venv/bin/python bench/serve_ld.py --out /tmp/bench-1m/build

Needs `wrk` and `nginx` (Debian: apt-get install wrk nginx-light). Starts everything on free
ports of 127.0.0.1 and stops it after. Compare the two servers in the same run only: wrk and
both servers share the machine's cores. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import urllib.parse
from dataclasses import asdict
from pathlib import Path

from conflict_ld.server.store import build_base_uri
from harness import (
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
    running,
    server_command,
    stop_on_sigterm,
    table,
    warm_up,
    write_json,
    write_targets,
)

KINDS = {"ttl": ("/data/{}.ttl", "text/turtle"), "page": ("/page/{}", "text/html")}
TARGET_C, TARGET_RATIO, TARGET_P99_MS = 8, 0.25, 20.0

NGINX_CONF = """\
daemon off;
worker_processes {workers};
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    # wrk keeps its connections open for the whole run, as it does with ours.
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    types {{ text/turtle ttl; text/html html; }}
    default_type text/html;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


def entity_names(base_url: str, *, base: str, count: int, seed: int) -> list[str]:
    """``count`` entity names of the release (the IRI's last segment, as it appears in paths),
    sampled with a fixed seed, through our own SPARQL endpoint."""
    prefix = f"{base}resource/"
    query = ("SELECT DISTINCT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l "
             f'FILTER(STRSTARTS(STR(?e), "{prefix}")) }} ORDER BY ?e')
    status, body = fetch(f"{base_url}/sparql?" + urllib.parse.urlencode({"query": query}),
                         accept="application/sparql-results+json")
    if status != 200:
        raise BenchError(f"listing entities failed with {status}: {body[:300]!r}")
    names = [b["e"]["value"][len(prefix):] for b in json.loads(body)["results"]["bindings"]]
    if not names:
        raise BenchError("the release has no entities under " + prefix)
    return random.Random(seed).sample(names, min(count, len(names)))


def mirror(base_url: str, names: list[str], root: Path, *, kinds: list[str],
           timeout: float) -> dict[str, list[str]]:
    """Fetch every document once from our server and write it where nginx serves the same
    path from; returns the request targets per kind."""
    targets: dict[str, list[str]] = {}
    for kind in kinds:
        pattern, accept = KINDS[kind]
        targets[kind] = []
        for name in names:
            path = pattern.format(name)
            status, body = fetch(base_url + path, accept=accept, timeout=timeout)
            if status != 200:
                raise BenchError(f"GET {path} answered {status}")
            file = root / urllib.parse.unquote(path).lstrip("/")
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(body)
            targets[kind].append(path)
    return targets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="a build folder (serves OUT/latest)")
    parser.add_argument("--work", type=Path,
                        help="folder for static files, configs, logs (default: temporary)")
    parser.add_argument("--json", type=Path, help="where to write the results (default: WORK/serve_ld.json)")
    parser.add_argument("--entities", type=int, default=1000, help="how many entity paths wrk rotates over")
    parser.add_argument("--fetch-timeout", type=float, default=30,
                        help="seconds one document may take while mirroring before the run gives up")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--concurrency", default="1,8,32", help="wrk connections, comma separated")
    parser.add_argument("--duration", default="10s", help="wrk -d of each run")
    parser.add_argument("--timeout", default="5s", help="wrk --timeout (slower answers count as errors)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads of each conflict-ld serve process (default: its own default)")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes of conflict-ld serve (default: its own default)")
    parser.add_argument("--warmup", default="10s",
                        help="length of one unrecorded wrk run before measuring a kind, repeated "
                        "until its p99 is under the target's (each server process has then "
                        "cached every document)")
    parser.add_argument("--warmup-rounds", type=int, default=8,
                        help="most warm-up runs per kind and server (0: none)")
    parser.add_argument("--server-cmd", help="run our app with this command instead of conflict-ld serve; "
                        "placeholders {python}, {out}, {port} (e.g. gunicorn, see bench/README.md)")
    parser.add_argument("--nginx-workers", default="2",
                        help="nginx worker_processes: 2 (default; as many as our server's default "
                        "workers), or auto (one a core)")
    parser.add_argument("--kinds", default="ttl,page", help="which documents: ttl, page")
    args = parser.parse_args()
    stop_on_sigterm()
    try:
        return run(args)
    except BenchError as error:
        print(f"serve_ld: error: {error}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace) -> int:
    nginx = need("nginx", "apt-get install nginx-light")
    need("wrk", "apt-get install wrk")
    kinds = [k for k in args.kinds.split(",") if k]
    if unknown := set(kinds) - set(KINDS):
        raise BenchError(f"unknown --kinds {sorted(unknown)}; known: {sorted(KINDS)}")
    connections = concurrency_list(args.concurrency)
    work = args.work or Path(tempfile.mkdtemp(prefix="cld-serve-ld-"))
    work.mkdir(parents=True, exist_ok=True)
    # nginx's workers drop root to `nobody`: the static files must be readable by anyone.
    work.chmod(0o755)
    root = work / "static"
    base = build_base_uri(args.out)
    load_start = load_average()
    print(f"load average before: {load_start}", flush=True)

    ours_port, nginx_port = free_port(), free_port()
    ours_url, nginx_url = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{nginx_port}"
    serve = server_command(args.server_cmd, out=args.out, port=ours_port, threads=args.threads,
                           workers=args.workers)
    results: list[WrkResult] = []
    warm_ups: list[WrkResult] = []
    with running("conflict-ld serve", serve, ready_url=ours_url + "/", log=work / "serve.log") as ours_proc:
        names = entity_names(ours_url, base=base, count=args.entities, seed=args.seed)
        targets = mirror(ours_url, names, root, kinds=kinds, timeout=args.fetch_timeout)
        print(f"{len(names)} entities, documents mirrored under {root}", flush=True)
        for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (work / temp).mkdir(exist_ok=True)
        conf = work / "nginx.conf"
        conf.write_text(NGINX_CONF.format(workers=args.nginx_workers, work=work, port=nginx_port, root=root))
        checked = subprocess.run([nginx, "-t", "-q", "-p", str(work), "-e", str(work / "nginx-error.log"),
                                  "-c", str(conf)], capture_output=True, text=True)
        if checked.returncode != 0:
            raise BenchError(f"nginx rejects {conf}: {checked.stderr}")
        nginx_cmd = [nginx, "-p", str(work), "-e", str(work / "nginx-error.log"), "-c", str(conf)]
        with running("nginx", nginx_cmd, ready_url=nginx_url + targets[kinds[0]][0],
                     log=work / "nginx.log") as nginx_proc:
            pids = {"ours": ours_proc.pid, "nginx": nginx_proc.pid}
            for kind in kinds:
                # Same bytes from both: check one document before measuring.
                sample = targets[kind][0]
                if fetch(ours_url + sample)[1] != fetch(nginx_url + sample)[1]:
                    raise BenchError(f"nginx and our server disagree on {sample}")
                file = write_targets(work / f"targets-{kind}.txt", targets[kind])
                for server, url in (("ours", ours_url), ("nginx", nginx_url)):
                    warm_ups += warm_up(url, file, server=server, target=kind, connections=TARGET_C,
                                        duration=args.warmup, rounds=args.warmup_rounds,
                                        settled_p99_ms=TARGET_P99_MS)
                for c in connections:
                    for server, url in (("ours", ours_url), ("nginx", nginx_url)):
                        results.append(run_wrk(url, file, server=server, target=kind, connections=c,
                                               duration=args.duration, timeout=args.timeout,
                                               pid=pids[server]))
    load_end = load_average()
    print(f"load average after: {load_end}\n")
    print(table(results, servers=("ours", "nginx"), ours="ours", ratio_label=lambda p: f"ours/{p}"))
    verdicts = {}
    for kind in kinds:
        r = ratio(results, target=kind, connections=TARGET_C, ours="ours", peer="nginx")
        mine = find(results, target=kind, connections=TARGET_C, server="ours")
        if r is None or mine is None:
            continue
        errors = mine.non_2xx + mine.socket_errors
        met = r >= TARGET_RATIO and mine.p99_ms is not None and mine.p99_ms < TARGET_P99_MS and errors == 0
        verdicts[kind] = {"ratio": round(r, 3), "p99_ms": mine.p99_ms, "errors": errors, "met": met}
        print(f"{kind} at c={TARGET_C}: ours/nginx {r:.2f} (target >= {TARGET_RATIO}), ours p99 "
              f"{mine.p99_ms} ms (target < {TARGET_P99_MS}): {'met' if met else 'NOT met'}")
    write_json(args.json or work / "serve_ld.json", {
        "benchmark": "serve_ld", "build": str(args.out), "entities": len(names), "duration": args.duration,
        "nginx_workers": args.nginx_workers, "threads": args.threads or "default",
        "workers": args.workers or "default", "warmup": args.warmup,
        "warm_ups": [asdict(w) for w in warm_ups],
        "server_cmd": args.server_cmd,
        "load_before": load_start, "load_after": load_end, "targets": verdicts, "results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
