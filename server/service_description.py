"""The SPARQL 1.1 Service Description ``GET /sparql`` answers with (no query given)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from conflict_ld.formats import formats, results_formats
from conflict_ld.resources import prefixes

from .site import Site

SD = "http://www.w3.org/ns/sparql-service-description#"


def graph_sizes(site: Site, cache: dict[str, Any]) -> tuple[int, list[tuple[str, int]]]:
    """The default graph's triples and each named graph's, counted once per app."""
    if "sizes" not in cache:
        total = site.backend.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        named = site.backend.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        cache["sizes"] = (int(total[0]["n"].value),
                          [(row["g"].value, int(row["n"].value)) for row in named])
    return cache["sizes"]


def describe(site: Site, endpoint: str, *, sizes: tuple[int, list[tuple[str, int]]],
             max_rows: int, max_query_length: int, rate: str) -> list[ox.Triple]:
    p = prefixes()
    rdf, rdfs, void, dct = p["rdf"], p["rdfs"], p["void"], p["dct"]
    iri = ox.NamedNode
    integer = lambda n: ox.Literal(str(n), datatype=iri(p["xsd"] + "integer"))  # noqa: E731
    service, dataset, default = iri(endpoint), ox.BlankNode("dataset"), ox.BlankNode("default")
    a = iri(rdf + "type")
    triples = [
        ox.Triple(service, a, iri(SD + "Service")),
        ox.Triple(service, iri(SD + "endpoint"), service),
        ox.Triple(service, iri(SD + "supportedLanguage"), iri(SD + "SPARQL11Query")),
        ox.Triple(service, iri(SD + "feature"), iri(SD + "UnionDefaultGraph")),
        ox.Triple(service, iri(SD + "defaultDataset"), dataset),
        ox.Triple(service, iri(rdfs + "comment"), ox.Literal(
            "Read-only SPARQL 1.1 query endpoint. The default graph is the union of all the "
            "release's named graphs as a set: a triple stated in several graphs is one triple. "
            f"Limits: answers hold at most {max_rows or 'unlimited'} solutions or triples (a cut "
            "answer has the header X-Result-Truncated: true and, in JSON, \"truncated\": true); "
            f"queries are at most {max_query_length or 'unlimited'} bytes; {rate}; SERVICE and "
            "SPARQL Update are refused.", language="en")),
        ox.Triple(dataset, a, iri(SD + "Dataset")),
        ox.Triple(dataset, iri(dct + "hasVersion"), ox.Literal(site.version)),
        ox.Triple(dataset, iri(SD + "defaultGraph"), default),
        ox.Triple(default, a, iri(SD + "Graph")),
        ox.Triple(default, iri(void + "triples"), integer(sizes[0])),
    ]
    for fmt in (*results_formats(), *formats()):
        triples.append(ox.Triple(service, iri(SD + "resultFormat"), iri(fmt.w3c)))
    for number, (name, count) in enumerate(sizes[1]):
        named, graph = ox.BlankNode(f"named{number}"), ox.BlankNode(f"graph{number}")
        triples += [
            ox.Triple(dataset, iri(SD + "namedGraph"), named),
            ox.Triple(named, a, iri(SD + "NamedGraph")),
            ox.Triple(named, iri(SD + "name"), iri(name)),
            ox.Triple(named, iri(SD + "graph"), graph),
            ox.Triple(graph, a, iri(SD + "Graph")),
            ox.Triple(graph, iri(void + "triples"), integer(count)),
        ]
    return triples


def serialize(triples: list[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    used = {name: iri for name, iri in prefixes().items() if name in ("rdf", "rdfs", "xsd", "void", "dct")}
    names = {**used, "sd": SD, "formats": "http://www.w3.org/ns/formats/"}
    return ox.serialize(triples, format=fmt, prefixes=names)
