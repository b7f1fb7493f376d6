"""The benchmark data generator (bench/generate.py): deterministic, balanced, and readable by
the project's own parsers and build."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from conflict_ld.mapping.parse import RENDERINGS, parse_article
from conflict_ld.mapping.tables import Tables

ROOT = Path(__file__).resolve().parent.parent
N = 30
# Fields every generated infobox has (keys of mapping/data/fields.toml).
ALWAYS = frozenset({"wars", "active", "ideology", "leaders", "headquarters", "area", "size",
                    "allegiance", "allies", "opponents", "partof"})


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _index(folder: Path) -> list[dict[str, str]]:
    with (folder / "INDEX.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    assert gen.main(["--articles", str(N), "--out", str(out)]) == 0
    return out


def test_same_seed_gives_identical_bytes(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert gen.main(["--articles", str(N), "--out", str(again), "--seed", "0"]) == 0
    assert _files(again) == _files(generated)


def test_another_seed_gives_other_articles(generated: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    gen.generate(N, other, seed=1)
    assert _files(other) != _files(generated)


def test_renderings_in_equal_shares(tmp_path: Path) -> None:
    for n in (30, 31, 32):
        rows = gen.generate(n, tmp_path / str(n))
        counts = Counter(kind for _, _, kind, _ in rows)
        assert set(counts) == set(RENDERINGS)
        assert max(counts.values()) - min(counts.values()) <= 1, counts


def test_index_lists_every_file(generated: Path) -> None:
    rows = _index(generated)
    assert list(rows[0]) == ["file", "title", "source_url", "kind", "chars"]
    texts = {p.name: p.read_text(encoding="utf-8") for p in generated.glob("*.txt")}
    assert sorted(r["file"] for r in rows) == sorted(texts)
    assert len(rows) == N
    for row in rows:
        assert row["source_url"] == ""
        assert int(row["chars"]) == len(texts[row["file"]])
        assert row["title"].startswith("Synthetic")


def test_regenerating_smaller_removes_stale_files(tmp_path: Path) -> None:
    gen.generate(12, tmp_path)
    gen.generate(6, tmp_path)
    assert len(list(tmp_path.glob("*.txt"))) == 6 == len(_index(tmp_path))


def test_every_article_parses_as_its_index_says(generated: Path, tables: Tables) -> None:
    for row in _index(generated):
        record = parse_article((generated / row["file"]).read_text(encoding="utf-8"), tables=tables)
        assert record.rendering == row["kind"], row["file"]
        assert record.title == row["title"], row["file"]
        if row["kind"] != "prose":
            assert len(record.infobox) >= 10, (row["file"], record.field_labels())
            assert all(f.values for f in record.infobox), row["file"]
            keys = {spec.key for f in record.infobox if (spec := tables.field_for_label(f.label))}
            assert keys >= ALWAYS, (row["file"], ALWAYS - keys)
        sentences = sum(len(p) for s in record.sections for p in s.paragraphs)
        assert sentences >= 6, row["file"]


def test_values_carry_the_qualifiers_the_mapping_reads(generated: Path, tables: Tables) -> None:
    qualifiers: list[str] = []
    cites = 0
    for row in _index(generated):
        record = parse_article((generated / row["file"]).read_text(encoding="utf-8"), tables=tables)
        for f in record.infobox:
            for value in f.values:
                qualifiers.extend(value.qualifiers)
                cites += len(value.cites)
                assert ".svg" not in value.text and "px " not in value.text, value
    text = " ".join(qualifiers)
    for expected in ("denied by Synthetic-", "sometimes", "formally", "until ", "since ", "–"):
        assert expected in text, expected
    assert cites > 0


def test_build_maps_generated_articles(tmp_path: Path) -> None:
    """The whole pipeline (map, reason, validate, publish) takes the generated articles. A
    full-density article maps to about 800 triples, and a build spends its time serialising
    them, so this build uses the thinnest articles (one value per infobox field) to stay fast."""
    from conflict_ld.cli import main

    seeds, out = tmp_path / "seeds", tmp_path / "out"
    gen.generate(N, seeds, density=0.01)
    assert main(["build", "--seeds", str(seeds), "--out", str(out)]) == 0
    report = json.loads((out / "latest" / "report.json").read_text(encoding="utf-8"))
    assert report["triples"] > N * 40
    assert report["validation"]["violations"] == 0
    assert report["dropped"] == []
    assert len(set(report["subjects"].values())) < N  # some groups have two articles: merged
