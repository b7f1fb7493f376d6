"""The sorted dump's JSON-LD, written a run of subjects at a time: the same bytes whatever the
run size, every subject's statements in one node, the union's statements all there."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from conflict_ld import serialize
from conflict_ld.formats import by_name
from conflict_ld.resources import prefixes
from conflict_ld.serialize import SortedDump, _subject_runs
from tests.conftest import release


@pytest.fixture(scope="module")
def dump(default_build: Path) -> SortedDump:
    store = ox.Store()
    data = gzip.decompress((release(default_build) / "dataset.nq.gz").read_bytes())
    store.extend(ox.parse(data, format=ox.RdfFormat.N_QUADS))  # keeps the blank nodes' labels
    return SortedDump.of_store(store)


def _subject(line: bytes) -> bytes:
    return line[: line.index(b" ")]


@pytest.mark.parametrize("size", [1, 2, 7, 100, 10**6])
def test_runs_keep_each_subject_whole(dump: SortedDump, size: int) -> None:
    runs = list(_subject_runs(dump.triples, size=size))
    assert [line for run in runs for line in run] == dump.triples
    firsts = [_subject(run[0]) for run in runs]
    lasts = [_subject(run[-1]) for run in runs]
    assert all(last != first for last, first in zip(lasts, firsts[1:], strict=False))  # no subject split
    assert all(len(run) >= size or run is runs[-1] or _subject(run[0]) == _subject(run[-1]) for run in runs)


@pytest.mark.parametrize("size", [1, 3, 50])
def test_jsonld_is_the_same_whatever_the_run_size(dump: SortedDump, size: int, default_build: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    whole = dump.render(by_name("jsonld"), prefixes=prefixes())
    assert whole == (release(default_build) / "union.jsonld").read_bytes()
    monkeypatch.setattr(serialize, "JSONLD_LINES", size)
    assert dump.render(by_name("jsonld"), prefixes=prefixes()) == whole
    document = json.loads(whole)
    ids = [node["@id"] for node in document["@graph"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))  # one node a subject, in order
    parsed = ox.Dataset(ox.parse(whole, format=ox.RdfFormat.JSON_LD))
    assert len(parsed) == len(dump.triples)
