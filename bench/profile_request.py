"""Where one request's time goes in our server, without a network: the Flask app (the same
``create_app`` that ``conflict-ld serve`` runs) driven by Werkzeug's test client in a loop under
cProfile, beside the engine alone (the same query through pyoxigraph, serialised the same way).

    .venv/bin/python bench/profile_request.py --out /tmp/bench-1m/build --query point_lookup
    .venv/bin/python bench/profile_request.py --out /tmp/bench-1m/build --path /page/NAME

The difference between the two per-request times is the app's own overhead (routing,
negotiation, response building); what the HTTP server (granian) adds shows in the wrk runs.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from conflict_ld.server.app import create_app
from conflict_ld.server.backend import EmbeddedBackend
from conflict_ld.server.limits import EXTENSION as LIMITS
from conflict_ld.server.pool import PooledBackend
from conflict_ld.server.site import EXTENSION
from flask.testing import FlaskClient
from serve_sparql import instances, pools, query_mix

from conflict_ld.formats import by_name, results_formats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="a build folder (serves OUT/latest)")
    parser.add_argument("--query", default="point_lookup", help="a query of bench/queries/mix.toml")
    parser.add_argument("--path", help="profile GET of this path instead of a query (e.g. /page/NAME)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25, help="how many functions to list")
    args = parser.parse_args()

    app = create_app({"out": args.out})
    client = app.test_client()
    site = app.extensions[EXTENSION]
    limits = app.extensions[LIMITS]
    if args.path:
        requests = [(args.path, {}, "*/*")] * args.requests
        engine = None
    else:
        query = query_mix([args.query])[0]
        # pools() asks a SPARQL endpoint over HTTP; here the test client is the endpoint.
        sample = _pools(client, base=site.base)
        texts = instances(query, sample[query.pool], seed=0)
        requests = [("/sparql", {"query": texts[i % len(texts)]}, query.accept) for i in range(args.requests)]
        engine = (texts, query.accept)

    for path, params, accept in requests[:50]:  # warm up
        client.get(path, query_string=params, headers={"Accept": accept})
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for path, params, accept in requests:
        response = client.get(path, query_string=params, headers={"Accept": accept})
        if response.status_code != 200:
            print(f"{path} {params} answered {response.status_code}", file=sys.stderr)
            return 1
    profiler.disable()
    app_ms = (time.perf_counter() - started) / len(requests) * 1000
    # The profiler's own cost inflates app_ms; time the loop again without it.
    started = time.perf_counter()
    for path, params, accept in requests:
        client.get(path, query_string=params, headers={"Accept": accept})
    plain_ms = (time.perf_counter() - started) / len(requests) * 1000
    print(f"{len(requests)} requests through the app (Werkzeug's test client): {plain_ms:.3f} ms each "
          f"({1000 / plain_ms:,.0f} a second on one core; {app_ms:.3f} ms under cProfile)")
    if engine:
        texts, accept = engine
        backend = site.backend
        # The engine alone: the same store the app's queries run on (a pool's workers open
        # their own; here one is opened in this process the same way).
        store = backend.store if isinstance(backend, EmbeddedBackend) else backend.source.open()
        json_format = ox.QueryResultsFormat.JSON
        started = time.perf_counter()
        for i in range(len(requests)):
            # The store's default graph holds the union (as the app queries it).
            result = store.query(texts[i % len(texts)])
            if isinstance(result, ox.QueryTriples):
                ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
            else:
                result.serialize(format=json_format)
        engine_ms = (time.perf_counter() - started) / len(requests) * 1000
        added = plain_ms - engine_ms
        print(f"the same queries through pyoxigraph alone: {engine_ms:.3f} ms each; "
              f"the app adds {added:.3f} ms a request ({added / plain_ms:.0%})")
        if isinstance(backend, PooledBackend):
            # The backend call the app makes, without Flask (a bounded lookup is answered in
            # this process), and the same call forced through a query process.
            results = next(f for f in results_formats() if f.name == "json")
            options = {"results_format": results, "graph_format": by_name("ntriples"), "default_graphs": (),
                       "named_graphs": (), "max_rows": limits.max_rows or None, "base_iri": None}
            timings = {}
            for name, call in (("backend", lambda q: backend.execute(q, **options)),
                               ("query process", lambda q: backend._call("execute", (q,), options))):
                started = time.perf_counter()
                for i in range(len(requests)):
                    call(texts[i % len(texts)])
                timings[name] = (time.perf_counter() - started) / len(requests) * 1000
            rest = plain_ms - timings["backend"]
            print(f"the same calls to the backend alone: {timings['backend']:.3f} ms each (the app's "
                  f"request handling and the test client {rest:.3f} ms); forced through a query "
                  f"process ({backend.size} processes): {timings['query process']:.3f} ms each")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(f"\n--- top {args.top} by {order} ---")
        print(out.getvalue().split("\n\n", 2)[-1].strip())
    return 0


def _pools(client: FlaskClient, *, base: str) -> dict[str, list[tuple[str, str]]]:
    def select(query: str) -> list[dict[str, str]]:
        response = client.get("/sparql", query_string={"query": query},
                              headers={"Accept": "application/sparql-results+json"})
        return [{k: v["value"] for k, v in b.items()} for b in response.json["results"]["bindings"]]

    return pools(select, base=base, count=1000, seed=0)


if __name__ == "__main__":
    raise SystemExit(main())
