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
# The rules run in the release's own store. The data (every named graph but the ontology's
# and the inferred one) is first copied into the default graph, which holds it as a set; a
# rule reads that and what earlier rounds inferred, and writes only triples no graph holds
# yet. Scanning three graphs rather than every source graph keeps each round linear.
_DATA = "{ %s } UNION { GRAPH <{inferred}> { %s } }"
_NEW = ("FILTER NOT EXISTS { %s } FILTER NOT EXISTS { GRAPH <{inferred}> { %s } } "
        "FILTER NOT EXISTS { GRAPH <{ontology}> { %s } }")


def _rule(head: str, body: str, extra: str, new: str) -> str:
    return (f"INSERT {{ GRAPH <{{inferred}}> {{ {head} }} }} WHERE {{ {_DATA % (body, body)} "
            f"GRAPH <{{ontology}}> {{ {extra} }} {_NEW % (new, new, new)} }}")


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


def materialise(store: ox.Store, *, ontology: str, inferred: str, max_rounds: int = 50) -> int:
    """Run the rules to a fixpoint over the store's named graphs; the entailments go into the
    graph ``inferred``, and the default graph is left holding the data (as a set). Returns how
    many triples the inferred graph holds."""
    store.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                 f"FILTER(?g != <{ontology}> && ?g != <{inferred}>) }}")
    rules = [_PREFIXES + r.replace("{inferred}", inferred).replace("{ontology}", ontology) for r in _RULES]
    graph = ox.NamedNode(inferred)
    size = -1
    for _ in range(max_rounds):
        for rule in rules:
            store.update(rule)
        now = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        if now == size:
            return now
        size = now
    raise RuntimeError(f"entailment did not reach a fixpoint in {max_rounds} rounds")


def entailments(data: Iterable[ox.Triple], ontology: Iterable[ox.Triple]) -> list[ox.Triple]:
    """What the rules entail from ``data`` and ``ontology`` and neither states."""
    store = ox.Store()
    data_graph = ox.NamedNode("urn:x-conflict-ld:data")
    ontology_graph = ox.NamedNode("urn:x-conflict-ld:ontology")
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, data_graph) for t in data)
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ontology_graph) for t in ontology)
    inferred = "urn:x-conflict-ld:inferred"
    materialise(store, ontology=ontology_graph.value, inferred=inferred)
    return sorted((ox.Triple(q.subject, q.predicate, q.object)
                   for q in store.quads_for_pattern(None, None, None, ox.NamedNode(inferred))),
                  key=lambda t: (str(t.subject), t.predicate.value, str(t.object)))
