"""Remote mode: `conflict-ld load --into` a real SPARQL 1.1 store and `create_app` with the
`store` setting answer as the embedded store does. Each store is a real server started here on
127.0.0.1 (free ports) and stopped after: `oxigraph serve` (PyPI `oxigraph`) and Virtuoso (Debian
`virtuoso-opensource`, the engine behind DBpedia)."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conflict_ld.server.app import create_app
from conflict_ld.server.remote import RemoteBackend, normalise_json, query_kind
from rdflib import Graph
from rdflib.compare import isomorphic

from conflict_ld import settings as cfg
from conflict_ld.cli import main
from conflict_ld.formats import formats, results_formats
from conflict_ld.load import load

from .conftest import free_port, release

BASE = "http://localhost:8080/"
AKNAF = f"{BASE}resource/Aknaf_Bait_al-Maqdis"
# Virtuoso has no default graph of its own: the union goes to this graph (outside the release's
# graph/ namespace, so release-graph queries leave it out).
VIRTUOSO_UNION = "urn:x-conflict-ld:union"
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def _wait(url: str, proc: subprocess.Popen, log: Path, *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{proc.args[0]} exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{proc.args[0]} did not answer {url} within {seconds} s: {log.read_text()[-2000:]}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _tool(name: str, package: str) -> str:
    path = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if path is None:
        pytest.fail(f"`{name}` is missing: install {package} (see pyproject.toml / system-packages.txt)")
    return path


@pytest.fixture(scope="module")
def oxigraph(default_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A writable `oxigraph serve` holding the seed build, loaded with `conflict-ld load`."""
    binary = _tool("oxigraph", "the PyPI package `oxigraph`")
    folder = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    log = folder / "log.txt"
    with log.open("wb") as out:
        proc = subprocess.Popen([binary, "serve", "--location", str(folder / "db"),
                                 "--bind", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{url}/query?query=ASK%7B%7D", proc, log, seconds=20)
        assert main(["load", "--into", f"{url}/store", "--out", str(default_build)]) == 0
        yield url
    finally:
        _stop(proc)


def _virtuoso_ini(folder: Path, *, sql_port: int, http_port: int, readable: Path) -> Path:
    if not VIRTUOSO_INI.is_file():
        pytest.fail(f"{VIRTUOSO_INI} is missing: install the Debian package virtuoso-opensource")
    text = VIRTUOSO_INI.read_text(encoding="utf-8")
    text = text.replace("/var/lib/virtuoso-opensource-7/db", str(folder))
    text = re.sub(r"(?m)^(ServerPort\s*=\s*)1111\b", rf"\g<1>127.0.0.1:{sql_port}", text)
    text = re.sub(r"(?m)^(ServerPort\s*=\s*)8890\b", rf"\g<1>127.0.0.1:{http_port}", text)
    text = re.sub(r"(?m)^(DirsAllowed\s*=.*)$", rf"\1, {folder}, {readable}", text)
    ini = folder / "virtuoso.ini"
    ini.write_text(text, encoding="utf-8")
    return ini


@pytest.fixture(scope="module")
def virtuoso_server(default_build: Path, tmp_path_factory: pytest.TempPathFactory
                    ) -> Iterator[tuple[str, str]]:
    """A private Virtuoso (own database folder and ports; the build readable for its bulk loader)
    holding the seed build, loaded through its authenticated Graph Store endpoint with the union
    in a named graph. Its HTTP URL and its SQL address."""
    binary = _tool("virtuoso-t", "the Debian package virtuoso-opensource")
    folder = tmp_path_factory.mktemp("virtuoso")
    port, sql_port = free_port(), free_port()
    ini = _virtuoso_ini(folder, sql_port=sql_port, http_port=port, readable=default_build.resolve())
    log = folder / "log.txt"
    with log.open("wb") as out:
        proc = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)],
                                stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{url}/sparql?query=ASK%7B%7D", proc, log, seconds=60)
        load(out=default_build, into=f"{url}/sparql-graph-crud-auth", graph=VIRTUOSO_UNION,
             user="dba", password="dba")
        yield url, f"127.0.0.1:{sql_port}"
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def virtuoso(virtuoso_server: tuple[str, str]) -> str:
    return virtuoso_server[0]


