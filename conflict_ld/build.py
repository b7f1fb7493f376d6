"""``conflict-ld build``: read the articles, map them, reason, validate, publish a release.

All file I/O of a build lives here; the mapping itself (``conflict_ld.mapping``) is pure.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from conflict_ld.mapping.graph import Article, MappingResult, map_articles
from conflict_ld.mapping.mentions import ProseTables
from conflict_ld.mapping.parse import parse_article
from conflict_ld.mapping.prose_facts import ProseRule, read_prose, reading_subject
from conflict_ld.mapping.record import ArticleError
from conflict_ld.mapping.resolve import Resolver
from conflict_ld.mapping.tables import Tables

from .readers import read_in_processes, reader_count
from .reasoning import materialise
from .release import DISTRIBUTIONS, Staging, describe, gz, issued, sha256sums, version_of
from .resources import load_prose, load_tables, prefixes, read_text
from .serialize import SortedDump, to_triples
from .validate import Finding, validate, violations
from .vocabulary import ontology_graph, vocabulary

Progress = Callable[[str], None]
ONTOLOGY_GRAPH = "ontology"
INFERRED_GRAPH = "inferred"



class BuildError(Exception):
    """A problem with the input, named by file and line."""

    def __init__(self, message: str, *, path: Path, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.args[0]}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a reader process (conflict_ld.readers) and raised again in the build's.
        return _build_error, (self.args[0], self.path, self.line)


def _build_error(message: str, path: Path, line: int | None) -> BuildError:
    return BuildError(message, path=path, line=line)


def read_article(path: Path, *, tables: Tables, urls: dict[str, str]) -> Article:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BuildError(f"cannot read: {error.strerror or error}", path=path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BuildError(
            f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})", path=path, line=line
        ) from None
    try:
        record = parse_article(text, tables=tables)
    except ArticleError as error:
        raise BuildError(f"no recognisable title: {error}", path=path, line=error.line) from None
    return Article(
        source_id=path.stem,
        file_name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        record=record,
        url=urls.get(path.name),
    )


def read_index(folder: Path) -> dict[str, str]:
    """Optional ``INDEX.tsv`` (file, title, source_url, ...) giving where each text came from."""
    index = folder / "INDEX.tsv"
    if not index.is_file():
        return {}
    with index.open(encoding="utf-8", newline="") as handle:
        return {
            row["file"]: row["source_url"]
            for row in csv.DictReader(handle, delimiter="\t")
            if row.get("file") and row.get("source_url")
        }


def article_paths(seeds: Path) -> list[Path]:
    if not seeds.is_dir():
        raise BuildError("not a folder of articles", path=seeds)
    paths = sorted(seeds.glob("*.txt"))
    if not paths:
        raise BuildError("no article files (*.txt) in this folder", path=seeds)
    return paths


def read_articles(seeds: Path, *, tables: Tables, progress: Progress) -> list[Article]:
    paths = article_paths(seeds)
    urls = read_index(seeds)
    articles = []
    for number, path in enumerate(paths, start=1):
        progress(f"[{number}/{len(paths)}] parsing {path.name}")
        articles.append(read_article(path, tables=tables, urls=urls))
    return articles


def _read_with_prose(path: Path, *, tables: Tables, urls: dict[str, str],
                     prose: tuple[Sequence[ProseRule], ProseTables]) -> Article:
    """An article and its prose's reading, as a reader process makes them. The subject is the
    one a resolver that has seen no other article gives; the mapping reads the prose again
    when its own resolver's differs (a title seen earlier under another spelling)."""
    article = read_article(path, tables=tables, urls=urls)
    subject = Resolver(tables).subject(article.record.title, source=article.source_id)
    reading = read_prose(article.record, tables=tables, rules=prose[0], prose=prose[1],
                         subject=reading_subject(subject))
    return replace(article, prose=reading)


