from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
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


@contextlib.contextmanager
def serving(out: Path, *, ready: str = "", env: dict[str, str] | None = None) -> Iterator[str]:
    """A real `conflict-ld serve` (granian) of ``out`` on a free port of 127.0.0.1, once
    ``ready`` (a path) answers; stopped after. Its URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "conflict_ld.cli", "serve", "--out", str(out), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + ready, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("server did not answer")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def live_server(default_build: Path) -> Iterator[str]:
    """A real server of the seed build; many tests share one client address: no rate limit."""
    with serving(default_build, env={"CONFLICT_LD_RATE_LIMIT": "0"}) as url:
        yield url
