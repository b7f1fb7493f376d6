"""The vocabulary of a build: prefixes from the one prefix table, shortcuts from the ontology."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Namespace

from conflict_ld.mapping.graph import Vocabulary

from .resources import prefixes, read_text
from .serialize import from_ox


def ontology_graph() -> Graph:
    """The ontology, its blank nodes (OWL lists and restrictions) relabelled by RDF dataset
    canonicalisation (RDFC-1.0), so every build writes the same labels."""
    text = read_text("conflict_ld.ontology", "conflict.ttl")
    dataset = ox.Dataset(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    graph = Graph()
    for quad in dataset:
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    for prefix, iri in prefixes().items():
        graph.bind(prefix, Namespace(iri))
    return graph



def shortcuts(ontology: Graph) -> dict[str, str]:
    """Relation class local name -> shortcut property local name, from cld:shortcutFor."""
    cld = Namespace(prefixes()["cld"])
    table = {}
    for prop, cls in ontology.subject_objects(cld.shortcutFor):
        table[str(cls).removeprefix(str(cld))] = str(prop).removeprefix(str(cld))
    return table


def vocabulary(*, base_uri: str, ontology: Graph) -> Vocabulary:
    return Vocabulary(base=base_uri, prefixes=prefixes(), shortcuts=shortcuts(ontology))
