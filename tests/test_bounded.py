"""Which queries the server answers itself (server/bounded.py): one triple pattern with a
fixed subject, or a DESCRIBE of fixed IRIs; everything else goes to a killable query process."""

from __future__ import annotations

import pytest
from conflict_ld.server.bounded import MAX_DESCRIBED, bounded_lookup

E = "http://localhost:8080/resource/Hamas"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

BOUNDED = [
    (f"SELECT ?p ?o WHERE {{ <{E}> ?p ?o }}", "select", (E,)),
    (f"# a comment\nSELECT ?p ?o WHERE {{ <{E}> ?p ?o }}  # and another", "select", (E,)),
    (f"select distinct * {{ <{E}> <{LABEL}> ?l . }} LIMIT 5 OFFSET 2", "select", (E,)),
    (f"SELECT ?t {{ <{E}> a ?t }}", "select", (E,)),
    (f'ASK {{ <{E}> <{LABEL}> "Hamas"@en }}', "ask", (E,)),
    (f'ASK WHERE {{ <{E}> <{LABEL}> "1"^^<http://www.w3.org/2001/XMLSchema#integer> }}', "ask", (E,)),
    (f"ASK {{ <{E}> <{LABEL}> 42 }}", "ask", (E,)),
    (f"ASK {{ <{E}> <{LABEL}> true }}", "ask", (E,)),
    ("PREFIX r: <http://localhost:8080/resource/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
     "SELECT ?l { r:Hamas rdfs:label ?l }", "select", (E,)),
    (f"DESCRIBE <{E}>", "describe", (E,)),
    (f"DESCRIBE <{E}> <{E}_2>", "describe", (E, E + "_2")),
]

NOT_BOUNDED = [
    "SELECT ?s ?p ?o { ?s ?p ?o }",  # no fixed subject
    f"SELECT ?o {{ <{E}> ?p ?o . ?o ?q ?r }}",  # a second pattern: a join
    f"SELECT ?o {{ <{E}> <{LABEL}>* ?o }}",  # a property path
    f"SELECT ?o {{ <{E}> ?p ?o }} ORDER BY ?o",
    f"SELECT (COUNT(*) AS ?n) {{ <{E}> ?p ?o }}",
    f"SELECT ?o FROM <http://localhost:8080/graph/entities> {{ <{E}> ?p ?o }}",
    f"SELECT ?o {{ <{E}> ?p ?o FILTER(?o != 1) }}",
    f"SELECT ?o {{ <{E}> ?p ?o OPTIONAL {{ ?o ?q ?r }} }}",
    f"SELECT ?o {{ GRAPH ?g {{ <{E}> ?p ?o }} }}",
    f"SELECT ?o {{ <{E}> ?p ?o SERVICE <http://example.org/sparql> {{ ?a ?b ?c }} }}",
    "SELECT ?o { <Hamas> ?p ?o }",  # relative: resolved by the engine, not here
    "BASE <http://localhost:8080/> SELECT ?o { <resource/Hamas> ?p ?o }",
    "SELECT ?o { r:Hamas ?p ?o }",  # an undeclared prefix
    "DESCRIBE ?x WHERE { ?x ?p ?o }",
    "DESCRIBE " + " ".join(f"<{E}_{i}>" for i in range(MAX_DESCRIBED + 1)),
    f"CONSTRUCT WHERE {{ <{E}> ?p ?o }}",
    f"INSERT DATA {{ <{E}> <{LABEL}> 'x' }}",
    f"SELECT ?o {{ <{E}> ?p ?o }} LIMIT -1",
    f"SELECT ?o {{ <{E}> ?p ?o }} }}",
    f"SELECT ?o {{ <{E}> ?p ?o",
    f"SELECT ?o {{ <{E}> ?p 'an \\' escaped' . <{E}> ?q ?o }}",
    "",
]


@pytest.mark.parametrize(("query", "form", "subjects"), BOUNDED)
def test_bounded_shapes_name_their_subjects(query: str, form: str, subjects: tuple[str, ...]) -> None:
    lookup = bounded_lookup(query)
    assert lookup is not None and (lookup.form, lookup.subjects) == (form, subjects)
    assert lookup.one_pattern == (form != "describe")


@pytest.mark.parametrize("query", NOT_BOUNDED)
def test_every_other_query_is_not_bounded(query: str) -> None:
    assert bounded_lookup(query) is None
