"""OWL-RL entailments the ontology's consumers rely on, as SPARQL UPDATE rules in Oxigraph.

owlrl is the reference (a test checks the result equals owlrl's closure restricted to the
vocabulary on the seed graph), but it takes minutes at scale; these rules compute the same
entailments of the axioms the ontology uses: super-classes, super-properties, inverse and
symmetric properties, and the domains and ranges it states. The entailed triples go into a
named graph of their own, so asserted and inferred triples stay apart in every dump.
"""

from __future__ import annotations

import pyoxigraph as ox

_PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
# Each rule reads asserted data (every graph but the ontology's), what earlier rounds
# inferred, and the ontology; it writes only triples no graph holds yet.
_RULES = (
    # rdfs9 / cax-sco: instances of a class are instances of its super-classes.
    """INSERT { GRAPH <{inferred}> { ?x a ?super } }
    WHERE { GRAPH ?g { ?x a ?class } FILTER(?g != <{ontology}>)
            GRAPH <{ontology}> { ?class rdfs:subClassOf ?super } FILTER(isIRI(?super))
            FILTER NOT EXISTS { GRAPH ?h { ?x a ?super } } }""",
    # rdfs7 / prp-spo1: a statement with a property holds with its super-properties.
    """INSERT { GRAPH <{inferred}> { ?s ?super ?o } }
    WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <{ontology}>)
            GRAPH <{ontology}> { ?p rdfs:subPropertyOf ?super } FILTER(isIRI(?super))
            FILTER NOT EXISTS { GRAPH ?h { ?s ?super ?o } } }""",
    # prp-inv1 / prp-inv2: inverse properties, declared in either direction.
    """INSERT { GRAPH <{inferred}> { ?o ?q ?s } }
    WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <{ontology}>) FILTER(!isLiteral(?o))
            GRAPH <{ontology}> { { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } }
            FILTER NOT EXISTS { GRAPH ?h { ?o ?q ?s } } }""",
    # prp-symp: symmetric properties.
    """INSERT { GRAPH <{inferred}> { ?o ?p ?s } }
    WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <{ontology}>) FILTER(!isLiteral(?o))
            GRAPH <{ontology}> { ?p a owl:SymmetricProperty }
            FILTER NOT EXISTS { GRAPH ?h { ?o ?p ?s } } }""",
    # prp-dom: the subject of a property is an instance of its domain.
    """INSERT { GRAPH <{inferred}> { ?s a ?class } }
    WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <{ontology}>)
            GRAPH <{ontology}> { ?p rdfs:domain ?class } FILTER(isIRI(?class))
            FILTER NOT EXISTS { GRAPH ?h { ?s a ?class } } }""",
    # prp-rng: a resource object of a property is an instance of its range (literal ranges
    # are datatypes, which OWL-RL does not turn into types of the literal).
    """INSERT { GRAPH <{inferred}> { ?o a ?class } }
    WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <{ontology}>) FILTER(!isLiteral(?o))
            GRAPH <{ontology}> { ?p rdfs:range ?class } FILTER(isIRI(?class))
            FILTER NOT EXISTS { GRAPH ?h { ?o a ?class } } }""",
)


def materialise(store: ox.Store, *, ontology: str, inferred: str, max_rounds: int = 50) -> int:
    """Run the rules to a fixpoint; return how many triples the inferred graph holds."""
    graph = ox.NamedNode(inferred)
    rules = [_PREFIXES + r.replace("{inferred}", inferred).replace("{ontology}", ontology) for r in _RULES]
    size = -1
    for _ in range(max_rounds):
        for rule in rules:
            store.update(rule)
        now = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        if now == size:
            return now
        size = now
    raise RuntimeError(f"entailment did not reach a fixpoint in {max_rounds} rounds")
