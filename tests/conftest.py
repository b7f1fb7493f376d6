from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conflict_ld.mapping.tables import Tables

from conflict_ld.resources import load_tables

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def tables() -> Tables:
    return load_tables()


@pytest.fixture(scope="session")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds built once per test run at the default base IRI (what `make run` serves)."""
    from conflict_ld.cli import main

    out = tmp_path_factory.mktemp("default") / "out"
    assert main(["build", "--seeds", str(ROOT / "seeds"), "--out", str(out)]) == 0
    return out


def release(out: Path) -> Path:
    """The latest release of a build folder."""
    return (out / "latest").resolve()


def load_quads(path: Path, *, default_union: bool = True):  # -> rdflib.Dataset
    """A gzipped N-Quads dump as an rdflib Dataset."""
    import gzip

    from rdflib import Dataset

    dataset = Dataset(default_union=default_union)
    dataset.parse(data=gzip.decompress(path.read_bytes()), format="nquads")
    return dataset


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(default_build: Path):
    """A real `conflict-ld serve` (waitress) on a free port of 127.0.0.1, stopped after."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "conflict_ld.cli", "serve", "--out", str(default_build), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "CONFLICT_LD_RATE_LIMIT": "0"},  # many tests share one client address
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("server did not answer")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