@pytest.fixture(scope="module")
def embedded(default_build: Path):
    return create_app({"out": default_build}).test_client()


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote(request: pytest.FixtureRequest, default_build: Path):
    """Our app, every query going to the store."""
    url = request.getfixturevalue(request.param)
    if request.param == "oxigraph":
        settings = {"store": f"{url}/query"}
    else:
        settings = {"store": f"{url}/sparql", "store_graph": VIRTUOSO_UNION}
    app = create_app({"out": default_build, **settings})
    yield app.test_client()
    app.extensions["conflict_ld"].backend.close()


def _sparql(client, query: str, accept: str):
    response = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def _media_type(fmt: ox.QueryResultsFormat) -> str:
    return fmt.media_type.split(";")[0]


def _rows(body: bytes, fmt: ox.QueryResultsFormat) -> Counter:
    parsed = ox.parse_query_results(body, format=fmt)
    names = [v.value for v in parsed.variables]
    return Counter(tuple(str(row[n]) for n in names) for row in parsed)


def _union_size(default_build: Path) -> int:
    return len(gzip.decompress((release(default_build) / "union.nt.gz").read_bytes()).splitlines())


# -- the default graph ---------------------------------------------------------------------------

def test_default_graph_is_the_union_as_a_set(remote, embedded, default_build: Path) -> None:
    """The store's default graph holds each triple of the release once, as ours does."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    json = "application/sparql-results+json"
    remote_n = _rows(_sparql(remote, count, json).data, ox.QueryResultsFormat.JSON)
    embedded_n = _rows(_sparql(embedded, distinct, json).data, ox.QueryResultsFormat.JSON)
    expected = Counter({(f'"{_union_size(default_build)}"^^<http://www.w3.org/2001/XMLSchema#integer>',): 1})
    assert remote_n == embedded_n == expected


def test_named_graphs_are_the_release_graphs(remote, embedded) -> None:
    query = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
             f"FILTER(STRSTARTS(STR(?g), '{BASE}graph/')) }} GROUP BY ?g")
    accept = "application/sparql-results+json"
    assert (_rows(_sparql(remote, query, accept).data, ox.QueryResultsFormat.JSON)
            == _rows(_sparql(embedded, query, accept).data, ox.QueryResultsFormat.JSON))


def test_a_dataset_in_the_query_is_kept(remote, default_build: Path) -> None:
    """FROM in the query wins over the union graph the backend names for Virtuoso (a protocol
    default-graph-uri would override it). (Not compared with the embedded backend: at this
    commit it reads the union even under FROM.)"""
    query = f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/entities> WHERE {{ ?s ?p ?o }}"
    rows = _rows(_sparql(remote, query, "application/sparql-results+json").data, ox.QueryResultsFormat.JSON)
    dump = gzip.decompress((release(default_build) / "dataset.nq.gz").read_bytes())
    in_graph = dump.count(f"<{BASE}graph/entities> .\n".encode())
    assert 0 < in_graph < _union_size(default_build)
    assert rows == Counter({(f'"{in_graph}"^^<http://www.w3.org/2001/XMLSchema#integer>',): 1})


# -- the SPARQL endpoint, format by format -------------------------------------------------------

# Every triple without blank nodes (their labels are the store's own): IRIs, plain, language-tagged
# and typed literals. DISTINCT: the embedded store's union may still repeat a triple once per graph.
ALL = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) }"


@pytest.mark.parametrize("fmt", [ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML,
                                 ox.QueryResultsFormat.TSV], ids=lambda f: f.file_extension)
def test_select_gives_the_same_solutions(remote, embedded, fmt: ox.QueryResultsFormat) -> None:
    media_type = _media_type(fmt)
    remote_response = _sparql(remote, ALL, media_type)
    assert remote_response.mimetype == media_type
    rows = _rows(remote_response.data, fmt)
    assert rows == _rows(_sparql(embedded, ALL, media_type).data, fmt)
    assert len(rows) > 3000


def test_select_csv_gives_the_same_lines(remote, embedded) -> None:
    def lines(client) -> Counter:
        response = _sparql(client, ALL, "text/csv")
        assert response.mimetype == "text/csv"
        return Counter(response.data.splitlines())

    assert lines(remote) == lines(embedded)


@pytest.mark.parametrize(("query", "expected"), [
    (f"ASK {{ <{AKNAF}> ?p ?o }}", True),
    (f"ASK {{ <{BASE}resource/No_Such_Group> ?p ?o }}", False),
])
@pytest.mark.parametrize("fmt", [f.ox for f in results_formats()], ids=lambda f: f.file_extension)
def test_ask(remote, embedded, query: str, expected: bool, fmt: ox.QueryResultsFormat) -> None:
    body = _sparql(remote, query, _media_type(fmt)).data
    if fmt == ox.QueryResultsFormat.CSV:  # not a standard form for a boolean: compare the bytes
        assert body == _sparql(embedded, query, _media_type(fmt)).data
    else:
        assert bool(ox.parse_query_results(body, format=fmt)) is expected


CONSTRUCT = f"""PREFIX cld: <https://w3id.org/conflict-ld/ontology#>
CONSTRUCT {{ ?r ?p ?o }} WHERE {{ ?r cld:subject <{AKNAF}> ; ?p ?o }}"""


@pytest.mark.parametrize("fmt", [f.ox for f in formats()], ids=lambda f: f.file_extension)
def test_construct_gives_the_same_graph(remote, embedded, fmt: ox.RdfFormat) -> None:
    response = _sparql(remote, CONSTRUCT, fmt.media_type)
    assert response.mimetype == fmt.media_type
    triples = {q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(response.data, format=fmt)}
    expected = {q.triple if isinstance(q, ox.Quad) else q
                for q in ox.parse(_sparql(embedded, CONSTRUCT, fmt.media_type).data, format=fmt)}
    assert triples == expected
    assert len(triples) > 100


def test_construct_with_a_results_accept_is_not_acceptable(remote) -> None:
    response = remote.post("/sparql", data={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert response.status_code == 406


def test_syntax_error_is_400_with_the_store_message(remote) -> None:
    response = remote.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p"})
    assert response.status_code == 400
    assert "rejected the query" in response.get_data(as_text=True)


# -- linked data ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "fmt"), [("/data/Aknaf_Bait_al-Maqdis.ttl", "turtle"),
                                           ("/data/Aknaf_Bait_al-Maqdis.nt", "nt")])
def test_data_document_is_the_same_graph(remote, embedded, path: str, fmt: str) -> None:
    response = remote.get(path)
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format=fmt)
    assert len(graph) > 100
    assert isomorphic(graph, Graph().parse(data=embedded.get(path).data, format=fmt))


@pytest.mark.parametrize(("path", "shows"), [("/", "Aknaf Bait al-Maqdis"),
                                             ("/page/Aknaf_Bait_al-Maqdis", "Hamas (denied by Hamas)"),
                                             ("/class/ArmedGroup", "Jund al-Aqsa")])
def test_pages_are_the_same(remote, embedded, path: str, shows: str) -> None:
    """Pages are rendered from sorted triples, so the same data gives the same page."""
    response = remote.get(path)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert shows in text
    assert text == embedded.get(path).get_data(as_text=True)


def test_dereferencing(remote) -> None:
    response = remote.get("/resource/Aknaf_Bait_al-Maqdis", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert remote.get("/resource/No_Such_Group").status_code == 404


# -- a store that fails ----------------------------------------------------------------------------

def _silent_listener() -> tuple[socket.socket, int]:
    """A port that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock, sock.getsockname()[1]


