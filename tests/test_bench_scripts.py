"""The benchmark scripts still run (they are not part of the suite's timings, but a script that
fails is a benchmark nobody can reproduce): each on a small generated folder, output checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    # 70 articles: over READERS_FROM, so that the default run has a reader process.
    subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), "--articles", "70", "--out", str(folder),
                    "--seed", "5", "--density", "0.2"], check=True, capture_output=True)
    return folder


def _json(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, *args], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_run_mapping_in_both_modes(generated: Path) -> None:
    with_readers = _json("bench/run_mapping.py", str(generated))
    alone = _json("bench/run_mapping.py", str(generated), "--one-process")
    assert with_readers["articles"] == alone["articles"] == 70
    assert with_readers["quads"] == alone["quads"] > 5_000
    assert alone["readers"] == 0 and alone["reader_cpu_seconds"] == [0.0]
    assert with_readers["readers"] in (0, 1, 2)  # 0 on a one-core machine


def test_run_emit(generated: Path) -> None:
    out = _json("bench/run_emit.py", str(generated))
    assert out["articles"] == 70 and out["facts"] > 100


def test_run_build(tmp_path: Path) -> None:
    out = _json("bench/run_build.py", "--articles", "20", "--density", "0.1", "--work", str(tmp_path))
    assert out["articles"] == 20 and out["triples"] > 1_000
    assert out["peak_mb"] > 0 and out["articles_per_second_parse_and_map"] > 0
    assert (tmp_path / "out" / "latest" / "SHA256SUMS").is_file()
