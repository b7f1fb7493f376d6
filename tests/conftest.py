from __future__ import annotations

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
