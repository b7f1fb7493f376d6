"""Real SPARQL clients against a running server (granian on 127.0.0.1): SPARQLWrapper (GET
and POST, JSON and XML) and rdflib's SPARQLStore (GET and POST_FORM) give the answers the
store gives in process, language tags and datatypes kept."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conflict_ld.server.store import load_store
from rdflib import Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import GET, JSON, POST, URLENCODED, XML, SPARQLWrapper

ROOT = Path(__file__).resolve().parent.parent
# Labels with language tags, dates and integers with datatypes: what a client must keep.
QUERY = """SELECT ?s ?label ?start WHERE {
  ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label .
  OPTIONAL { ?r <https://w3id.org/conflict-ld/ontology#subject> ?s ;
                <https://w3id.org/conflict-ld/ontology#startDate> ?start }
} ORDER BY ?s ?label ?start"""


@pytest.fixture(scope="module")
def expected(default_build: Path) -> list[tuple[str, ...]]:
    store = load_store(default_build)
    rows = []
    for row in store.query(QUERY):
        rows.append(tuple(str(row[v]) if row[v] is not None else "" for v in ("s", "label", "start")))
    assert any("@" in r[1] for r in rows) and any("^^" in r[2] for r in rows)
    return rows


def _nt(term: dict | None) -> str:
    """A SPARQL JSON/XML binding, as SPARQLWrapper gives it, in N-Triples syntax."""
    if term is None:
        return ""
    if term["type"] == "uri":
        return str(ox.NamedNode(term["value"]))
    if "xml:lang" in term:
        return str(ox.Literal(term["value"], language=term["xml:lang"]))
    datatype = term.get("datatype")
    return str(ox.Literal(term["value"], datatype=ox.NamedNode(datatype) if datatype else None))


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_json(live_server: str, expected, method) -> None:
    client = SPARQLWrapper(live_server + "sparql")
    client.setMethod(method)
    if method == POST:
        client.setRequestMethod(URLENCODED)
    client.setQuery(QUERY)
    client.setReturnFormat(JSON)
    result = client.query()
    assert result.response.headers["Content-Type"] == "application/sparql-results+json"
    rows = result.convert()["results"]["bindings"]
    assert [tuple(_nt(r.get(v)) for v in ("s", "label", "start")) for r in rows] == expected


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_xml(live_server: str, expected, method) -> None:
    client = SPARQLWrapper(live_server + "sparql")
    client.setMethod(method)
    client.setQuery(QUERY)
    client.setReturnFormat(XML)
    document = client.query().convert()  # a DOM
    rows = []
    for result in document.getElementsByTagName("result"):
        row = {}
        for binding in result.getElementsByTagName("binding"):
            node = next(n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE)
            text = node.firstChild.data if node.firstChild else ""
            if node.tagName == "uri":
                row[binding.getAttribute("name")] = {"type": "uri", "value": text}
            else:
                term = {"type": "literal", "value": text}
                if node.getAttribute("xml:lang"):
                    term["xml:lang"] = node.getAttribute("xml:lang")
                if node.getAttribute("datatype"):
                    term["datatype"] = node.getAttribute("datatype")
                row[binding.getAttribute("name")] = term
        rows.append(tuple(_nt(row.get(v)) for v in ("s", "label", "start")))
    assert rows == expected


@pytest.mark.parametrize("method", ["GET", "POST_FORM"])
def test_rdflib_sparqlstore(live_server: str, expected, method) -> None:
    store = SPARQLStore(live_server + "sparql", method=method)
    rows = [tuple("" if t is None else t.n3() for t in row) for row in store.query(QUERY)]
    assert rows == expected
    labels = {row[1] for row in store.query(QUERY)}
    assert all(isinstance(label, Literal) for label in labels) and any(label.language for label in labels)
    starts = {row[2] for row in store.query(QUERY) if row[2] is not None}
    assert starts and all(isinstance(s, Literal) and s.datatype is not None for s in starts)
    assert all(isinstance(row[0], URIRef) for row in store.query(QUERY))


def test_rdflib_sparqlstore_ask_and_construct(live_server: str, default_build: Path) -> None:
    store = SPARQLStore(live_server + "sparql", method="POST_FORM")
    assert store.query("ASK { ?s a ?c }").askAnswer is True
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o)) }"
    graph = store.query(query).graph
    triples = load_store(default_build).query(query)
    local = {(t.subject.value, t.predicate.value, t.object.value) for t in triples}
    assert {(str(s), str(p), str(o)) for s, p, o in graph} == local