def _taken(paths: Sequence[Path], articles: Iterable[Article], *, progress: Progress) -> Iterator[Article]:
    """The articles as they come, with the progress messages of reading them in this process."""
    for number, (path, article) in enumerate(zip(paths, articles, strict=True), start=1):
        progress(f"[{number}/{len(paths)}] parsing {path.name}")
        yield article
    progress(f"mapping {len(paths)} articles")


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Parsing and mapping build millions of small objects that all live until the build ends,
    and make no reference cycles to speak of: Python's cycle collector would walk them all
    again and again (a third of the mapping's time at 1,300 articles). Reference counting
    still frees everything else. When collection resumes, the objects made meanwhile are set
    aside (``gc.freeze``) instead of walked: the first collection would otherwise walk them
    all (0.7 s at 1,300 articles), and each older generation's collection again. Whoever
    drops them calls ``gc.unfreeze`` (see build)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def map_folder(seeds: Path, *, base_uri: str, progress: Progress,
               readers: int | None = None) -> tuple[MappingResult, Graph]:
    """``readers``: how many reader processes parse the articles and read their prose while
    this process maps them (None: as conflict_ld.readers.reader_count decides; 0: none)."""
    with cycle_collection_paused():
        return _map_folder(seeds, base_uri=base_uri, progress=progress, readers=readers)


def _map_folder(seeds: Path, *, base_uri: str, progress: Progress,
                readers: int | None) -> tuple[MappingResult, Graph]:
    tables = load_tables()
    prose = load_prose()
    paths = article_paths(seeds)
    urls = read_index(seeds)
    readers = reader_count(len(paths), wanted=readers)
    vocab = vocabulary(base_uri=base_uri, ontology=(ontology := ontology_graph()))
    # Mapped in source-id (file stem) order: when that is the files' order (nearly always),
    # each article is mapped as it is read.
    in_order = [p.stem for p in paths] == sorted(p.stem for p in paths)

    def mapped(articles: Iterable[Article]) -> MappingResult:
        return map_articles(_taken(paths, articles, progress=progress), tables=tables, vocab=vocab,
                            prose=prose, in_order=in_order)

    if readers:
        with read_in_processes(paths, read=partial(_read_with_prose, tables=tables, urls=urls, prose=prose),
                               processes=readers) as outcomes:
            result = mapped(outcomes)
    else:
        result = mapped(read_article(path, tables=tables, urls=urls) for path in paths)
    graph = ox.NamedNode(f"{base_uri}graph/{ONTOLOGY_GRAPH}")
    result.quads.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in to_triples(ontology))
    return result, ontology


