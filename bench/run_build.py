"""Benchmark: generate N synthetic articles, run the whole build gate on them, and print the
time and peak memory of each stage (parse, map, reason, validate, serialise, publish).

    .venv/bin/python bench/run_build.py --articles 10000

Run it on an otherwise idle machine and report ratios against a peer measured in the same
run: these machines are shared and noisy. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conflict_ld.build import build

HERE = Path(__file__).resolve().parent


def peak_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="how many articles to generate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--density", type=float, default=1.0,
                        help="share of each article's values and statements kept (generate.py)")
    parser.add_argument("--work", type=Path, help="folder to work in (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="cld-bench-"))
    articles = work / "articles"
    started = time.perf_counter()
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--articles", str(args.articles),
                    "--out", str(articles), "--seed", str(args.seed), "--density", str(args.density)],
                   check=True)
    print(f"generated {args.articles} articles in {time.perf_counter() - started:.1f} s", flush=True)

    stages: list[tuple[str, float, float]] = []  # (stage, seconds, peak MB at its end)
    current = {"name": "start", "since": time.perf_counter()}

    def progress(message: str) -> None:
        stage = message.split(":")[0] if ":" in message else message.split(" ")[0]
        if message.startswith("["):
            stage = "parsing"
        if stage != current["name"]:
            now = time.perf_counter()
            stages.append((str(current["name"]), now - float(current["since"]), peak_mb()))
            current["name"], current["since"] = stage, now

    began = time.perf_counter()
    report = build(seeds=articles, out=work / "out", base_uri="http://localhost:8080/", progress=progress)
    stages.append((str(current["name"]), time.perf_counter() - float(current["since"]), peak_mb()))
    total = time.perf_counter() - began
    print(f"{'stage':<14} {'seconds':>8} {'peak MB':>8}")
    for name, seconds, mb in stages[1:]:
        print(f"{name:<14} {seconds:>8.1f} {mb:>8.0f}")
    print(f"{'total':<14} {total:>8.1f} {peak_mb():>8.0f}")
    mapping = sum(s for n, s, _ in stages if n in ("parsing", "mapping"))
    # The largest child's peak: a reader process of the mapping (its pages shared with this
    # process at the fork count in both), or the generator, whichever was larger.
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"articles": args.articles, "triples": report["triples"], "seconds": round(total, 1),
                      "peak_mb": round(peak_mb()), "largest_child_peak_mb": round(child_mb),
                      "articles_per_second_parse_and_map":
                      round(args.articles / mapping, 1) if mapping else None}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
