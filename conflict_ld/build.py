"""``conflict-ld build``: read the articles, map them, write the dataset atomically.

All file I/O of a build lives here; the mapping itself (``conflict_ld.mapping``) is pure.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from conflict_ld.mapping.graph import Article, MappingResult, map_articles
from conflict_ld.mapping.parse import parse_article
from conflict_ld.mapping.record import ArticleError
from conflict_ld.mapping.tables import Tables

from .formats import by_name
from .resources import load_prose, load_tables, prefixes
from .serialize import serialize, union_graph
from .vocabulary import ontology_graph, vocabulary

Progress = Callable[[str], None]
ONTOLOGY_GRAPH = "ontology"
OUTPUTS = (  # (file name, format name, whole dataset or union)
    ("dataset.trig", "trig", "dataset"),
    ("dataset.nq", "nquads", "dataset"),
    ("union.ttl", "turtle", "union"),
    ("union.nt", "ntriples", "union"),
    ("union.jsonld", "jsonld", "union"),
)


class BuildError(Exception):
    """A problem with the input, named by file and line."""

    def __init__(self, message: str, *, path: Path, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.args[0]}"


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


def read_articles(seeds: Path, *, tables: Tables, progress: Progress) -> list[Article]:
    if not seeds.is_dir():
        raise BuildError("not a folder of articles", path=seeds)
    paths = sorted(seeds.glob("*.txt"))
    if not paths:
        raise BuildError("no article files (*.txt) in this folder", path=seeds)
    urls = read_index(seeds)
    articles = []
    for number, path in enumerate(paths, start=1):
        progress(f"[{number}/{len(paths)}] parsing {path.name}")
        articles.append(read_article(path, tables=tables, urls=urls))
    return articles


def map_folder(seeds: Path, *, base_uri: str, progress: Progress) -> tuple[MappingResult, Graph]:
    tables = load_tables()
    articles = read_articles(seeds, tables=tables, progress=progress)
    ontology = ontology_graph()
    progress(f"mapping {len(articles)} articles")
    result = map_articles(articles, tables=tables, vocab=vocabulary(base_uri=base_uri, ontology=ontology),
                          prose=load_prose())
    graph = result.dataset.graph(URIRef(f"{base_uri}graph/{ONTOLOGY_GRAPH}"))
    for triple in ontology:
        graph.add(triple)
    return result, ontology


def build(*, seeds: Path, out: Path, base_uri: str, progress: Progress = print) -> dict[str, Any]:
    """Build the dataset from ``seeds`` into ``out``; on any error ``out`` is left as it was."""
    result, _ = map_folder(seeds, base_uri=base_uri, progress=progress)
    report = {"base_uri": base_uri, **build_report(result)}
    files: dict[str, bytes] = {}
    union = union_graph(result.dataset)
    for name, fmt_name, scope in OUTPUTS:
        progress(f"serialising {name}")
        data = result.dataset if scope == "dataset" else union
        files[name] = serialize(data, by_name(fmt_name), prefixes=prefixes())
    files["report.json"] = (json.dumps(report, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()
    write_atomically(out, files)
    progress(f"wrote {len(files)} files to {out}")
    return report


def write_atomically(out: Path, files: dict[str, bytes]) -> None:
    """Write into a sibling temporary folder, then swap it in with renames, so readers see
    the old output or the new one, never a half-written mix."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rename(out, retired / out.name)
            os.rename(staging, out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def build_report(result: MappingResult) -> dict[str, Any]:
    ds: Dataset = result.dataset
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
    graphs = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
    return {
        "triples": len(union_graph(ds)),
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
