"""The query inspection that refuses SERVICE and updates before anything runs: the keyword,
never the same letters in a string, IRI, comment, variable, prefixed name or language tag.
Each verdict is checked against rdflib's SPARQL parser where rdflib reads the query."""

from __future__ import annotations

import pytest
from conflict_ld.server.sparql_inspect import is_update, uses_service
from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

SERVICE_CASES = [
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ("select * { service silent <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * { ?s ?p ?o SERVICE ?e { ?s ?p ?o } }", True),
    ("SELECT * { ?s ?p ?o .SERVICE <http://x/> { } }", True),
    ("SELECT * { ?s ?p ?o.SERVICE <http://x/> { } }", True),
    ("SELECT * { FILTER(?a<?b) SERVICE <http://e/> { } }", True),
    ('SELECT * { ?s ?p "a\\"SERVICE" . SERVICE <http://e/> { } }', True),
    ("PREFIX ex: <http://x/> SELECT * { ?s ex:a\\'b ?o . SERVICE <http://e/> { } ?s ?p 'x' }", True),
    ("PREFIX ex: <http://x/> SELECT * { ?s ex:a\\#b ?o . SERVICE <http://e/> { } }", True),
    ("SELECT * { # a comment\n SERVICE <http://e/> { } }", True),
    ("SELECT * { { SELECT * { SERVICE <http://e/> { ?s ?p ?o } } } }", True),
    ("PREFIX ex: <http://x/> SELECT * { ?s ?p ex:o.SERVICE }", False),
    ('SELECT * { ?s ?p "SERVICE <http://x/> { }" }', False),
    ("SELECT * { ?s ?p '''a ' SERVICE '' b''' }", False),
    ('SELECT * { ?s ?p """SERVICE\n<http://x/> { }""" }', False),
    ("SELECT * { ?s <http://x/SERVICE> ?o }", False),
    ("SELECT ?service { ?service ?p ?o } # SERVICE <http://x/> { }", False),
    ("PREFIX service: <http://x/> SELECT * { ?s service:service ?o }", False),
    ("SELECT * { ?s ?p 'x'@service }", False),
    ("SELECT * { _:service ?p ?o }", False),
    ("SELECT $SERVICE { $SERVICE ?p ?o }", False),
    ("SELECT * { ?s ?p ?o }", False),
]


def _rdflib_has_service(query: str) -> bool | None:
    """Whether rdflib's parser finds a SERVICE clause; None if rdflib cannot read the query."""
    try:
        tree = parseQuery(query)
    except ParseException:
        return None

    def walk(node) -> bool:
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            return True
        if isinstance(node, dict):
            return any(walk(v) for v in node.values())
        if isinstance(node, list | tuple | ParseResults):
            return any(walk(v) for v in node)
        return False

    return walk(tree)


@pytest.mark.parametrize(("query", "service"), SERVICE_CASES)
def test_service_is_the_keyword_only(query: str, service: bool) -> None:
    assert uses_service(query) is service
    rdflib_says = _rdflib_has_service(query)
    assert rdflib_says in (None, service)


def test_rdflib_reads_most_cases() -> None:
    """The cross-check means something only if rdflib reads the cases."""
    assert sum(_rdflib_has_service(q) is not None for q, _ in SERVICE_CASES) >= len(SERVICE_CASES) - 3


@pytest.mark.parametrize(("text", "update"), [
    ("INSERT DATA { <http://a> <http://b> <http://c> }", True),
    ("PREFIX a: <http://a/>\nBASE <http://b/>\nDELETE WHERE { ?s ?p ?o }", True),
    ("# comment\nCLEAR ALL", True),
    ("LOAD <http://x/data.nt> INTO GRAPH <http://g>", True),
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
    ("drop silent graph <http://g>", True),
    ("SELECT * WHERE {", False),
    ("ASK {", False),
    ("PREFIX insert: <http://a/> SELECT * WHERE { ?s insert:x ?o", False),
    ("", False),
])
def test_updates_are_told_from_broken_queries(text: str, update: bool) -> None:
    assert is_update(text) is update