@pytest.mark.parametrize("path", ["/sparql?query=ASK%7B%7D", "/data/Aknaf_Bait_al-Maqdis.ttl",
                                  "/page/Aknaf_Bait_al-Maqdis", "/"])
def test_unreachable_store_is_502(default_build: Path, path: str) -> None:
    client = create_app({"out": default_build, "store": f"http://127.0.0.1:{free_port()}/query"}).test_client()
    response = client.get(path, headers={"Accept": "*/*"})
    assert response.status_code == 502
    assert "cannot be reached" in response.get_data(as_text=True)


def test_silent_store_is_504(default_build: Path) -> None:
    sock, port = _silent_listener()
    with sock:
        client = create_app({"out": default_build, "store": f"http://127.0.0.1:{port}/query",
                             "store_timeout": 1}).test_client()
        response = client.get("/sparql?query=ASK%7B%7D")
    assert response.status_code == 504
    assert "did not answer within 1 s" in response.get_data(as_text=True)


def test_store_error_is_502_with_its_status(oxigraph: str, default_build: Path) -> None:
    client = create_app({"out": default_build, "store": f"{oxigraph}/no-such-endpoint"}).test_client()
    response = client.get("/page/Aknaf_Bait_al-Maqdis", headers={"Accept": "text/plain"})
    assert response.status_code == 502
    assert "answered 404" in response.get_data(as_text=True)


