"""The server slice `make run` needs: the app factory over a build, SPARQL, dereferencing.
(The full linked-data and SPARQL protocol work is issues 5 and 6.)"""

from __future__ import annotations

import html
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from conflict_ld.server.app import create_app
from conflict_ld.server.store import DataMissing
from rdflib import Graph, Namespace, URIRef

from conflict_ld.resources import prefixes

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://localhost:8080/"
CLD = Namespace(prefixes()["cld"])
AKNAF = URIRef(BASE + "resource/Aknaf_Bait_al-Maqdis")


@pytest.fixture(scope="module")
def build(default_build: Path) -> Path:
    return default_build


@pytest.fixture(scope="module")
def client(build: Path):
    return create_app({"out": build}).test_client()


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        ("text/turtle", "/data/Aknaf_Bait_al-Maqdis.ttl"),
        ("application/ld+json", "/data/Aknaf_Bait_al-Maqdis.jsonld"),
        ("application/n-triples", "/data/Aknaf_Bait_al-Maqdis.nt"),
        ("application/rdf+xml", "/data/Aknaf_Bait_al-Maqdis.rdf"),
        ("text/html,application/xhtml+xml", "/page/Aknaf_Bait_al-Maqdis"),
        (None, "/page/Aknaf_Bait_al-Maqdis"),
    ],
)
def test_resource_redirects_by_accept(client, accept: str | None, location: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/resource/Aknaf_Bait_al-Maqdis", headers=headers)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(location)
    assert response.headers["Vary"] == "Accept"


def test_unknown_resource_is_404(client) -> None:
    assert client.get("/resource/No_Such_Group").status_code == 404
    assert client.get("/data/No_Such_Group.ttl").status_code == 404


@pytest.mark.parametrize(("ext", "fmt"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"),
                                          ("rdf", "xml")])
def test_data_document_describes_the_entity_completely(client, ext: str, fmt: str) -> None:
    response = client.get(f"/data/Aknaf_Bait_al-Maqdis.{ext}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format=fmt)
    assert (AKNAF, CLD.allyOf, URIRef(BASE + "resource/Hay'at_Tahrir_al-Sham")) in graph
    nodes = set(graph.subjects(CLD.subject, AKNAF))
    assert len(nodes) > 20
    evidence = set(graph.objects(None, CLD.evidence))
    assert any("Hamas (denied by Hamas)" in str(e) for e in evidence)
    # Linked entities come with their labels, so no second request is needed to render them.
    assert next(graph.objects(URIRef(BASE + "resource/Hamas"), URIRef(
        "http://www.w3.org/2000/01/rdf-schema#label")), None) is not None


def test_page_shows_relations_with_links(client) -> None:
    page = html.unescape(client.get("/page/Aknaf_Bait_al-Maqdis").get_data(as_text=True))
    assert "Hay'at Tahrir al-Sham" in page
    assert 'href="/resource/Hamas"' in page


def test_sparql_select_json(client) -> None:
    query = (ROOT / "queries/allegiance_denials.rq").read_text()
    response = client.get("/sparql", query_string={"query": query},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    rows = json.loads(response.data)["results"]["bindings"]
    assert [r["denierLabel"]["value"] for r in rows] == ["Hamas"]


def test_sparql_syntax_error_is_400(client) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT WHERE {"})
    assert response.status_code == 400
    assert b"syntax" in response.data.lower()


def test_missing_build_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataMissing, match="conflict-ld build"):
        create_app({"out": tmp_path})


def test_serve_runs_a_real_server(live_server: str) -> None:
    with urllib.request.urlopen(live_server, timeout=5) as response:
        assert response.status == 200
        assert b"ArmedGroup" in response.read()
    request = urllib.request.Request(live_server + "data/Aknaf_Bait_al-Maqdis",
                                     headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.headers["Content-Type"].startswith("text/turtle")


COMUNICA = ("application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,"
            "application/n-triples;q=0.8,text/turtle;q=0.6,application/rdf+xml;q=0.5,"
            "text/n3;q=0.35,application/xml;q=0.3,image/svg+xml;q=0.3,text/xml;q=0.3,"
            "text/html;q=0.2,application/xhtml+xml;q=0.18")


@pytest.mark.parametrize(
    ("accept", "query", "location"),
    [
        (COMUNICA, "", ".jsonld"),  # N-Quads and TriG have graphs; a document has none
        ("application/json", "", ".jsonld"),
        ("text/turtle;q=0.5, application/rdf+xml", "", ".rdf"),
        ("text/html;q=0.9, text/turtle", "", ".ttl"),
        ("text/html", "?format=ttl", ".ttl"),
        ("text/turtle", "?format=html", "/page/Aknaf_Bait_al-Maqdis"),
        ("*/*", "", "/page/Aknaf_Bait_al-Maqdis"),
    ],
)
def test_real_clients_accept_headers(client, accept: str, query: str, location: str) -> None:
    response = client.get("/resource/Aknaf_Bait_al-Maqdis" + query, headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(location)


def test_unsupported_accept_is_406_naming_what_is_supported(client) -> None:
    response = client.get("/resource/Aknaf_Bait_al-Maqdis", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert b"text/turtle" in response.data and b"text/html" in response.data
    assert client.get("/data/Aknaf_Bait_al-Maqdis?format=png").status_code == 406


def test_not_found_is_negotiated(client) -> None:
    page = client.get("/resource/Nope", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    plain = client.get("/resource/Nope", headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and plain.mimetype == "text/plain"


def test_negotiated_data_names_its_content_location(client) -> None:
    response = client.get("/data/Aknaf_Bait_al-Maqdis", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200 and response.mimetype == "application/n-triples"
    assert response.headers["Content-Location"] == "/data/Aknaf_Bait_al-Maqdis.nt"


def test_head_etag_last_modified_and_304(client) -> None:
    url = "/data/Aknaf_Bait_al-Maqdis.ttl"
    full = client.get(url)
    head = client.head(url)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == full.headers["ETag"] and head.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": full.headers["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": full.headers["Last-Modified"]}).status_code == 304
    other = client.get("/data/Aknaf_Bait_al-Maqdis.nt")
    assert other.headers["ETag"] != full.headers["ETag"]  # one tag per representation


def test_links_name_the_alternates_and_the_dataset(client) -> None:
    link = client.get("/data/Aknaf_Bait_al-Maqdis.ttl").headers["Link"]
    assert '</data/Aknaf_Bait_al-Maqdis.jsonld>; rel="alternate"; type="application/ld+json"' in link
    assert '</page/Aknaf_Bait_al-Maqdis>; rel="alternate"; type="text/html"' in link
    assert 'rel="http://rdfs.org/ns/void#inDataset"' in link
    assert client.get("/data/Aknaf_Bait_al-Maqdis.ttl").headers["Access-Control-Allow-Origin"] == "*"


def test_rdflib_dereferences_a_uri_from_a_real_server(live_server: str) -> None:
    """rdflib's Graph.parse(url) sends its own Accept header and follows the 303."""
    graph = Graph().parse(live_server + "resource/Aknaf_Bait_al-Maqdis")
    assert (AKNAF, CLD.allyOf, URIRef(BASE + "resource/Hay'at_Tahrir_al-Sham")) in graph


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")])
def test_void_at_the_well_known_location(client, accept: str, fmt: str) -> None:
    response = client.get("/.well-known/void", headers={"Accept": accept})
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format=fmt)
    void = Namespace("http://rdfs.org/ns/void#")
    assert next(graph.objects(URIRef(BASE + "dataset"), void.triples)).toPython() > 1000


def test_rapper_dereferences_a_uri_from_a_real_server(live_server: str) -> None:
    """rapper (raptor2, with its own Accept header) follows the 303 and parses what it gets."""
    import shutil
    import subprocess

    rapper = shutil.which("rapper")
    assert rapper, "rapper is missing: install the Debian package raptor2-utils (make test does)"
    done = subprocess.run([rapper, "-g", "-c", live_server + "resource/Aknaf_Bait_al-Maqdis"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    count = int(done.stderr.rsplit("returned", 1)[1].split()[0])
    graph = Graph().parse(live_server + "data/Aknaf_Bait_al-Maqdis.ttl")
    assert count == len(graph) > 100


@pytest.mark.parametrize(("args", "message"), [
    (["--workers", "0"], "workers (--workers): must be at least 1"),
    (["--threads", "many"], "threads (--threads)"),
    (["--rate-limit", "-3"], "rate_limit (--rate-limit)"),
])
def test_serve_refuses_a_bad_setting_before_starting(default_build: Path, args: list[str],
                                                     message: str) -> None:
    done = subprocess.run([sys.executable, "-m", "conflict_ld.cli", "serve", "--out", str(default_build),
                           "--port", "1", *args], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_serve_names_a_missing_release_before_starting(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "conflict_ld.cli", "serve", "--out", str(tmp_path),
                           "--port", "1"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "conflict-ld build" in done.stderr and str(tmp_path) in done.stderr
    assert "Traceback" not in done.stderr
