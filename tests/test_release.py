"""Releases: layout, checksums, VoID/DCAT that agrees with the files, a second parser for every
dump, versions kept, atomic publication, the validation gate and `conflict-ld validate`."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

import conflict_ld.build as build_module
from conflict_ld.cli import main
from conflict_ld.release import DISTRIBUTIONS, Staging
from tests.conftest import ROOT, release

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
OX_FORMATS = {
    "dataset.trig": ox.RdfFormat.TRIG, "dataset.nq.gz": ox.RdfFormat.N_QUADS,
    "union.ttl": ox.RdfFormat.TURTLE, "union.nt.gz": ox.RdfFormat.N_TRIPLES,
    "union.jsonld": ox.RdfFormat.JSON_LD, "ontology.ttl": ox.RdfFormat.TURTLE,
    "shapes.ttl": ox.RdfFormat.TURTLE, "void.ttl": ox.RdfFormat.TURTLE,
}


def read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def test_layout_and_checksums(default_build: Path) -> None:
    folder = release(default_build)
    assert folder.parent == default_build.resolve() and (default_build / "latest").is_symlink()
    expected = {d.file_name for d in DISTRIBUTIONS} | {"void.ttl", "report.json", "SHA256SUMS"}
    assert {p.name for p in folder.iterdir()} == expected
    sums = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == expected - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    report = json.loads((folder / "report.json").read_text())
    assert report["version"] == folder.name
    assert folder.stat().st_mode & 0o777 == 0o755  # readable by a web server's user


def test_every_dump_parses_with_a_second_parser_and_counts_agree(default_build: Path) -> None:
    folder = release(default_build)
    counts = {}
    for name, fmt in OX_FORMATS.items():
        quads = list(ox.parse(read(folder / name), format=fmt))
        counts[name] = len({(q.subject, q.predicate, q.object) for q in quads})
    assert counts["union.ttl"] == counts["union.nt.gz"] == counts["union.jsonld"]
    assert counts["dataset.nq.gz"] == counts["dataset.trig"] == counts["union.nt.gz"]
    void = Graph().parse(folder / "void.ttl")
    triples = next(void.objects(URIRef("http://localhost:8080/dataset"), VOID.triples))
    assert triples.toPython() == counts["union.nt.gz"]


# A third parser, independent of both rdflib and Oxigraph: Debian's rapper (raptor2-utils,
# installed by `make test` from system-packages.txt). It reads no JSON-LD.
RAPPER_SYNTAX = {"union.ttl": "turtle", "union.nt.gz": "ntriples", "dataset.trig": "trig",
                 "dataset.nq.gz": "nquads"}


@pytest.mark.parametrize("name", sorted(RAPPER_SYNTAX))
def test_rapper_parses_every_dump_it_reads(default_build: Path, tmp_path: Path, name: str) -> None:
    rapper = shutil.which("rapper")
    assert rapper, "rapper is missing: `make system-packages` installs raptor2-utils"
    folder = release(default_build)
    plain = tmp_path / name.removesuffix(".gz")
    plain.write_bytes(read(folder / name))
    done = subprocess.run([rapper, "-i", RAPPER_SYNTAX[name], "-o", "nquads", str(plain)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    ours = list(ox.parse(read(folder / name), format=OX_FORMATS[name]))
    assert len([line for line in done.stdout.splitlines() if line]) == len(ours)


def test_void_and_dcat_describe_every_distribution(default_build: Path) -> None:
    folder = release(default_build)
    void = Graph().parse(folder / "void.ttl")
    dataset = URIRef("http://localhost:8080/dataset")
    assert (dataset, DCT.license, URIRef("https://creativecommons.org/licenses/by-sa/4.0/")) in void
    assert len(set(void.objects(dataset, DCT.source))) == 3
    assert void.value(dataset, DCAT.version) == Literal(folder.name)
    assert void.value(dataset, DCT.issued) is not None
    partitions = {str(void.value(p, VOID["class"])).rsplit("#")[1]: void.value(p, VOID.entities).toPython()
                  for p in void.objects(dataset, VOID.classPartition)}
    report = json.loads((folder / "report.json").read_text())
    assert partitions == report["entities"]["by_class"]
    distributions = set(void.objects(dataset, DCAT.distribution))
    assert len(distributions) == len(DISTRIBUTIONS)
    for dist in DISTRIBUTIONS:
        node = URIRef(f"http://localhost:8080/dumps/{folder.name}/{dist.file_name}")
        assert node in distributions
        data = (folder / dist.file_name).read_bytes()
        assert void.value(node, DCAT.byteSize).toPython() == len(data)
        checksum = void.value(node, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert str(void.value(node, DCAT.mediaType)).endswith(dist.media_type)


def test_gzip_files_carry_no_timestamp(default_build: Path) -> None:
    for name in ("dataset.nq.gz", "union.nt.gz"):
        header = (release(default_build) / name).read_bytes()[:10]
        assert header[4:8] == b"\x00\x00\x00\x00", name  # MTIME field


def test_new_input_makes_a_new_version_and_keeps_the_old(tmp_path: Path) -> None:
    out = tmp_path / "out"
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", articles)
    assert main(["build", "--seeds", str(articles), "--out", str(out)]) == 0
    first = release(out).name
    (articles / "002_b56c25f4aa653c94.txt").unlink()
    assert main(["build", "--seeds", str(articles), "--out", str(out)]) == 0
    second = release(out).name
    assert first != second
    assert (out / first / "dataset.nq.gz").is_file() and (out / second / "dataset.nq.gz").is_file()
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [first, second, "latest"])


def publish(out: Path, version: str, files: Mapping[str, bytes]) -> Path:
    """A release of ``files``, written as the build writes one."""
    with Staging(out) as staging:
        for name, data in files.items():
            staging.write(name, data)
        return staging.publish(version)


def test_a_publication_that_breaks_off_leaves_the_previous_release(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, "aaaa", {"a.txt": b"old"})

    class Crash(Exception):
        pass

    class Files(dict):  # breaks off in the middle of writing, as a kill would
        def items(self):  # type: ignore[override]
            yield "b.txt", b"new"
            raise Crash

    with pytest.raises(Crash):
        publish(out, "bbbb", Files())
    assert (out / "latest").readlink() == Path("aaaa")
    assert (out / "latest" / "a.txt").read_bytes() == b"old"
    assert not (out / "bbbb").exists()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # staging cleaned up


@pytest.mark.parametrize("stop", [KeyboardInterrupt, RuntimeError])
def test_a_release_left_while_staged_is_not_published(tmp_path: Path, stop: type[BaseException]) -> None:
    """Files are written as they are made (not kept in memory): Ctrl-C or an error between
    two of them leaves the published releases as they were and no staging folder."""
    out = tmp_path / "out"
    publish(out, "aaaa", {"a.txt": b"old"})
    with pytest.raises(stop), Staging(out) as staging:
        staging.write("dataset.trig", b"written")
        assert (staging.folder / "dataset.trig").read_bytes() == b"written"
        assert staging.written["dataset.trig"].size == 7
        assert staging.written["dataset.trig"].sha256 == hashlib.sha256(b"written").hexdigest()
        raise stop
    assert (out / "latest").readlink() == Path("aaaa")
    assert sorted(p.name for p in out.iterdir()) == ["aaaa", "latest"]


def test_a_build_that_fails_while_serialising_publishes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", "--seeds", str(ROOT / "seeds"), "--out", str(out)]) == 0
    before = sorted(p.name for p in out.iterdir())

    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "sha256sums", broken)  # the last file of a release
    (tmp_path / "seeds").mkdir()
    for seed in sorted((ROOT / "seeds").glob("*.txt"))[:2]:  # other input: another version
        shutil.copy(seed, tmp_path / "seeds" / seed.name)
    assert main(["build", "--seeds", str(tmp_path / "seeds"), "--out", str(out)]) == 2
    assert "No space left on device; the published releases are as they were" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == before


def test_a_violation_blocks_the_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", "--seeds", str(ROOT / "seeds"), "--out", str(out)]) == 0
    before = (out / "latest").readlink()
    strict = build_module.shapes_graph()
    strict.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix cld: <https://w3id.org/conflict-ld/ontology#> .
        <urn:test:TwoEvidences> a sh:NodeShape ; sh:targetClass cld:Attestation ;
          sh:property [ sh:path cld:evidence ; sh:minCount 2 ;
                        sh:message "an attestation needs two evidence texts" ] .
    """, format="turtle")
    monkeypatch.setattr(build_module, "shapes_graph", lambda: strict)
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", articles)
    (articles / "002_b56c25f4aa653c94.txt").unlink()  # new input: it would be a new version
    assert main(["build", "--seeds", str(articles), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "Violation: an attestation needs two evidence texts" in captured.out
    assert "urn:test:TwoEvidences" in captured.out
    assert "from:  00" in captured.out  # the source file and evidence of the offending fact
    assert "nothing was published" in captured.err
    assert (out / "latest").readlink() == before
    assert len([p for p in out.iterdir() if not p.name.startswith(".")]) == 2


def test_validate_command_exit_codes(default_build: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(default_build)]) == 0
    assert main(["validate", str(release(default_build))]) == 0
    # Break the data: a leader who is a place.
    union = Graph().parse(data=read(release(default_build) / "union.nt.gz"), format="nt")
    cld = Namespace("https://w3id.org/conflict-ld/ontology#")
    leadership = next(union.subjects(RDF.type, cld.Leadership))
    union.set((leadership, cld.object, URIRef("http://localhost:8080/resource/Damascus")))
    broken = tmp_path / "broken.nt"
    broken.write_bytes(union.serialize(format="nt", encoding="utf-8"))
    assert main(["validate", str(broken)]) == 1
    assert "Violation" in capsys.readouterr().out
    (tmp_path / "bad.nt").write_text("<a> <b> .\n")
    assert main(["validate", str(tmp_path / "bad.nt")]) == 2
    assert main(["validate", str(tmp_path / "missing.nt")]) == 2
    assert main(["validate", str(tmp_path / "data.xyz")]) == 2


def test_the_gate_checks_what_is_asserted_not_what_is_inferred(default_build: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A Leadership whose subject is a State breaks LeadershipShape. The domain of cld:ledBy
    makes the state an organisation among the entailments, so checking them as well would
    hide the error: the gate reads every graph but graph/inferred."""
    base = "http://localhost:8080/"
    cld = "https://w3id.org/conflict-ld/ontology#"
    text = gzip.decompress((release(default_build) / "dataset.nq.gz").read_bytes()).decode()
    node = next(line.split(" ")[0] for line in text.splitlines()
                if f"<{cld}Leadership>" in line and "rdf-syntax-ns#type" in line)
    aknaf, syria = f"<{base}resource/Aknaf_Bait_al-Maqdis>", f"<{base}resource/Syria>"
    def is_subject(line: str) -> bool:
        return line.startswith(node + " ") and f"<{cld}subject>" in line

    moved = [line.replace(aknaf, syria) for line in text.splitlines() if is_subject(line)]
    assert moved
    kept = [line for line in text.splitlines() if not is_subject(line)]
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    masking = f"{syria} {rdf_type} <{cld}Organization> <{base}graph/inferred> ."
    path = tmp_path / "data.nq"
    path.write_text("\n".join([*kept, *moved, masking]) + "\n")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "LeadershipShape" in out and node.strip("<>") in out
