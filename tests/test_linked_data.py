"""Dereferencing every kind of IRI of the release: 303s and direct negotiation, documents in
every format (parsed with rdflib), completeness of each kind's document, 404s and 406s, the
ontology, caching headers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from conflict_ld.server.app import create_app
from conflict_ld.server.site import SAFE
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from conflict_ld.resources import prefixes

BASE = "http://localhost:8080/"
CLD = Namespace(prefixes()["cld"])
PROV = Namespace(prefixes()["prov"])
DCT = Namespace(prefixes()["dct"])
FORMATS = [("ttl", "text/turtle", "turtle"), ("nt", "application/n-triples", "nt"),
           ("jsonld", "application/ld+json", "json-ld"), ("rdf", "application/rdf+xml", "xml")]


@pytest.fixture(scope="module")
def app(default_build: Path):
    return create_app({"out": default_build})


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def iris(app) -> dict[str, str]:
    """One real IRI of every kind, read from the served release: a relation node whose
    attestation cites a reference, that attestation and reference, its source and graph."""
    backend = app.extensions["conflict_ld"].backend
    row = backend.select(f"""PREFIX cld: <{CLD}> PREFIX prov: <{PROV}>
        SELECT ?relation ?attestation ?reference ?source WHERE {{
          ?relation cld:subject <{BASE}resource/Aknaf_Bait_al-Maqdis> ; cld:object ?o ;
                    prov:qualifiedDerivation ?attestation .
          ?attestation cld:cites ?reference ; prov:entity ?source .
        }} ORDER BY ?relation ?attestation ?reference LIMIT 1""")[0]
    out = {k: v.value for k, v in row.items()}
    out["entity"] = f"{BASE}resource/Aknaf_Bait_al-Maqdis"
    out["graph"] = out["source"].replace("/source/", "/graph/")
    return out


def _path(iri: str) -> str:
    assert iri.startswith(BASE)
    return "/" + iri[len(BASE):]


def _doc(kind: str, iri: str) -> str:
    """The document path of an IRI: entities drop ``resource/``."""
    path = _path(iri)[1:]
    return path.removeprefix("resource/") if kind == "entity" else path


THINGS = ["entity", "relation", "attestation", "source", "reference"]


@pytest.mark.parametrize("kind", THINGS)
@pytest.mark.parametrize(("accept", "target"), [
    ("text/turtle", "/data/{}.ttl"),
    ("application/ld+json", "/data/{}.jsonld"),
    ("application/json", "/data/{}.jsonld"),
    ("application/n-triples", "/data/{}.nt"),
    ("application/rdf+xml", "/data/{}.rdf"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "/page/{}"),
    ("text/turtle;q=0.5, application/rdf+xml", "/data/{}.rdf"),
    (None, "/page/{}"),
])
def test_thing_iris_answer_303_to_the_accepted_document(client, iris, kind: str, accept: str | None,
                                                        target: str) -> None:
    response = client.get(_path(iris[kind]), headers={"Accept": accept} if accept else {})
    assert response.status_code == 303
    assert response.headers["Location"] == target.format(quote(_doc(kind, iris[kind]), safe=SAFE + "/"))
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize(("accept", "media", "location"), [
    ("text/turtle", "text/turtle", ".ttl"), ("application/ld+json", "application/ld+json", ".jsonld"),
    ("application/rdf+xml", "application/rdf+xml", ".rdf"), (None, "text/html", ""),
])
def test_a_graph_iri_is_a_document_negotiated_in_place(client, iris, accept, media, location) -> None:
    response = client.get(_path(iris["graph"]), headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == media
    prefix = "/data/" if location else "/page/"
    assert response.headers["Content-Location"] == prefix + _doc("graph", iris["graph"]) + location
    assert response.headers["Vary"] == "Accept" and response.headers["ETag"]


@pytest.mark.parametrize("kind", [*THINGS, "graph"])
@pytest.mark.parametrize(("ext", "media", "fmt"), FORMATS)
def test_every_document_parses_in_every_format(client, iris, kind, ext, media, fmt) -> None:
    response = client.get(f"/data/{_doc(kind, iris[kind])}.{ext}")
    assert response.status_code == 200 and response.mimetype == media
    graph = Graph().parse(data=response.data, format=fmt)
    if kind == "graph":
        assert len(graph) > 100
    else:
        assert (URIRef(iris[kind]), None, None) in graph
    page = client.get(f"/page/{_doc(kind, iris[kind])}")
    assert page.status_code == 200 and page.mimetype == "text/html"


def _graph(client, kind: str, iri: str) -> Graph:
    return Graph().parse(data=client.get(f"/data/{_doc(kind, iri)}.nt").data, format="nt")


def _labelled(graph: Graph, node) -> bool:
    return next(graph.objects(node, RDFS.label), None) is not None and (node, RDF.type, None) in graph


def test_a_relation_document_holds_its_provenance_and_its_parties_labels(client, iris) -> None:
    g = _graph(client, "relation", iris["relation"])
    rel, att, ref = URIRef(iris["relation"]), URIRef(iris["attestation"]), URIRef(iris["reference"])
    assert (rel, PROV.qualifiedDerivation, att) in g
    assert next(g.objects(att, CLD.evidence), None) is not None
    assert (att, CLD.cites, ref) in g and next(g.objects(ref, DCT.bibliographicCitation), None)
    for party in (*g.objects(rel, CLD.subject), *g.objects(rel, CLD.object), URIRef(iris["source"])):
        assert _labelled(g, party), party


def test_an_attestation_document_holds_its_relation_node_and_references(client, iris) -> None:
    g = _graph(client, "attestation", iris["attestation"])
    rel, att = URIRef(iris["relation"]), URIRef(iris["attestation"])
    assert (rel, PROV.qualifiedDerivation, att) in g
    assert next(g.objects(rel, CLD.subject), None) is not None  # the node itself, not only a link
    assert next(g.objects(URIRef(iris["reference"]), DCT.bibliographicCitation), None)
    for party in g.objects(rel, CLD.subject):
        assert _labelled(g, party)


def test_a_source_document_lists_its_references_and_attestations(client, iris) -> None:
    g = _graph(client, "source", iris["source"])
    source = URIRef(iris["source"])
    assert (URIRef(iris["reference"]), DCT.isReferencedBy, source) in g
    assert (URIRef(iris["attestation"]), PROV.entity, source) in g
    assert next(g.objects(source, CLD.sha256), None) is not None


def test_a_reference_document_names_who_cites_it(client, iris) -> None:
    g = _graph(client, "reference", iris["reference"])
    assert (URIRef(iris["attestation"]), CLD.cites, URIRef(iris["reference"])) in g
    assert _labelled(g, URIRef(iris["source"]))


def test_a_graph_document_is_the_graph_content(client, iris, default_build: Path) -> None:
    report = json.loads((default_build / "latest" / "report.json").read_text())
    for name in (iris["graph"], f"{BASE}graph/entities", f"{BASE}graph/ontology"):
        g = _graph(client, "graph", name)
        assert len(g) == report["graphs"][name], name


@pytest.mark.parametrize("path", [
    "/resource/No_Such_Group", "/relation/Alliance_0000000000000000", "/attestation/0000000000000000",
    "/source/no_such_article", "/source/no_such_article/reference/1", "/graph/no_such_graph",
    "/page/No_Such_Group", "/data/No_Such_Group.ttl", "/page/relation/Alliance_0000000000000000",
    "/data/attestation/0000000000000000.nt", "/data/source/nope/reference/3.jsonld", "/page/graph/nope",
    "/relation/bad/slash", "/ontology.png", "/class/NoSuchClass",
])
def test_unknown_iris_and_documents_are_404(client, path: str) -> None:
    assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 404
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html"


@pytest.mark.parametrize("kind", [*THINGS, "graph"])
def test_unsupported_accept_is_406(client, iris, kind: str) -> None:
    response = client.get(_path(iris[kind]), headers={"Accept": "image/png"})
    assert response.status_code == 406 and b"text/turtle" in response.data
    assert client.get(f"/data/{_doc(kind, iris[kind])}", headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("kind", [*THINGS, "graph"])
def test_documents_have_etag_304_head_and_links(client, iris, kind: str) -> None:
    url = f"/data/{_doc(kind, iris[kind])}.ttl"
    full = client.get(url)
    assert client.get(url, headers={"If-None-Match": full.headers["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": full.headers["Last-Modified"]}).status_code == 304
    head = client.head(f"/page/{_doc(kind, iris[kind])}")
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"] != full.headers["ETag"]
    link = full.headers["Link"]
    assert f'</page/{_doc(kind, iris[kind])}>; rel="alternate"; type="text/html"' in link
    assert f'</ontology>; rel="describedby"; anchor="{CLD}"' in link
    assert 'rel="http://rdfs.org/ns/void#inDataset"' in link


@pytest.mark.parametrize(("accept", "query", "media", "location"), [
    (None, "", "text/html", "/ontology.html"),
    ("text/turtle", "", "text/turtle", "/ontology.ttl"),
    ("application/ld+json", "", "application/ld+json", "/ontology.jsonld"),
    ("application/rdf+xml", "", "application/rdf+xml", "/ontology.rdf"),
    ("text/html", "?format=nt", "application/n-triples", "/ontology.nt"),
])
def test_the_ontology_is_negotiated_in_place(client, accept, query, media, location) -> None:
    response = client.get("/ontology" + query, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == media
    assert response.headers["Content-Location"] == location
    assert client.get(location).data == response.data
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize(("ext", "media", "fmt"), FORMATS)
def test_the_ontology_in_every_format_is_the_release_ontology(client, default_build: Path,
                                                             ext, media, fmt) -> None:
    expected = Graph().parse(default_build / "latest" / "ontology.ttl", format="turtle")
    got = Graph().parse(data=client.get(f"/ontology.{ext}").data, format=fmt)
    assert len(got) == len(expected)
    assert (URIRef(str(CLD) + "Alliance"), RDFS.label, Literal("alliance", lang="en")) in got


def test_the_home_ontology_and_class_pages_are_cached_documents(client) -> None:
    for url in ("/", "/ontology", "/class/ArmedGroup"):
        first = client.get(url)
        assert first.status_code == 200 and first.headers["ETag"] and first.headers["Last-Modified"]
        assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
        assert client.head(url).status_code == 200


@pytest.mark.parametrize(("path", "accept", "target"), [
    ("/dataset", "text/html", "/"), ("/dataset", "text/turtle", "/.well-known/void?format=ttl"),
    ("/dataset/class/ArmedGroup", None, "/class/ArmedGroup"),
    ("/dataset/class/ArmedGroup", "application/ld+json", "/.well-known/void?format=jsonld"),
])
def test_the_void_iris_dereference(client, path: str, accept: str | None, target: str) -> None:
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 303 and response.headers["Location"] == target
    followed = client.get(target, headers={"Accept": accept} if accept else {})
    assert followed.status_code == 200 and followed.mimetype == (accept or "text/html")
    assert client.get("/dataset/class/Nothing").status_code == 404


def test_documents_are_the_same_bytes_in_every_process(default_build: Path, iris) -> None:
    """The ETag names the release and the representation, so a restarted server (a fresh
    store, whose iteration order differs) must send the same bytes."""
    urls = ["/data/Aknaf_Bait_al-Maqdis.ttl", "/data/Aknaf_Bait_al-Maqdis.jsonld",
            "/page/Aknaf_Bait_al-Maqdis", f"/data/{_doc('source', iris['source'])}.ttl",
            f"/data/{_doc('graph', iris['graph'])}.nt", "/ontology.nt", "/ontology.jsonld", "/ontology.rdf",
            "/data/graph/ontology.ttl"]
    script = ("import sys; from conflict_ld.server.app import create_app; "
              "c = create_app({'out': sys.argv[1]}).test_client(); "
              "import hashlib; "
              "print(' '.join(hashlib.sha256(c.get(u).data).hexdigest() for u in sys.argv[2:]))")
    runs = {subprocess.run([sys.executable, "-c", script, str(default_build), *urls], check=True,
                           capture_output=True, text=True).stdout for _ in range(3)}
    assert len(runs) == 1
