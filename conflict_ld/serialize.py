"""Deterministic serialisation with Oxigraph: the same dataset always gives the same bytes.

Quads are sorted once (graph, subject, predicate, object); every writer gets them in that
order, so line formats, Turtle and TriG are stable, and JSON-LD nodes are sorted by ``@id``.
Oxigraph writes these formats many times faster than rdflib does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
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


def to_quads(dataset: Dataset) -> set[ox.Quad]:
    """Every quad of the dataset's named graphs, as Oxigraph terms."""
    return {
        ox.Quad(_term(s), _term(p), _term(o), _term(g))  # type: ignore[arg-type]
        for s, p, o, g in dataset.quads((None, None, None, None))
        if g is not None and not isinstance(g, Graph)
    }


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads in one total order: graph, subject, predicate, object."""
    return sorted(quads,
                  key=lambda q: (q.graph_name.value, str(q.subject), q.predicate.value, str(q.object)))


def union_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(triples, key=lambda t: (str(t.subject), t.predicate.value, str(t.object)))


def serialize(
    items: list[ox.Quad] | list[ox.Triple], fmt: RdfFormat, *, prefixes: Mapping[str, str]
) -> bytes:
    """``items`` in sorted order: quads for the formats with graphs, triples for the others."""
    if fmt.graphs != bool(items and isinstance(items[0], ox.Quad)) and items:
        raise ValueError(f"{fmt.name} needs {'quads' if fmt.graphs else 'triples'}")
    if fmt.name == "jsonld":
        return _jsonld(items, prefixes=prefixes)  # type: ignore[arg-type]
    if fmt.name in ("ntriples", "nquads"):
        return ox.serialize(items, format=fmt.ox)
    return _sorted_header(ox.serialize(items, format=fmt.ox, prefixes=dict(prefixes)))


def _sorted_header(text: bytes) -> bytes:
    """Oxigraph writes its @prefix lines in an order it does not specify; sort them, so the
    bytes depend on the data only."""
    lines = text.split(b"\n")
    count = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix")), len(lines))
    return b"\n".join(sorted(lines[:count]) + lines[count:])


def _jsonld(triples: list[ox.Triple], *, prefixes: Mapping[str, str]) -> bytes:
    """JSON-LD with its context inline (a consumer offline must not need to fetch one):
    Oxigraph's expanded output, its IRIs compacted to the context's prefixes."""
    expanded = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))
    context = dict(sorted(prefixes.items()))
    namespaces = sorted(((iri, prefix) for prefix, iri in context.items()), key=lambda x: -len(x[0]))

    def curie(iri: str) -> str:
        for namespace, prefix in namespaces:
            local = iri[len(namespace):]
            if iri.startswith(namespace) and local and all(c.isalnum() or c in "_-." for c in local):
                return f"{prefix}:{local}"
        return iri

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

    nodes = sorted((compact(n) for n in expanded), key=lambda n: str(n.get("@id", "")))  # type: ignore[union-attr]
    document = {"@context": context, "@graph": nodes}
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
