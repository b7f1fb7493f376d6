"""The rdflib peer of the SPARQL benchmark: a plain Flask app answering ``/sparql`` from an
rdflib ``Dataset`` (default graph = union of the named graphs) loaded from a release's
``dataset.nq.gz``, under granian like ``conflict-ld serve``; in one process by default, as a
plain Flask app over rdflib runs (more workers each load their own copy, 1.2 KB a triple).
For benchmarks only.

    .venv/bin/python bench/rdflib_peer.py --out BUILD --port 8081

SELECT and ASK answer in SPARQL JSON results, DESCRIBE and CONSTRUCT in N-Triples.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from functools import partial
from pathlib import Path

from flask import Flask, Response, abort, request
from rdflib import Dataset

from conflict_ld.release import release_folder


def create_app(folder: Path) -> Flask:
    dataset = Dataset(default_union=True)
    started = time.perf_counter()
    with gzip.open(release_folder(folder) / "dataset.nq.gz", "rb") as handle:
        dataset.parse(handle, format="nquads")
    print(f"rdflib loaded {len(dataset):,} triples in {time.perf_counter() - started:.0f} s",
          file=sys.stderr, flush=True)
    app = Flask(__name__)

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql() -> Response:
        query = request.values.get("query")
        if query is None:
            abort(400, "missing query parameter")
        try:
            result = dataset.query(query)
        except Exception as error:  # a benchmark peer: any parse error is the client's
            return Response(f"{error}\n", 400, mimetype="text/plain")
        if result.type in ("SELECT", "ASK"):
            return Response(result.serialize(format="json"), mimetype="application/sparql-results+json")
        return Response(result.serialize(format="nt"), mimetype="application/n-triples")

    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="a build folder (serves OUT/latest)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=4, help="threads of each worker process")
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    args = parser.parse_args()
    from granian import Granian
    from granian.constants import Interfaces

    server = Granian(target="rdflib_peer:create_app", address=args.host, port=args.port,
                     interface=Interfaces.WSGI, workers=args.workers, blocking_threads=args.threads,
                     log_level="warning")
    server.serve(target_loader=partial(create_app, args.out), wrap_loader=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
