"""OWL-RL: the SPARQL rules give owlrl's closure (restricted to the vocabulary) on the seed
graph, the entailments live in their own graph, and the data is consistent under owlrl."""

from __future__ import annotations

import gzip
from pathlib import Path

import owlrl
import pyoxigraph as ox
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import RDF, Graph, Literal, URIRef

from conflict_ld.reasoning import entailments
from conflict_ld.resources import prefixes
from tests.conftest import load_quads, release

BASE = "http://localhost:8080/"
ONTOLOGY = BASE + "graph/ontology"
INFERRED = BASE + "graph/inferred"
CLD = prefixes()["cld"]
_BUILTIN = ("http://www.w3.org/2002/07/owl#", "http://www.w3.org/2000/01/rdf-schema#",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#")


def _vocabulary(triple: tuple[object, object, object]) -> bool:
    """Entailments about our data in our vocabulary and the ones it aligns to (not OWL's and
    RDFS's own bookkeeping such as `x a owl:Thing`)."""
    s, p, o = triple
    if not str(s).startswith(BASE):
        return False
    if p == RDF.type:
        return isinstance(o, URIRef) and not str(o).startswith(_BUILTIN)
    return not str(p).startswith(_BUILTIN)


@pytest.fixture(scope="module")
def asserted(default_build: Path) -> Graph:
    """The seed build's asserted triples (every graph but the inferred one) with the ontology."""
    dataset = load_quads(release(default_build) / "dataset.nq.gz", default_union=False)
    graph = Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if str(g) != INFERRED:
            graph.add((s, p, o))
    return graph


def _key(triple: tuple[object, object, object]) -> tuple[str, str, str]:
    s, p, o = triple
    value = f"{o}^^{o.datatype}" if isinstance(o, Literal) else str(o)
    return str(s), str(p), value


def test_rules_equal_owlrl_closure_on_the_seed_graph(asserted: Graph, default_build: Path) -> None:
    reference = Graph()
    for triple in asserted:
        reference.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(reference)
    expected = {_key(t) for t in reference if t not in asserted and _vocabulary(t)}

    dataset = load_quads(release(default_build) / "dataset.nq.gz", default_union=False)
    published = {_key((s, p, o)) for s, p, o, g in dataset.quads((None, None, None, None))
                 if str(g) == INFERRED}
    assert len(expected) > 500
    assert published == expected


def test_entailments_are_kept_apart(default_build: Path) -> None:
    dataset = load_quads(release(default_build) / "dataset.nq.gz", default_union=False)
    aknaf = URIRef(BASE + "resource/Aknaf_Bait_al-Maqdis")
    hts = URIRef(BASE + "resource/Hay'at_Tahrir_al-Sham")
    ally = URIRef(CLD + "allyOf")
    graphs = {str(g) for _, _, _, g in dataset.quads((hts, ally, aknaf, None))}
    assert graphs == {INFERRED}  # allyOf is symmetric; the article states only one direction
    relation = URIRef(CLD + "Relation")
    typed = {str(g) for s, _, _, g in dataset.quads((None, RDF.type, relation, None))}
    assert typed == {INFERRED}  # super-class types are entailed, never asserted


def test_rules_reach_a_fixpoint_and_are_idempotent(default_build: Path) -> None:
    quads = list(ox.parse(gzip.decompress((release(default_build) / "dataset.nq.gz").read_bytes()),
                          format=ox.RdfFormat.N_QUADS))
    ontology = [ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name.value == ONTOLOGY]
    data = [ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name.value != ONTOLOGY]
    asserted = [ox.Triple(q.subject, q.predicate, q.object) for q in quads
                if q.graph_name.value not in (ONTOLOGY, INFERRED)]
    assert entailments(asserted, ontology)  # the seeds entail something
    assert entailments(data, ontology) == []  # the release already holds every entailment


def test_seed_data_is_consistent_under_owlrl(asserted: Graph) -> None:
    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    errors = [str(m) for m in closure.objects(None, ERRNS.error)]  # owlrl's clash reports
    nothing = list(closure.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Nothing")))
    assert errors == [] and nothing == []