def test_stale_keep_alive_connections_are_replaced(oxigraph: str) -> None:
    """Regression: with several dead connections in the pool, the retry took another dead one
    and the query failed; it must open a fresh connection instead."""
    backend = RemoteBackend(f"{oxigraph}/query")
    for _ in range(3):
        connection = http.client.HTTPConnection("127.0.0.1", int(oxigraph.rsplit(":", 1)[1]))
        connection.connect()
        connection.sock.shutdown(socket.SHUT_RDWR)  # as a store closing an idle connection does
        backend._release(connection)
    try:
        assert backend.ask(f"ASK {{ <{AKNAF}> ?p ?o }}") is True
    finally:
        backend.close()


def test_store_setting_is_validated(default_build: Path) -> None:
    with pytest.raises(cfg.SettingsError, match=r"^store \(--store\): must be an absolute http"):
        create_app({"out": default_build, "store": "ftp://127.0.0.1/query"})


# -- load ------------------------------------------------------------------------------------------

def test_load_again_changes_nothing(oxigraph: str, default_build: Path, capsys) -> None:
    assert main(["load", "--into", f"{oxigraph}/store", "--out", str(default_build)]) == 0
    captured = capsys.readouterr()
    assert f"union of the graphs into the default graph: {_union_size(default_build)} triples" in captured.err
    client = create_app({"out": default_build, "store": f"{oxigraph}/query"}).test_client()
    body = _sparql(client, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "text/csv").data
    assert body.split()[-1] == str(_union_size(default_build)).encode()


@pytest.mark.parametrize(("into", "message"), [
    ("http://127.0.0.1:{free}/store", "cannot reach the Graph Store endpoint"),
    ("{oxigraph}/no-such-endpoint", "the store answered 404"),
    ("{virtuoso}/sparql-graph-crud-auth", "the store answered 401"),  # no credentials given
])
def test_load_errors_exit_2(request: pytest.FixtureRequest, default_build: Path, capsys,
                            into: str, message: str) -> None:
    urls = {name: request.getfixturevalue(name) for name in ("oxigraph", "virtuoso")
            if "{" + name + "}" in into}
    into = into.format(free=free_port(), **urls)
    assert main(["load", "--into", into, "--out", str(default_build)]) == 2
    assert message in capsys.readouterr().err


def test_virtuoso_has_no_default_graph_to_load_into(virtuoso: str, default_build: Path,
                                                    monkeypatch, capsys) -> None:
    monkeypatch.setenv("CONFLICT_LD_STORE_USER", "dba")
    monkeypatch.setenv("CONFLICT_LD_STORE_PASSWORD", "dba")
    assert main(["load", "--into", f"{virtuoso}/sparql-graph-crud-auth", "--out", str(default_build)]) == 2
    assert "needs --store-graph IRI" in capsys.readouterr().err


def test_virtuoso_bulk_load_gives_the_same_store(virtuoso_server: tuple[str, str], default_build: Path,
                                                 embedded, monkeypatch, capsys) -> None:
    """Loaded again, through the bulk loader this time (twice: it must replace, not add), the
    store answers as after the Graph Store load."""
    url, isql = virtuoso_server
    monkeypatch.setenv("CONFLICT_LD_STORE_USER", "dba")
    monkeypatch.setenv("CONFLICT_LD_STORE_PASSWORD", "dba")
    for _ in range(2):
        assert main(["load", "--method", "virtuoso-bulk", "--isql", isql, "--out", str(default_build),
                     "--store-graph", VIRTUOSO_UNION]) == 0
    assert "bulk loading" in capsys.readouterr().err
    client = create_app({"out": default_build, "store": f"{url}/sparql",
                         "store_graph": VIRTUOSO_UNION}).test_client()
    test_named_graphs_are_the_release_graphs(client, embedded)
    test_default_graph_is_the_union_as_a_set(client, embedded, default_build)
    test_data_document_is_the_same_graph(client, embedded, "/data/Aknaf_Bait_al-Maqdis.ttl", "turtle")


