"""Benchmark: only the mapping stage of a build (parse + map the articles, load the quads into
a store), the part ``bench/run_build.py`` prints as "parsing" and "mapping".

    .venv/bin/python bench/generate.py --articles 1300 --out /tmp/articles --seed 0
    .venv/bin/python bench/run_mapping.py /tmp/articles --repeat 3
    .venv/bin/python bench/run_mapping.py /tmp/articles --profile /tmp/mapping.prof

Run the same folder under two trees back to back and compare within the pair: these
machines are shared and noisy. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import time
from pathlib import Path

import pyoxigraph as ox

from conflict_ld.build import map_folder


def run(articles: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of one mapping, and the quads it loaded. On a shared machine the
    CPU seconds move less with other jobs than the wall seconds do."""
    started, cpu = time.perf_counter(), time.process_time()
    result, _ = map_folder(articles, base_uri="http://localhost:8080/", progress=lambda _message: None)
    store = ox.Store()
    store.bulk_extend(result.quads)
    # The build's next allocation (its progress message) starts the collection the mapping
    # put off, and run_build.py counts it in the mapping stage: so is it here.
    gc.collect(generation=0)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    quads = len(store)  # the mapping may write a quad twice; the store keeps it once
    del result, store
    gc.unfreeze()  # as build does once the mapping's objects are dropped
    gc.collect()
    return seconds, cpu, quads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", type=Path, help="a folder of articles (bench/generate.py)")
    parser.add_argument("--repeat", type=int, default=1, help="runs in this process; the best is kept")
    parser.add_argument("--profile", type=Path, help="write a cProfile of one run here")
    args = parser.parse_args()
    count = len(list(args.articles.glob("*.txt")))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run(args.articles)
        profiler.disable()
        profiler.dump_stats(args.profile)
        return 0
    times, cpus = [], []
    for _ in range(args.repeat):
        seconds, cpu, quads = run(args.articles)
        times.append(seconds)
        cpus.append(cpu)
    best = min(times)
    code = Path(map_folder.__code__.co_filename).parent.parent  # which tree was measured
    print(json.dumps({
        "code": str(code), "articles": count, "quads": quads, "seconds": [round(t, 2) for t in times],
        "cpu_seconds": [round(c, 2) for c in cpus], "articles_per_second": round(count / best, 1),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
