"""OWL-RL entailments the ontology's consumers rely on, as SPARQL UPDATE rules in Oxigraph.

owlrl is the reference (a test checks the result equals owlrl's closure restricted to the
vocabulary on the seed graph), but it takes minutes at scale; these rules compute the same
entailments of the axioms the ontology uses: super-classes, super-properties, inverse and
symmetric properties, and the domains and ranges it states. The entailed triples go into a
named graph of their own, so asserted and inferred triples stay apart in every dump.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

_PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
# The store the rules run in: the asserted triples (a set) in the default graph, the ontology
# and what earlier rounds inferred in named graphs of their own. A rule reads data and what is
# inferred, and writes only triples no graph holds yet; scanning three graphs rather than every
# source graph keeps each round linear in the data.
ONTOLOGY = "urn:x-conflict-ld:ontology"
INFERRED = "urn:x-conflict-ld:inferred"
_DATA = "{ %s } UNION { GRAPH <" + INFERRED + "> { %s } }"
_NEW = ("FILTER NOT EXISTS { %s } FILTER NOT EXISTS { GRAPH <" + INFERRED + "> { %s } } "
        "FILTER NOT EXISTS { GRAPH <" + ONTOLOGY + "> { %s } }")


def _rule(head: str, body: str, extra: str, new: str) -> str:
    return (f"INSERT {{ GRAPH <{INFERRED}> {{ {head} }} }} WHERE {{ {_DATA % (body, body)} "
            f"GRAPH <{ONTOLOGY}> {{ {extra} }} {_NEW % (new, new, new)} }}")


_RULES = (
    # rdfs9 / cax-sco: instances of a class are instances of its super-classes.
    _rule("?x a ?super", "?x a ?class", "?class rdfs:subClassOf ?super FILTER(isIRI(?super))", "?x a ?super"),
    # rdfs7 / prp-spo1: a statement with a property holds with its super-properties.
    _rule("?s ?super ?o", "?s ?p ?o", "?p rdfs:subPropertyOf ?super FILTER(isIRI(?super))", "?s ?super ?o"),
    # prp-inv1 / prp-inv2: inverse properties, declared in either direction.
    _rule("?o ?q ?s", "?s ?p ?o FILTER(!isLiteral(?o))",
          "{ ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p }", "?o ?q ?s"),
    # prp-symp: symmetric properties.
    _rule("?o ?p ?s", "?s ?p ?o FILTER(!isLiteral(?o))", "?p a owl:SymmetricProperty", "?o ?p ?s"),
    # prp-dom: the subject of a property is an instance of its domain.
    _rule("?s a ?class", "?s ?p ?o", "?p rdfs:domain ?class FILTER(isIRI(?class))", "?s a ?class"),
    # prp-rng: a resource object of a property is an instance of its range (literal ranges
    # are datatypes, which OWL-RL does not turn into types of the literal).
    _rule("?o a ?class", "?s ?p ?o FILTER(!isLiteral(?o))", "?p rdfs:range ?class FILTER(isIRI(?class))",
          "?o a ?class"),
)


def entailments(data: Iterable[ox.Triple], ontology: Iterable[ox.Triple], *,
                max_rounds: int = 50) -> list[ox.Triple]:
    """What the rules entail from ``data`` and ``ontology`` and neither states, run to a
    fixpoint, in a stable order."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in data)
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(ONTOLOGY)) for t in ontology)
    graph = ox.NamedNode(INFERRED)
    size = -1
    for _ in range(max_rounds):
        for rule in _RULES:
            store.update(_PREFIXES + rule)
        now = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        if now == size:
            return sorted((ox.Triple(q.subject, q.predicate, q.object)
                           for q in store.quads_for_pattern(None, None, None, graph)),
                          key=lambda t: (str(t.subject), t.predicate.value, str(t.object)))
        size = now
    raise RuntimeError(f"entailment did not reach a fixpoint in {max_rounds} rounds")