@pytest.mark.parametrize(("args", "message"), [
    (["--isql", "127.0.0.1:{free}"], "Connect failed"),
    ([], "give --store-graph IRI"),
])
def test_virtuoso_bulk_load_errors_exit_2(default_build: Path, monkeypatch, capsys, args: list[str],
                                          message: str) -> None:
    monkeypatch.setenv("CONFLICT_LD_STORE_USER", "dba")
    monkeypatch.setenv("CONFLICT_LD_STORE_PASSWORD", "dba")
    args = [a.format(free=free_port()) for a in args]
    graph = ["--store-graph", VIRTUOSO_UNION] if args else []
    assert main(["load", "--method", "virtuoso-bulk", *args, *graph, "--out", str(default_build)]) == 2
    assert message in capsys.readouterr().err


# -- serve --store ---------------------------------------------------------------------------------

def test_serve_with_store(oxigraph: str, default_build: Path, embedded) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "conflict_ld.cli", "serve", "--out", str(default_build), "--port", str(port),
         "--store", f"{oxigraph}/query"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/data/Aknaf_Bait_al-Maqdis.nt"
        for _ in range(100):
            try:
                body = urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("server did not answer")
    finally:
        _stop(proc)
    assert "queries go to" in proc.stderr.read().decode()
    expected = embedded.get("/data/Aknaf_Bait_al-Maqdis.nt").data
    assert isomorphic(Graph().parse(data=body, format="nt"), Graph().parse(data=expected, format="nt"))


# -- the parts -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "kind"), [
    ("SELECT * WHERE { ?s ?p ?o }", "solutions"),
    ("  # a comment with ASK in it\nPREFIX ex: <http://example.org/select#> select * {}", "solutions"),
    ("BASE <http://example.org/>\nPREFIX : <ask#>\nASK {}", "boolean"),
    ("PREFIX cld: <https://w3id.org/conflict-ld/ontology#>\nCONSTRUCT WHERE { ?s ?p ?o }", "graph"),
    ("describe <http://example.org/x>", "graph"),
    ("INSERT DATA { <a> <b> <c> }", None),
])
def test_query_kind(query: str, kind: str | None) -> None:
    assert query_kind(query) == kind


def test_normalise_json_reads_virtuoso_terms() -> None:
    """Virtuoso's own words (its answer to a SELECT over a date and a blank node)."""
    body = (b'{ "head": { "link": [], "vars": ["o", "b"] }, "results": { "distinct": false, "ordered": true, '
            b'"bindings": [ { "o": { "type": "typed-literal", "datatype": '
            b'"http://www.w3.org/2001/XMLSchema#date", "value": "2020-01-01" }, '
            b'"b": { "type": "bnode", "value": "nodeID://b10000" } } ] } }')
    [row] = ox.parse_query_results(normalise_json(body), format=ox.QueryResultsFormat.JSON)
    assert row["o"] == ox.Literal("2020-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    assert isinstance(row["b"], ox.BlankNode)


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote_limited(request: pytest.FixtureRequest, default_build: Path):
    """Our app over the store with a row limit of 5."""
    url = request.getfixturevalue(request.param)
    settings = ({"store": f"{url}/query"} if request.param == "oxigraph"
                else {"store": f"{url}/sparql", "store_graph": VIRTUOSO_UNION})
    app = create_app({"out": default_build, "max_rows": 5, **settings})
    yield app.test_client()
    app.extensions["conflict_ld"].backend.close()


@pytest.mark.parametrize(("accept", "count"), [
    ("application/sparql-results+json", lambda body: len(json.loads(body)["results"]["bindings"])),
    ("application/sparql-results+xml", lambda body: body.count(b"<result>")),
    ("text/tab-separated-values", lambda body: body.count(b"\n") - 1),
    ("text/csv", lambda body: body.count(b"\r\n") - 1),
])
def test_row_limit_cuts_remote_solutions_and_says_so(remote_limited, accept: str, count) -> None:
    groups = "SELECT ?s WHERE { ?s a <https://w3id.org/conflict-ld/ontology#ArmedGroup> }"
    response = _sparql(remote_limited, groups + " ORDER BY ?s", accept)
    assert response.headers["X-Result-Truncated"] == "true"
    assert count(response.data) == 5
    if accept.endswith("json"):
        assert json.loads(response.data)["truncated"] is True
    under = _sparql(remote_limited, groups + " LIMIT 5", accept)
    assert "X-Result-Truncated" not in under.headers and count(under.data) == 5


def test_row_limit_cuts_remote_triples_and_says_so(remote_limited) -> None:
    response = _sparql(remote_limited, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "application/n-triples")
    assert response.headers["X-Result-Truncated"] == "true"
    assert len(Graph().parse(data=response.data, format="nt")) == 5
