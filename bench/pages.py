"""How long the server takes to build linked-data documents and pages (CPU time per request).

    .venv/bin/python bench/pages.py --out build /page/Aknaf_Bait_al-Maqdis /data/Hamas.ttl
    .venv/bin/python bench/pages.py --out build --cached /page/Aknaf_Bait_al-Maqdis

Requests go through the Flask test client (no network), so the figure is the app's own cost.
By default the response cache is off, so every request runs its query and renders; with
``--cached`` the first request fills the cache and the rest are served from it. CPU time
(``time.process_time``), best of ``--repeat`` rounds of ``--number`` requests: on a shared
machine wall time measures the neighbours too.
"""

from __future__ import annotations

import argparse
import time
import timeit
from pathlib import Path

from conflict_ld.server.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("build"), help="the build folder to serve")
    parser.add_argument("--cached", action="store_true", help="keep the document cache on")
    parser.add_argument("--number", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("paths", nargs="+", help="paths to request, e.g. /page/Hamas")
    args = parser.parse_args()
    # Without --cached the response cache keeps nothing: every request queries and renders.
    app = create_app({"out": args.out, **({} if args.cached else {"document_cache": 0})})
    client = app.test_client()
    for path in args.paths:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        best = min(timeit.Timer(lambda p=path: client.get(p), timer=time.process_time)
                   .repeat(args.repeat, args.number)) / args.number
        print(f"{path}\t{best * 1000:.1f} ms CPU\t{len(response.data):,} bytes", flush=True)


if __name__ == "__main__":
    main()
