"""End to end: `conflict-ld build` on the seeds and on the corpus, the competency questions
(queries/*.rq) answered in two engines, the graph's invariants, and bad input."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from conflict_ld.mapping.names import iri_local_name
from conflict_ld.server.store import load_store
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from conflict_ld.cli import main
from conflict_ld.resources import prefixes
from tests.conftest import load_quads, release

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
BASE = "http://example.org/cld/"
CLD = Namespace(prefixes()["cld"])
PROV = Namespace("http://www.w3.org/ns/prov#")
# Relation classes whose nodes have no second party: dates and quantities carry the rest.
UNARY = {"ActivePeriod", "Strength", "Renaming", "Dissolution", "Founding", "Surrender", "Massacre"}


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    assert main(["build", "--seeds", str(ROOT / "seeds"), "--out", str(out), "--base-uri", BASE]) == 0
    return out


@pytest.fixture(scope="module")
def dataset(seeds_build: Path) -> Dataset:
    ds = load_quads(release(seeds_build) / "dataset.nq.gz")
    return ds


@pytest.fixture(scope="module")
def store(seeds_build: Path) -> ox.Store:
    return load_store(seeds_build)  # what the server answers from


def run_both(query_file: str, dataset: Dataset, store: ox.Store) -> list[dict[str, str]]:
    """Answer a competency question in rdflib and in Oxigraph; both must agree."""
    query = (QUERIES / query_file).read_text(encoding="utf-8")
    ours = [
        {str(k): str(v) for k, v in row.asdict().items()} for row in dataset.query(query)
    ]
    solutions = store.query(query, use_default_graph_as_union=True)
    variables = solutions.variables
    theirs = [{v.value: s[v].value for v in variables if s[v] is not None} for s in solutions]
    norm = lambda rows: sorted(json.dumps(r, sort_keys=True) for r in rows)  # noqa: E731
    assert norm(ours) == norm(theirs), f"{query_file}: rdflib and Oxigraph disagree"
    return ours


def entity(label: str) -> URIRef:
    return URIRef(BASE + "resource/" + iri_local_name(label))


# -- competency questions ---------------------------------------------------------------------


def test_allies_valid_in_2018(dataset: Dataset, store: ox.Store) -> None:
    rows = run_both("allies_valid_in_2018.rq", dataset, store)
    dated = {r["label"] for r in rows if r["dated"] == "true"}
    undated = {r["label"] for r in rows if r["dated"] == "false"}
    assert dated == {"Hay'at Tahrir al-Sham"}
    assert {"Jaysh al-Islam", "Jaysh al-Ababil", "Free Syrian Army", "Al-Nusra Front"} <= undated
    assert "Ahrar al-Sham" not in dated | undated  # allied in 2015 only


def test_active_periods_every_one(dataset: Dataset, store: ox.Store) -> None:
    rows = run_both("active_periods.rq", dataset, store)
    assert len(rows) == 2
    first, second = rows
    # "2012/13 – 2015": an uncertain start keeps both bounds, the end keeps year precision.
    assert (first["earliestStart"], first["latestStart"]) == ("2012-01-01", "2013-12-31")
    assert "start" not in first
    assert (first["end"], first["earliestEnd"], first["latestEnd"]) == ("2015", "2015-01-01", "2015-12-31")
    # "2015 – present": an open end.
    assert second["start"] == "2015" and second["ongoing"] == "true" and "end" not in second


def test_who_denies_the_allegiance(dataset: Dataset, store: ox.Store) -> None:
    rows = run_both("allegiance_denials.rq", dataset, store)
    assert [(r["toLabel"], r["denierLabel"]) for r in rows] == [("Hamas", "Hamas")]


def test_where_each_fact_came_from(dataset: Dataset, store: ox.Store) -> None:
    rows = run_both("provenance.rq", dataset, store)
    files = {r["file"] for r in rows}
    assert files == {"000_557fef28febaf1b5.txt", "001_a61b2647d8e311c0.txt"}
    allegiance = [r for r in rows if r["class"].endswith("#Allegiance") and r["section"] == "Infobox"]
    by_file = {r["file"]: r for r in allegiance}
    assert by_file["000_557fef28febaf1b5.txt"]["evidence"] == "- Allegiance: Hamas (denied by Hamas)"
    rendered = by_file["001_a61b2647d8e311c0.txt"]
    assert rendered["evidence"] == "Allegiance Hamas (denied by Hamas)[5]"
    assert rendered["line"] == "13" and rendered["section"] == "Infobox"
    assert rendered["reference"].endswith("/source/001_a61b2647d8e311c0/reference/5")
    assert "alsouria.net" in rendered["citation"]
    for row in rows:  # every evidence is the exact text of its line in its file
        text = (ROOT / "seeds" / row["file"]).read_text(encoding="utf-8").replace("\u00a0", " ")
        assert row["evidence"] in text.splitlines()[int(row["line"]) - 1]


def test_what_the_renderings_disagree_on(dataset: Dataset, store: ox.Store) -> None:
    rows = run_both("disagreements.rq", dataset, store)
    stated = {(r["class"].rsplit("#")[1], r.get("otherLabel"), r["statedIn"].rsplit("/")[-1]) for r in rows}
    assert ("IdeologyAttribution", "Sunni Islamism", "000_557fef28febaf1b5") in stated
    assert ("IdeologyAttribution", "Islamism", "001_a61b2647d8e311c0") in stated
    assert ("Alliance", "Free Syrian Army", "000_557fef28febaf1b5") in stated
    assert ("Opposition", "Al-Nusra Front", "001_a61b2647d8e311c0") in stated
    # Facts both state are not disagreements.
    assert not any(c == "Allegiance" for c, _, _ in stated)
    assert not any(label == "Jaysh al-Islam" for _, label, _ in stated)


# -- the model ------------------------------------------------------------------------------


def relation_classes(dataset: Dataset) -> set[URIRef]:
    return set(dataset.transitive_subjects(RDFS.subClassOf, CLD.Relation)) - {CLD.Relation}


def test_every_relation_node_is_complete(dataset: Dataset) -> None:
    classes = relation_classes(dataset)
    nodes = {n for c in classes for n in dataset.subjects(RDF.type, c)}
    assert len(nodes) > 40
    inferred = URIRef(BASE + "graph/inferred")
    for node in nodes:
        asserted = {o for _, _, o, g in dataset.quads((node, RDF.type, None, None)) if g != inferred}
        kinds = [c for c in asserted if c in classes]
        assert len(kinds) == 1, node  # one asserted class; its super-classes are entailed
        assert len(set(dataset.objects(node, CLD.subject))) == 1, node
        if kinds[0].removeprefix(str(CLD)) not in UNARY:
            assert len(set(dataset.objects(node, CLD.object))) == 1, node
        sources = set(dataset.objects(node, PROV.wasDerivedFrom))
        attestations = set(dataset.objects(node, PROV.qualifiedDerivation))
        assert sources and attestations, node
        assert {next(dataset.objects(a, PROV.entity)) for a in attestations} == sources
        for a in attestations:
            assert next(dataset.objects(a, CLD.evidence), None) is not None
            assert next(dataset.objects(a, CLD.section), None) is not None


def test_relation_nodes_live_in_the_graph_of_each_source(dataset: Dataset) -> None:
    hamas = [n for n in dataset.subjects(RDF.type, CLD.Allegiance) if (n, CLD.status, CLD.Denied) in dataset]
    assert len(hamas) == 1  # the infobox line and the prose denial, in both renderings: one node
    graphs = {str(g) for _, _, _, g in dataset.quads((hamas[0], RDF.type, CLD.Allegiance, None))}
    assert graphs == {BASE + "graph/000_557fef28febaf1b5", BASE + "graph/001_a61b2647d8e311c0"}


def test_two_renderings_make_one_entity_with_both_sources(dataset: Dataset) -> None:
    aknaf = entity("Aknaf Bait al-Maqdis")
    sources = set(dataset.subjects(CLD.about, aknaf))
    assert len(sources) == 2
    labels = set(dataset.objects(aknaf, RDFS.label))
    assert Literal("Aknaf Bait al-Maqdis", lang="en") in labels
    assert Literal("أكناف بيت المقدس", lang="ar") in labels
    alt = {str(x) for x in dataset.objects(aknaf, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))}
    assert "Aknaf Beit al-Maqdis" in alt


def test_one_leader_across_spellings(dataset: Dataset) -> None:
    leaders = set(dataset.objects(entity("Aknaf Bait al-Maqdis"), CLD.ledBy))
    assert len(leaders) == 3  # Abu Hamam / Abo Hamam are one person


def test_shortcuts_beside_the_nodes(dataset: Dataset) -> None:
    aknaf = entity("Aknaf Bait al-Maqdis")
    assert (aknaf, CLD.allyOf, entity("Hay'at Tahrir al-Sham")) in dataset
    assert (aknaf, CLD.headquarters, entity("Yarmouk Camp")) in dataset
    # A denied claim gets no truthy shortcut: the shortcut to Hamas is there only because the
    # prose also asserts the allegiance ("its true allegiance remained with Hamas").
    denied = [n for n in dataset.subjects(CLD.status, CLD.Denied) if (n, RDF.type, CLD.Allegiance) in dataset]
    asserted = [n for n in dataset.subjects(RDF.type, CLD.Allegiance)
                if n not in denied and (n, CLD.object, entity("Hamas")) in dataset]
    assert denied and asserted
    assert (aknaf, CLD.allegianceTo, entity("Hamas")) in dataset
    shortcut = (aknaf, CLD.allegianceTo, entity("Hamas"), None)
    graphs_with_shortcut = {g for _, _, _, g in dataset.quads(shortcut)}
    graphs_asserting = {g for n in asserted
                        for _, _, _, g in dataset.quads((n, RDF.type, CLD.Allegiance, None))}
    assert graphs_with_shortcut == graphs_asserting


def test_dates_keep_precision_and_bounds(dataset: Dataset) -> None:
    XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
    offensive = entity("Southern Damascus offensive (April–May 2018)")
    nodes = [n for n in dataset.subjects(CLD.object, offensive)]
    assert nodes
    node = nodes[0]
    assert Literal("2018-04", datatype=XSD.gYearMonth) in set(dataset.objects(node, CLD.startDate))
    assert next(dataset.objects(node, CLD.latestEnd)) == Literal("2018-05-31", datatype=XSD.date)


def test_strength_with_point_in_time(dataset: Dataset) -> None:
    nodes = [n for n in dataset.subjects(RDF.type, CLD.Strength)
             if (n, CLD.quantity, Literal(200)) in dataset]
    assert len(nodes) == 1
    assert next(dataset.objects(nodes[0], CLD.quantity)).toPython() == 200
    assert str(next(dataset.objects(nodes[0], CLD.date))) == "2015"


def test_every_cld_term_used_is_declared(dataset: Dataset) -> None:
    ontology = Graph().parse(ROOT / "ontology/conflict.ttl")
    declared = set(ontology.subjects())
    used = {p for _, p, _ in dataset.triples((None, None, None)) if str(p).startswith(str(CLD))}
    used |= {o for _, _, o in dataset.triples((None, RDF.type, None)) if str(o).startswith(str(CLD))}
    used |= {o for _, _, o in dataset.triples((None, CLD.status, None))}
    assert used - declared == set()


def test_report_counts(seeds_build: Path) -> None:
    report = json.loads((release(seeds_build) / "report.json").read_text())
    assert report["base_uri"] == BASE
    assert report["relations"]["by_class"]["Alliance"] == 8
    assert set(report["relations"]["statements_by_source"]) == {
        "000_557fef28febaf1b5", "001_a61b2647d8e311c0", "002_b56c25f4aa653c94"}
    assert report["entities"]["by_class"]["Person"] >= 3
    by_source = report["entities"]["by_source"]
    assert set(by_source) == {"000_557fef28febaf1b5", "001_a61b2647d8e311c0", "002_b56c25f4aa653c94"}
    assert by_source["001_a61b2647d8e311c0"]["Person"] == 5  # 3 leaders, Khaled Mashal, Ban Ki-moon
    assert by_source["002_b56c25f4aa653c94"]["ArmedGroup"] >= 5  # from its prose alone


def test_outputs_parse_and_agree(seeds_build: Path) -> None:
    folder = release(seeds_build)
    union = Graph().parse(data=gzip.decompress((folder / "union.nt.gz").read_bytes()), format="nt")
    for name, fmt in (("union.ttl", "turtle"), ("union.jsonld", "json-ld")):
        other = Graph().parse(folder / name, format=fmt)
        assert len(other) == len(union), name
    trig = Dataset().parse(folder / "dataset.trig", format="trig")
    nq = load_quads(folder / "dataset.nq.gz", default_union=False)
    assert len(list(trig.quads())) == len(list(nq.quads()))
    context = json.loads((folder / "union.jsonld").read_text())["@context"]
    assert isinstance(context, dict)  # inline, nothing to fetch


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    """New processes with different hash seeds; the release date pinned as reproducible
    builds pin it (SOURCE_DATE_EPOCH). Every file, checksums and description included."""
    folders = []
    for seed in ("1", "12345"):
        out = tmp_path / f"out{seed}"
        subprocess.run(
            [sys.executable, "-m", "conflict_ld.cli", "build", "--seeds", str(ROOT / "seeds"),
             "--out", str(out), "--base-uri", BASE],
            check=True, capture_output=True,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1700000000"},
        )
        folders.append(release(out))
    first, second = folders
    assert first.name == second.name  # the version is the content's
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_corpus_builds_without_error(tmp_path: Path) -> None:
    folder = tmp_path / "all"
    folder.mkdir()
    for path in [*ROOT.glob("seeds/*.txt"), *ROOT.glob("tests/corpus/*.txt")]:
        shutil.copy(path, folder)
    shutil.copy(ROOT / "tests/corpus/INDEX.tsv", folder)
    out = tmp_path / "out"
    assert main(["build", "--seeds", str(folder), "--out", str(out), "--base-uri", BASE]) == 0
    report = json.loads((release(out) / "report.json").read_text())
    assert len(report["subjects"]) == 29
    ds = load_quads(release(out) / "dataset.nq.gz")
    urls = {str(o) for o in ds.objects(None, URIRef("https://schema.org/url"))}
    assert "https://en.wikipedia.org/wiki/Jund_al-Sham" in urls


# -- bad input ---------------------------------------------------------------------------------


def snapshot(out: Path) -> dict[str, object]:
    """Every file of a build folder with its bytes, and where `latest` points."""
    files: dict[str, object] = {str(p.relative_to(out)): p.read_bytes()
                                for p in sorted(out.rglob("*")) if p.is_file() and not p.is_symlink()}
    files["latest ->"] = str((out / "latest").readlink())
    return files


def build_into(folder: Path, out: Path) -> int:
    return main(["build", "--seeds", str(folder), "--out", str(out), "--base-uri", BASE])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"= Title =\n\nok line\n\xff\xfe broken\n", ":4: not UTF-8"),
        (b"\n\n\n", ":1: no recognisable title"),
        (b"\n= \n", ":2: no recognisable title"),
    ],
)
def test_bad_article_names_file_and_line_and_keeps_output(
    tmp_path: Path, seeds_build: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    out = tmp_path / "out"
    shutil.copytree(seeds_build, out, symlinks=True)
    before = snapshot(out)
    folder = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", folder)
    (folder / "zz_bad.txt").write_bytes(content)
    assert build_into(folder, out) == 2
    err = capsys.readouterr().err
    assert "zz_bad.txt" + message in err
    assert snapshot(out) == before


def test_empty_or_missing_folder_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build_into(tmp_path, tmp_path / "out") == 2
    assert "no article files" in capsys.readouterr().err
    assert build_into(tmp_path / "nope", tmp_path / "out") == 2
    assert "not a folder" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_bad_base_uri_names_the_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["build", "--seeds", str(ROOT / "seeds"), "--out", str(tmp_path / "o"),
                 "--base-uri", "ftp://x"])
    assert code == 2
    assert "base_uri (--base-uri)" in capsys.readouterr().err


def test_readme_worked_example_is_what_a_build_gives(tmp_path: Path) -> None:
    """The README's worked example must stay true: its triples are all in a real build
    (default base IRI, the seeds)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- worked-example -->", 1)[1].split("```turtle", 1)[1].split("```", 1)[0]
    example = Graph().parse(data=block, format="turtle")
    assert len(example) == 18
    out = tmp_path / "out"
    assert main(["build", "--seeds", str(ROOT / "seeds"), "--out", str(out),
                 "--base-uri", "http://localhost:8080/"]) == 0
    built = load_quads(release(out) / "dataset.nq.gz")
    missing = [t for t in example if t not in built]
    assert not missing


def test_unreadable_article_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", folder)
    (folder / "zz_folder.txt").mkdir()  # a path that cannot be read as a file
    assert build_into(folder, tmp_path / "out") == 2
    assert "zz_folder.txt: cannot read" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
