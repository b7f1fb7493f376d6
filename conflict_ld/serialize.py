"""Deterministic serialisation: the same dataset always gives the same bytes, so dumps diff.

Line formats are sorted; JSON-LD nodes are sorted by ``@id`` with sorted keys; Turtle and
TriG come from rdflib, which orders subjects and predicates itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from rdflib import Dataset, Graph

from .formats import RdfFormat


def union_graph(dataset: Dataset) -> Graph:
    union = Graph()
    for prefix, namespace in dataset.namespaces():
        union.bind(prefix, namespace, override=True, replace=True)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def serialize(
    data: Dataset | Graph, fmt: RdfFormat, *, prefixes: Mapping[str, str]
) -> bytes:
    if fmt.graphs and not isinstance(data, Dataset):
        raise ValueError(f"{fmt.name} needs a dataset with named graphs")
    if fmt.name in ("ntriples", "nquads"):
        text = data.serialize(format=fmt.rdflib, encoding="utf-8").decode("utf-8")
        lines = sorted(set(line for line in text.splitlines() if line.strip()))
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt.name == "jsonld":
        return _jsonld(data, prefixes=prefixes)
    if fmt.name == "trig":
        assert isinstance(data, Dataset)
        return _trig(data)
    return data.serialize(format=fmt.rdflib, encoding="utf-8")


def _trig(dataset: Dataset) -> bytes:
    """TriG with graphs in IRI order (rdflib's own TriG writer follows its store's order)."""
    header: list[str] = []
    blocks: list[str] = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(graph):
            continue
        turtle = graph.serialize(format="turtle")
        lines = turtle.splitlines()
        prefixes = [x for x in lines if x.startswith("@prefix")]
        body = [x for x in lines if not x.startswith("@prefix")]
        header.extend(p for p in prefixes if p not in header)
        text = "\n".join("    " + x if x.strip() else "" for x in body).strip("\n")
        blocks.append(f"<{graph.identifier}> {{\n{text}\n}}\n")
    return ("\n".join(sorted(header)) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def _jsonld(data: Dataset | Graph, *, prefixes: Mapping[str, str]) -> bytes:
    """JSON-LD with its context inline (a consumer offline must not need to fetch one)."""
    context = dict(sorted(prefixes.items()))
    raw = data.serialize(format="json-ld", context=context, auto_compact=True, encoding="utf-8")
    doc = json.loads(raw)
    if isinstance(doc, dict) and "@graph" in doc:
        doc["@graph"] = sorted(doc["@graph"], key=lambda node: str(node.get("@id", "")))
        for node in doc["@graph"]:
            _sort_values(node)
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _sort_values(node: dict[str, object]) -> None:
    for key, value in node.items():
        if isinstance(value, list):
            node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
