"""The server slice `make run` needs: the app factory over a build, SPARQL, dereferencing.
(The full linked-data and SPARQL protocol work is issues 5 and 6.)"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
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
    page = client.get("/page/Aknaf_Bait_al-Maqdis").get_data(as_text=True)
    assert "Hay&#x27;at Tahrir al-Sham" in page or "Hay'at Tahrir al-Sham" in page
    assert "href='/resource/Hamas'" in page


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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_a_real_server(build: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "conflict_ld.cli", "serve", "--out", str(build), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    assert response.status == 200
                    assert b"ArmedGroup" in response.read()
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("server did not answer")
        request = urllib.request.Request(url + "data/Aknaf_Bait_al-Maqdis", headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.headers["Content-Type"].startswith("text/turtle")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