class ValidationFailed(Exception):
    """The graph breaks a shape at severity Violation: nothing is published."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} SHACL violations; nothing was published")
        self.findings = findings


def shapes_graph() -> Graph:
    return Graph().parse(data=read_text("conflict_ld.shapes", "shapes.ttl"), format="turtle")


def build(*, seeds: Path, out: Path, base_uri: str, progress: Progress = print,
          readers: int | None = None) -> dict[str, Any]:
    """Map, reason, validate and publish a release of ``seeds`` under ``out``; on any error,
    or on a SHACL violation, the published releases are left as they were. ``readers``: see
    map_folder."""
    try:
        return _build(seeds=seeds, out=out, base_uri=base_uri, progress=progress, readers=readers)
    finally:
        # The mapping's objects were set aside from collection (see cycle_collection_paused)
        # and are gone now: what is left of them goes back to ordinary collection.
        gc.unfreeze()


def _build(*, seeds: Path, out: Path, base_uri: str, progress: Progress,
           readers: int | None) -> dict[str, Any]:
    result, _ = map_folder(seeds, base_uri=base_uri, progress=progress, readers=readers)
    ontology_graph, inferred_graph = f"{base_uri}graph/{ONTOLOGY_GRAPH}", f"{base_uri}graph/{INFERRED_GRAPH}"
    # One store carries the release from here on: reasoning, validation and the sorted dump
    # all run in Oxigraph, with no Python object per statement.
    store = ox.Store()
    store.bulk_extend(result.quads)
    progress("reasoning: OWL-RL entailments")
    inferred = materialise(store, ontology=ontology_graph, inferred=inferred_graph)
    progress("validating: SHACL shapes")
    # What the articles assert is checked, not the entailments: a domain or range would
    # otherwise supply the very type a shape checks for (a "leader" of a state would become
    # an organisation by the domain of cld:ledBy). The default graph holds the asserted data
    # (see materialise); the ontology joins it for rdfs:subClassOf.
    store.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ontology_graph}> {{ ?s ?p ?o }} }}")
    findings = validate(store, shapes=shapes_graph(), cld=prefixes()["cld"])
    if violations(findings):
        raise ValidationFailed(violations(findings))
    store.update("CLEAR DEFAULT")
    progress("serialising: sorting the statements")
    dump = SortedDump.of_store(store)
    del store
    counts = build_report(result, triples=len(dump.triples), graphs=dump.graph_sizes())
    report = {"base_uri": base_uri, **counts, "inferred_triples": inferred,
              "validation": validation_summary(findings)}
    with Staging(out) as staging:
        version = ""
        for dist in DISTRIBUTIONS:
            progress(f"serialising {dist.file_name}")
            if dist.scope == "ontology":
                data = read_text("conflict_ld.ontology", "conflict.ttl").encode("utf-8")
            elif dist.scope == "shapes":
                data = read_text("conflict_ld.shapes", "shapes.ttl").encode("utf-8")
            else:
                data = dump.render(dist.fmt, prefixes=prefixes())
            if dist.file_name == "dataset.nq.gz":
                version = version_of(data)
            staging.write(dist.file_name, gz(data) if dist.gzipped else data)
            del data  # written: a release's files are never all in memory at once
        report = {**report, "version": version}
        staging.write("report.json",
                      (json.dumps(report, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode())
        stats = {"triples": report["triples"], "entities": report["entities"]["total"],
                 "classes": report["entities"]["by_class"]}
        void = describe(base=base_uri, version=version, files=staging.written, prefixes=prefixes(),
                        stats=stats, sources=sorted(result.sources.values()), when=issued())
        staging.write("void.ttl", void.serialize(format="turtle", encoding="utf-8"))
        staging.write("SHA256SUMS", sha256sums(staging.written))
        files = len(staging.written)
        folder = staging.publish(version)
    progress(f"published release {version}: {files} files in {folder}")
    return report


def validation_summary(findings: list[Finding]) -> dict[str, Any]:
    by_shape: Counter[str] = Counter(f"{f.severity}: {f.shape}" for f in findings)
    return {
        "violations": sum(1 for f in findings if f.severity == "Violation"),
        "warnings": sum(1 for f in findings if f.severity == "Warning"),
        "by_shape": dict(sorted(by_shape.items())),
    }


def build_report(result: MappingResult, *, triples: int, graphs: Mapping[str, int]) -> dict[str, Any]:
    by_class: Counter[str] = Counter()
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    nodes: dict[str, set[str]] = defaultdict(set)
    mentioned: dict[str, set[str]] = defaultdict(set)
    for source, subject in result.subjects.items():
        mentioned[source].add(subject)
    for fact in result.facts:
        nodes[fact.relation].add(repr(fact.content_key()))
        by_source[fact.attestation.source][fact.relation] += 1
        mentioned[fact.attestation.source].update(
            k for k in (fact.subject, fact.object, *fact.disputed_by) if k
        )
    for relation, keys in nodes.items():
        by_class[relation] = len(keys)
    entities = Counter(e.cls for e in result.entities.values())
    return {
        "triples": triples,
        "quads": sum(graphs.values()),
        "graphs": dict(sorted(graphs.items())),
        "entities": {
            "total": len(result.entities),
            "by_class": dict(sorted(entities.items())),
            "by_source": {
                source: dict(sorted(Counter(result.entities[k].cls for k in keys).items()))
                for source, keys in sorted(mentioned.items())
            },
        },
        "relations": {
            "total": sum(by_class.values()),
            "by_class": dict(sorted(by_class.items())),
            "statements_by_source": {s: dict(sorted(c.items())) for s, c in sorted(by_source.items())},
        },
        "dropped": [
            {"source": d.source, "line": d.line, "text": d.text, "reason": d.reason}
            for d in result.dropped
        ],
        "unmapped_labels": result.unmapped_labels,
        "subjects": result.subjects,
    }
