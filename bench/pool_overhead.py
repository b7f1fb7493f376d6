"""What a query costs through the query processes compared with the server process itself.

    .venv/bin/python bench/pool_overhead.py --out build [--number 2000]

Times a point lookup (one entity's label, as SPARQL JSON) and a larger answer (every triple
about the entity and its relation nodes, as parsed triples: what a page gets back) with
``timeit`` on four backends: in-process over memory and over the on-disk store, pooled (one
worker process, over a pipe) over memory and over the on-disk store.
"""

from __future__ import annotations

import argparse
import timeit
from pathlib import Path

import pyoxigraph as ox
from conflict_ld.server.backend import EmbeddedBackend
from conflict_ld.server.disk_store import disk_store
from conflict_ld.server.pool import PooledBackend, StoreSource
from conflict_ld.server.store import build_base_uri, load_store

from conflict_ld.formats import results_formats
from conflict_ld.resources import prefixes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("build"), help="a build folder")
    parser.add_argument("--number", type=int, default=2000, help="queries per measurement")
    parser.add_argument("--entity", default="Aknaf_Bait_al-Maqdis", help="the entity looked up")
    parser.add_argument("--iri", help="the entity's full IRI (instead of --entity)")
    args = parser.parse_args()
    iri = args.iri or f"{build_base_uri(args.out)}resource/{args.entity}"
    point = f"SELECT ?label {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
    page = (f"PREFIX cld: <{prefixes()['cld']}> CONSTRUCT {{ ?s ?p ?o }} WHERE {{ "
            f"{{ <{iri}> ?p ?o BIND(<{iri}> AS ?s) }} "
            f"UNION {{ ?s cld:subject|cld:object <{iri}> . ?s ?p ?o }} }}")
    json = results_formats()[0]
    database = disk_store(args.out)
    backends = {
        "in-process, memory": EmbeddedBackend(load_store(args.out)),
        "in-process, disk": EmbeddedBackend(ox.Store.read_only(str(database))),
        "pooled, memory": PooledBackend(StoreSource(args.out, on_disk=False), workers=1, timeout=60),
        "pooled, disk": PooledBackend(StoreSource(database, on_disk=True), workers=1, timeout=60),
    }
    print(f"{'backend':<20} {'point lookup':>14} {'CONSTRUCT':>16}   (microseconds a query, "
          f"best of 3 x {args.number})")
    try:
        for name, backend in backends.items():
            def lookup(backend=backend) -> None:
                backend.execute(point, results_format=json, graph_format=None)

            def describe(backend=backend) -> None:
                backend.construct(page)

            size = len(backend.construct(page))
            assert size, f"nothing about {iri}"
            times = [min(timeit.repeat(f, number=args.number, repeat=3)) / args.number * 1e6
                     for f in (lookup, describe)]
            print(f"{name:<20} {times[0]:>14.0f} {times[1]:>16.0f}   ({size} triples)")
    finally:
        for backend in backends.values():
            backend.close()


if __name__ == "__main__":
    main()
