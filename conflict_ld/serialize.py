"""Deterministic serialisation with Oxigraph: the same dataset always gives the same bytes.

Quads are sorted once, as N-Quads lines (by graph, then by line); every writer gets them in
that order, so line formats, Turtle and TriG are stable, and JSON-LD nodes are sorted by
``@id``. Oxigraph writes these formats many times faster than rdflib does.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .formats import RdfFormat


def _term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)  # rdflib tells a plain literal from an xsd:string one; RDF 1.1 does not
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def to_triples(graph: Graph) -> list[ox.Triple]:
    return [ox.Triple(_term(s), _term(p), _term(o)) for s, p, o in graph]  # type: ignore[arg-type]


def to_graph(*sources: Iterable[ox.Triple]) -> Graph:
    graph = Graph()
    for triples in sources:
        for t in triples:
            graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))  # type: ignore[arg-type]
    return graph


@dataclass(frozen=True)
class SortedDump:
    """A release's statements as sorted N-Quads lines (graph, then the line) and the sorted
    N-Triples lines of their union: every dump is written from these, in this order.

    The lines come straight from Oxigraph's writer, so sorting and deduplicating them is
    string work, with no Python object per statement."""

    quads: list[bytes]
    triples: list[bytes]

    @classmethod
    def of_store(cls, store: ox.Store) -> SortedDump:
        """Every quad in the store's named graphs (its default graph must be empty)."""
        lines = [line for line in store.dump(format=ox.RdfFormat.N_QUADS).split(b"\n") if line]
        lines.sort(key=lambda line: (_graph_of(line), line))
        triples = sorted({line[: line.rindex(b" ", 0, len(line) - 2)] + b" ." for line in lines})
        return cls(quads=lines, triples=triples)

    def graph_sizes(self) -> Counter[str]:
        return Counter(_graph_of(line)[1:-1].decode("utf-8") for line in self.quads)

    def render(self, fmt: RdfFormat, *, prefixes: Mapping[str, str]) -> bytes:
        """The dataset (a format with graphs) or the union (a format without) in ``fmt``."""
        lines = self.quads if fmt.graphs else self.triples
        if fmt.name == "jsonld" and not fmt.graphs:
            return _jsonld(lines, prefixes=prefixes)
        text = b"\n".join(lines) + b"\n" if lines else b""
        if fmt.name in ("ntriples", "nquads"):
            return text
        parsed = ox.parse(text, format=ox.RdfFormat.N_QUADS if fmt.graphs else ox.RdfFormat.N_TRIPLES)
        return _sorted_header(ox.serialize(parsed, format=fmt.ox, prefixes=dict(prefixes)))


def _graph_of(line: bytes) -> bytes:
    """The graph term of an N-Quads line of a named graph: "<s> <p> <o> <g> ."."""
    end = len(line) - 2
    return line[line.rindex(b" ", 0, end) + 1 : end]


def _sorted_header(text: bytes) -> bytes:
    """Oxigraph writes its @prefix lines in an order it does not specify; sort them, so the
    bytes depend on the data only."""
    lines = text.split(b"\n")
    count = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix")), len(lines))
    return b"\n".join(sorted(lines[:count]) + lines[count:])


# Sorted N-Triples lines turned into JSON-LD at a time: the whole union's expanded JSON as
# Python objects took most of a release's peak memory (9.2 GB at 3.3M triples).
JSONLD_LINES = 50_000


def _subject_runs(lines: list[bytes], *, size: int) -> Iterator[list[bytes]]:
    """Sorted N-Triples lines in runs of about ``size``, each subject's lines in one run (a
    subject's lines are adjacent: they share the prefix "<subject> ")."""
    start = 0
    while start < len(lines):
        end = min(start + size, len(lines))
        if end < len(lines):
            subject = lines[end - 1][: lines[end - 1].index(b" ") + 1]
            while end < len(lines) and lines[end].startswith(subject):
                end += 1
        yield lines[start:end]
        start = end


def _jsonld(lines: list[bytes], *, prefixes: Mapping[str, str]) -> bytes:
    """JSON-LD with its context inline (a consumer offline must not need to fetch one):
    Oxigraph's expanded output, its IRIs compacted to the context's prefixes, a node a line in
    the order of their ``@id``. Written a run of subjects at a time (Oxigraph writes a node per
    subject, as it would for the whole union)."""
    context = dict(sorted(prefixes.items()))
    namespaces = sorted(((iri, prefix) for prefix, iri in context.items()), key=lambda x: -len(x[0]))

    curies: dict[str, str] = {}

    def curie(iri: str) -> str:
        if iri not in curies:
            curies[iri] = iri
            for namespace, prefix in namespaces:
                local = iri[len(namespace):]
                if iri.startswith(namespace) and local and all(c.isalnum() or c in "_-." for c in local):
                    curies[iri] = f"{prefix}:{local}"
                    break
        return curies[iri]

    def compact(value: object) -> object:
        if isinstance(value, list):
            return [compact(v) for v in value]
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                name = key if key.startswith("@") else curie(key)
                if key == "@type":
                    item = [curie(t) for t in item] if isinstance(item, list) else curie(item)
                elif key != "@id" and key != "@value":
                    item = compact(item)
                out[name] = item
            return out
        return value

    # One node a line: diffable, and written by json's C encoder (indent= would use the
    # pure-Python one, the slowest part of a release at a million triples).
    dump = functools.partial(json.dumps, ensure_ascii=False, sort_keys=True)
    nodes: list[tuple[str, str]] = []  # (@id, the node's line)
    for run in _subject_runs(lines, size=JSONLD_LINES):
        parsed = ox.parse(b"\n".join(run) + b"\n", format=ox.RdfFormat.N_TRIPLES)
        for node in json.loads(ox.serialize(parsed, format=ox.RdfFormat.JSON_LD)):
            compacted = compact(node)
            nodes.append((str(compacted.get("@id", "")), dump(compacted)))  # type: ignore[union-attr]
    nodes.sort(key=lambda node: node[0])  # stable: nodes of one @id keep their order
    body = ",\n".join(line for _, line in nodes)
    return f'{{"@context": {dump(context)},\n"@graph": [\n{body}\n]}}\n'.encode()
