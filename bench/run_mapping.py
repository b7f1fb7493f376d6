"""Benchmark: only the mapping stage of a build (parse + map the articles, load the quads into
a store), the part ``bench/run_build.py`` prints as "parsing" and "mapping".

    .venv/bin/python bench/generate.py --articles 1300 --out /tmp/articles --seed 0
    .venv/bin/python bench/run_mapping.py /tmp/articles --repeat 3
    .venv/bin/python bench/run_mapping.py /tmp/articles --repeat 3 --one-process
    .venv/bin/python bench/run_mapping.py /tmp/articles --profile /tmp/mapping.prof --one-process

Run the same folder under two trees back to back and compare within the pair: these
machines are shared and noisy. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import time
from pathlib import Path

import pyoxigraph as ox

from conflict_ld.build import map_folder
from conflict_ld.readers import reader_count


def run(articles: Path, *, readers: int | None) -> tuple[float, float, float, int]:
    """Wall seconds of one mapping, CPU seconds of this process and of its reader processes,
    and the quads it loaded. On a shared machine the CPU seconds move less with other jobs
    than the wall seconds do."""
    started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    result, _ = map_folder(articles, base_uri="http://localhost:8080/", progress=lambda _message: None,
                           readers=readers)
    store = ox.Store()
    store.bulk_extend(result.quads)
    # The build's next allocation (its progress message) starts the collection the mapping
    # put off, and run_build.py counts it in the mapping stage: so is it here.
    gc.collect(generation=0)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    children = _children_cpu() - children
    quads = len(store)  # the mapping may write a quad twice; the store keeps it once
    del result, store
    gc.unfreeze()  # as build does once the mapping's objects are dropped
    gc.collect()
    return seconds, cpu, children, quads


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", type=Path, help="a folder of articles (bench/generate.py)")
    parser.add_argument("--repeat", type=int, default=1, help="runs in this process; the best is kept")
    parser.add_argument("--profile", type=Path, help="write a cProfile of one run here")
    parser.add_argument("--one-process", action="store_true",
                        help="no reader processes: parse and read the prose in this process too")
    args = parser.parse_args()
    count = len(list(args.articles.glob("*.txt")))
    readers = 0 if args.one_process else None
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run(args.articles, readers=readers)
        profiler.disable()
        profiler.dump_stats(args.profile)
        return 0
    times, cpus, reader_cpus = [], [], []
    for _ in range(args.repeat):
        seconds, cpu, children, quads = run(args.articles, readers=readers)
        times.append(seconds)
        cpus.append(cpu)
        reader_cpus.append(children)
    best = min(times)
    code = Path(map_folder.__code__.co_filename).parent.parent  # which tree was measured
    print(json.dumps({
        "code": str(code), "articles": count, "quads": quads, "seconds": [round(t, 2) for t in times],
        "readers": reader_count(count, wanted=readers),
        "cpu_seconds": [round(c, 2) for c in cpus], "reader_cpu_seconds": [round(c, 2) for c in reader_cpus],
        "articles_per_second": round(count / best, 1), "load_average": [round(x, 2) for x in os.getloadavg()],
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
