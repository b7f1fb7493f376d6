"""The vocabulary of a build: prefixes from the one prefix table, shortcuts from the ontology."""

from __future__ import annotations

from rdflib import Graph, Namespace

from conflict_ld.mapping.graph import Vocabulary

from .resources import prefixes, read_text


def ontology_graph() -> Graph:
    graph = Graph()
    graph.parse(data=read_text("conflict_ld.ontology", "conflict.ttl"), format="turtle")
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
