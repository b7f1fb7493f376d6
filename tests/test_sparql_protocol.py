"""The SPARQL endpoint over the seed build: formats by Accept and ``format=``, errors, the
protocol dataset, the union default graph, limits, CORS, the service description."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path

import pyoxigraph as ox
import pytest
from conflict_ld.server import row_limit
from conflict_ld.server.app import create_app
from conflict_ld.server.backend import EmbeddedBackend
from conflict_ld.server.limits import RateLimiter
from conflict_ld.server.query_page import examples
from conflict_ld.server.store import load_store, materialise_union
from rdflib import Graph, Namespace, URIRef

from conflict_ld.formats import formats, results_formats
from conflict_ld.settings import SettingsError

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
# Without blank nodes, whose labels differ from one load of the release to the next.
NAMED = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) }"
TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) }"


@pytest.fixture(scope="module")
def store(default_build: Path) -> ox.Store:
    return load_store(default_build)


@pytest.fixture(scope="module")
def client(default_build: Path):
    return create_app({"out": default_build, "rate_limit": 0}).test_client()


def get(client, query: str, accept: str | None = None, **params):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


def count(client, query: str, **params) -> int:
    response = get(client, query, "application/sparql-results+json", **params)
    assert response.status_code == 200, response.data
    return int(response.json["results"]["bindings"][0]["n"]["value"])


# -- formats ---------------------------------------------------------------------------------

RESULTS = {f.media_type: f for f in results_formats()}
RDF = {f.media_type: f for f in formats()}


@pytest.mark.parametrize(("accept", "params", "media"), [
    (None, {}, "application/sparql-results+json"),
    ("application/sparql-results+json", {}, "application/sparql-results+json"),
    ("application/json", {}, "application/sparql-results+json"),
    ("application/sparql-results+xml", {}, "application/sparql-results+xml"),
    ("application/xml", {}, "application/sparql-results+xml"),
    ("text/csv", {}, "text/csv"),
    ("text/tab-separated-values", {}, "text/tab-separated-values"),
    ("*/*", {}, "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", {}, "application/sparql-results+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", {}, "application/sparql-results+xml"),
    ("application/sparql-results+xml", {"format": "json"}, "application/sparql-results+json"),
    (None, {"format": "srx"}, "application/sparql-results+xml"),
    (None, {"format": "text/tab-separated-values"}, "text/tab-separated-values"),
    # SPARQLWrapper's GET: format, output and results parameters, and its Accept header.
    ("application/sparql-results+json,application/json,text/javascript,application/javascript",
     {"format": "json", "output": "json", "results": "json"}, "application/sparql-results+json"),
])
def test_select_formats(client, store, accept, params, media) -> None:
    query = NAMED + " ORDER BY ?s ?p ?o LIMIT 50"
    response = get(client, query, accept, **params)
    assert response.status_code == 200
    assert response.mimetype == media
    assert response.headers["Vary"] == "Accept"
    fmt = RESULTS[media]
    expected = store.query(query).serialize(format=fmt.ox)
    assert response.data == expected


@pytest.mark.parametrize(("media", "content_type"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
])
def test_ask_formats_and_content_types(client, media, content_type) -> None:
    response = get(client, "ASK { ?s a ?c }", media)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    if media != "text/csv":  # Oxigraph reads back all but CSV
        assert bool(ox.parse_query_results(response.data, RESULTS[media].ox)) is True


@pytest.mark.parametrize(("accept", "params", "media"), [
    (None, {}, "text/turtle"),
    ("text/turtle", {}, "text/turtle"),
    ("application/n-triples", {}, "application/n-triples"),
    ("application/ld+json", {}, "application/ld+json"),
    ("application/json", {}, "application/ld+json"),
    ("application/rdf+xml", {}, "application/rdf+xml"),
    ("application/trig", {}, "application/trig"),
    ("application/n-quads", {}, "application/n-quads"),
    ("application/n-quads;q=0.5, text/turtle;q=0.6", {}, "text/turtle"),
    ("text/turtle", {"format": "json"}, "application/ld+json"),  # SPARQLWrapper's words
    ("text/turtle", {"format": "xml"}, "application/rdf+xml"),
    (None, {"format": "nt"}, "application/n-triples"),
])
@pytest.mark.parametrize("query", [TRIPLES, "DESCRIBE <http://localhost:8080/resource/Hamas>"])
def test_graph_formats(client, store, query, accept, params, media) -> None:
    response = get(client, query, accept, **params)
    assert response.status_code == 200, response.data
    assert response.mimetype == media
    got = {(q.subject, q.predicate, q.object) for q in ox.parse(response.data, format=RDF[media].ox)}
    expected = set(store.query(query))
    assert len(got) == len({(t.subject, t.predicate, t.object) for t in expected}) > 0
    if "DESCRIBE" not in query:  # no blank nodes here: the sets compare directly
        assert got == {(t.subject, t.predicate, t.object) for t in expected}


@pytest.mark.parametrize(("query", "accept", "params", "offered"), [
    (ALL, "text/turtle", {}, "application/sparql-results+json"),
    ("ASK {}", "image/png", {}, "application/sparql-results+json"),
    (TRIPLES, "application/sparql-results+json", {}, "text/turtle"),
    (ALL, None, {"format": "bogus"}, "text/tab-separated-values"),
])
def test_unsupported_accept_is_406_listing_what_is(client, query, accept, params, offered) -> None:
    response = get(client, query, accept, **params)
    assert response.status_code == 406
    assert offered in response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


# -- requests --------------------------------------------------------------------------------


def test_post_form_and_direct_give_the_get_answer(client) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"
    accept = {"Accept": "application/sparql-results+json"}
    by_get = get(client, query, accept["Accept"]).data
    form = client.post("/sparql", data={"query": query}, headers=accept)
    direct = client.post("/sparql", data=query.encode(),
                         headers={**accept, "Content-Type": "application/sparql-query"})
    assert form.status_code == direct.status_code == 200
    assert form.data == direct.data == by_get


def test_query_is_utf8_in_every_method(client) -> None:
    query = 'SELECT ?x WHERE { BIND("Ḥurrās al-Dīn — ☪" AS ?x) }'
    for response in (
        get(client, query, "application/sparql-results+json"),
        client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}),
        client.post("/sparql", data=query.encode("utf-8"), headers={
            "Content-Type": "application/sparql-query; charset=UTF-8",
            "Accept": "application/sparql-results+json"}),
    ):
        assert response.json["results"]["bindings"][0]["x"]["value"] == "Ḥurrās al-Dīn — ☪"


@pytest.mark.parametrize(("method", "params", "headers", "body", "status", "says"), [
    ("GET", {"query": "SELECT * WHERE {"}, {}, None, 400, "1:17"),
    ("GET", [("query", "ASK {}"), ("query", "ASK {}")], {}, None, 400, "exactly one"),
    ("GET", {"query": "  "}, {}, None, 400, "empty"),
    ("GET", {"query": "ASK {}", "default-graph-uri": "not an iri"}, {}, None, 400, "default-graph-uri"),
    ("POST", {}, {}, b"query=ASK%20%7B%7D", 400, "Content-Type"),
    ("POST", {}, {"Content-Type": "text/plain"}, b"ASK {}", 415, "application/sparql-query"),
    ("POST", {}, {"Content-Type": "multipart/form-data; boundary=x"}, b"--x--", 415, "Content-Type"),
    ("POST", {}, {"Content-Type": "application/sparql-query; charset=latin1"}, b"ASK {}", 415, "UTF-8"),
    ("POST", {}, {"Content-Type": "application/sparql-query"}, "ASK { ?s ?p 'é' }".encode("latin-1"), 400,
     "not UTF-8"),
    ("POST", {}, {"Content-Type": "application/x-www-form-urlencoded"}, b"query=ASK%20%7B%27%E9%27%7D", 400,
     "UTF-8"),
    ("POST", {"query": "ASK {}"}, {"Content-Type": "application/sparql-query"}, b"ASK {}", 400, "one"),
    ("POST", {}, {"Content-Type": "application/x-www-form-urlencoded"}, b"format=json", 400, "no query"),
    ("GET", {"query": "INSERT DATA { <http://a> <http://b> <http://c> }"}, {}, None, 403, "read-only"),
    ("GET", {"query": "PREFIX a: <http://a/> DELETE WHERE { ?s ?p ?o }"}, {}, None, 403, "read-only"),
    ("GET", {"query": "LOAD <http://127.0.0.1:9/data.nt>"}, {}, None, 403, "read-only"),
    ("GET", {"query": "CLEAR ALL"}, {}, None, 403, "read-only"),
    ("GET", {"update": "CLEAR ALL"}, {}, None, 403, "read-only"),
    ("POST", {}, {"Content-Type": "application/sparql-update"}, b"DROP ALL", 403, "read-only"),
    ("GET", {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}, {}, None,
     403, "SERVICE"),
    ("PUT", {"query": "ASK {}"}, {}, None, 405, ""),
    ("DELETE", {}, {}, None, 405, ""),
])
def test_client_mistakes_are_4xx_with_a_reason(client, method, params, headers, body, status, says) -> None:
    response = client.open("/sparql", method=method, query_string=params, headers=headers, data=body)
    assert response.status_code == status, response.data
    assert says in response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_service_is_refused_before_any_request_is_made(client) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        target = f"<http://127.0.0.1:{port}/sparql>"
        response = get(client, f"SELECT * WHERE {{ SERVICE SILENT {target} {{ ?s ?p ?o }} }}")
        assert response.status_code == 403
        with pytest.raises(TimeoutError):
            listener.accept()


def test_the_word_service_in_a_literal_or_name_is_no_service(client) -> None:
    query = 'PREFIX service: <http://x/> SELECT ?service WHERE { BIND("SERVICE <http://x/> {}" AS ?service) }'
    response = get(client, query, "application/sparql-results+json")
    assert response.status_code == 200
    assert response.json["results"]["bindings"][0]["service"]["value"] == "SERVICE <http://x/> {}"


# -- the dataset -----------------------------------------------------------------------------


def test_default_graph_is_the_union_as_a_set(client, store) -> None:
    """Regression: a triple stated in two graphs was counted twice over Oxigraph's union."""
    shared = store.query("""SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } GRAPH ?h { ?s ?p ?o }
                            FILTER(?g != ?h) } LIMIT 1""")
    row = next(iter(shared))
    triple = f"{row['s']} {row['p']} {row['o']}"
    assert count(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ {triple} }}") == 1
    assert count(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {triple} }} }}") >= 2
    distinct = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, None)
                if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert count(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == len(distinct)


def test_protocol_dataset_overrides_the_query_and_the_store(client, store) -> None:
    graphs = sorted(r["g"].value for r in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
    first, second = graphs[0], graphs[1]
    size = lambda g: len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(g))))  # noqa: E731
    n = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert count(client, n, **{"default-graph-uri": first}) == size(first)
    # FROM in the query, default-graph-uri in the request: the request wins.
    from_second = f"SELECT (COUNT(*) AS ?n) FROM <{second}> WHERE {{ ?s ?p ?o }}"
    assert count(client, from_second) == size(second)
    assert count(client, from_second, **{"default-graph-uri": first}) == size(first)
    # Named graphs: only those named are reachable with GRAPH; the default graph is then empty.
    in_graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(client, in_graphs) == len(graphs)
    assert count(client, in_graphs, **{"named-graph-uri": first}) == 1
    assert count(client, n, **{"named-graph-uri": first}) == 0
    both = client.get("/sparql", query_string=[("query", n), ("default-graph-uri", first),
                                               ("default-graph-uri", second)],
                      headers={"Accept": "application/sparql-results+json"})
    merged = {(q.subject, q.predicate, q.object) for g in (first, second)
              for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))}
    assert int(both.json["results"]["bindings"][0]["n"]["value"]) == len(merged)


def test_relative_iris_resolve_against_the_endpoint(client) -> None:
    """Against the endpoint's IRI under the release's base (http://localhost:8080/sparql),
    whatever Host the request names: the same query means the same through every proxy."""
    for host in ("localhost", "example.org:8000"):
        response = client.get("/sparql", query_string={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                              headers={"Accept": "application/n-triples", "Host": host})
        assert response.data.startswith(b"<http://localhost:8080/s> <http://localhost:8080/p> ")


# -- limits ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def limited(default_build: Path):
    return create_app({"out": default_build, "rate_limit": 0, "max_rows": 5,
                       "max_query_length": 200}).test_client()


@pytest.mark.parametrize("media", [f.media_type for f in results_formats()])
def test_a_result_over_the_row_limit_is_cut_and_says_so(limited, media) -> None:
    response = get(limited, ALL, media)
    assert response.status_code == 200
    assert response.headers["X-Result-Truncated"] == "true"
    assert response.headers["X-Result-Limit"] == "5"
    if media == "text/csv":
        assert response.data.count(b"\r\n") == 6
        return
    rows = list(ox.parse_query_results(response.data, RESULTS[media].ox))
    assert len(rows) == 5
    if media == "application/sparql-results+json":
        body = json.loads(response.data)
        assert body["truncated"] is True and len(body["results"]["bindings"]) == 5


@pytest.mark.parametrize(("limit", "truncated"), [(4, False), (5, False), (6, True)])
def test_the_row_limit_counts_exactly(limited, limit, truncated) -> None:
    response = get(limited, f"{ALL} LIMIT {limit}", "application/sparql-results+json")
    assert ("X-Result-Truncated" in response.headers) is truncated
    assert ("truncated" in response.json) is truncated
    assert len(response.json["results"]["bindings"]) == min(limit, 5)


@pytest.mark.parametrize("media", [f.media_type for f in formats()])
def test_a_graph_over_the_row_limit_is_cut_and_says_so(limited, media) -> None:
    response = get(limited, TRIPLES, media)
    assert response.headers["X-Result-Truncated"] == "true"
    assert len(list(ox.parse(response.data, format=RDF[media].ox))) == 5


def test_a_query_over_the_length_limit_is_413(limited) -> None:
    long = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 200
    assert get(limited, long).status_code == 413
    assert limited.post("/sparql", data=long.encode(), headers={
        "Content-Type": "application/sparql-query"}).status_code == 413
    assert get(limited, "ASK {}").status_code == 200


def test_rate_limit_answers_429_with_retry_after(default_build: Path) -> None:
    client = create_app({"out": default_build, "rate_limit": 3, "rate_window": 60}).test_client()
    here = {"REMOTE_ADDR": "192.0.2.1"}
    answers = [client.get("/sparql", query_string={"query": "ASK {}"}, environ_base=here).status_code
               for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get("/sparql", query_string={"query": "ASK {}"}, environ_base=here)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 20
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    # Another client is not held back, and preflights are not counted.
    assert client.get("/sparql", query_string={"query": "ASK {}"},
                      environ_base={"REMOTE_ADDR": "192.0.2.2"}).status_code == 200
    assert client.options("/sparql", environ_base=here).status_code == 204


def test_rate_limiter_refills_one_request_per_interval() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 10, clock=lambda: now[0])
    assert [limiter.check("a"), limiter.check("a")] == [0, 0]
    assert limiter.check("a") == pytest.approx(5)
    now[0] = 5.0
    assert limiter.check("a") == 0
    assert limiter.check("a") == pytest.approx(5)
    assert RateLimiter(0, 10).check("a") == 0  # 0: off


@pytest.mark.parametrize(("name", "value"), [("max_rows", "-1"), ("rate_limit", "many"),
                                              ("rate_window", "0"), ("max_query_length", "1.5")])
def test_bad_limit_settings_fail_at_start_naming_the_setting(default_build: Path, name, value) -> None:
    with pytest.raises(SettingsError, match=name):
        create_app({"out": default_build, name: value})


def test_limits_are_read_from_the_environment(default_build: Path, monkeypatch) -> None:
    monkeypatch.setenv("CONFLICT_LD_MAX_ROWS", "2")
    client = create_app({"out": default_build, "rate_limit": 0}).test_client()
    assert get(client, ALL).headers["X-Result-Limit"] == "2"


# -- CORS, the service description, the query page -----------------------------------------


def test_preflight(client) -> None:
    response = client.options("/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "content-type"


@pytest.mark.parametrize("accept", [None, "text/turtle", "application/ld+json", "application/n-triples",
                                    "application/rdf+xml", "application/trig"])
def test_service_description(client, store, accept) -> None:
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    media = accept or "text/turtle"
    assert response.mimetype == media
    rdflib_format = next(f.rdflib for f in formats() if f.media_type == media)
    graph = Graph().parse(data=response.data, format=rdflib_format)
    service = URIRef("http://localhost/sparql")
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert {str(o) for o in graph.objects(service, SD.resultFormat)} == {
        f.w3c for f in (*formats(), *results_formats())}
    dataset = graph.value(service, SD.defaultDataset)
    default = graph.value(dataset, SD.defaultGraph)
    distinct = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, None)}
    assert int(graph.value(default, VOID.triples)) == len(distinct)
    names = {str(graph.value(n, SD.name)) for n in graph.objects(dataset, SD.namedGraph)}
    assert names == {r["g"].value for r in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert "union" in str(graph.value(service, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))


def test_browser_gets_the_query_page(client) -> None:
    response = client.get("/sparql", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<form method="get" action="/sparql"' in html and '<textarea id="query" name="query"' in html
    names = [example.name for example in examples()]
    assert len(names) == len(list((Path(__file__).parent.parent / "queries").glob("*.rq"))) > 0
    assert all(name in html for name in names)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_head_and_unacceptable_service_description(client) -> None:
    assert client.head("/sparql", headers={"Accept": "text/turtle"}).status_code == 200
    response = client.get("/sparql", headers={"Accept": "image/png"})
    assert response.status_code == 406 and "text/turtle" in response.get_data(as_text=True)


# Values that look like the row markers the limit counts, a value over the byte budget, and
# solutions with nothing bound: the count must stay exact whichever path it takes.
TRICKY = ["a,{", '[{"b', "{}", "<result>", "line\r\nbreak\n", "x" * 70_000, "plain"]
P = "<http://example.org/p>"
LIMITED_QUERIES = {  # query: its number of solutions
    f"SELECT ?o ?none WHERE {{ ?s {P} ?o OPTIONAL {{ ?s <http://example.org/q> ?none }} }} ORDER BY ?o": 7,
    f"SELECT ?o WHERE {{ ?s {P} ?o FILTER(STRLEN(?o) < 100) }} ORDER BY ?o": 6,
    f"SELECT ?none WHERE {{ ?s {P} ?o OPTIONAL {{ ?s <http://example.org/q> ?none }} }}": 7,
}


@pytest.fixture(scope="module")
def tricky_store() -> ox.Store:
    store = ox.Store()
    graph = ox.NamedNode("http://example.org/g")
    for number, value in enumerate(TRICKY):
        subject = ox.NamedNode(f"http://example.org/s{number}")
        store.add(ox.Quad(subject, ox.NamedNode("http://example.org/p"), ox.Literal(value), graph))
    materialise_union(store)
    return store


@pytest.mark.parametrize("query", list(LIMITED_QUERIES))
@pytest.mark.parametrize("media", [f.media_type for f in results_formats()])
@pytest.mark.parametrize("over", [-1, 0, 1, 3])
def test_row_limit_is_exact_on_values_that_look_like_rows(default_build, tricky_store, query, media, over):
    rows = LIMITED_QUERIES[query]
    limit = rows + over
    client = create_app({"out": default_build, "rate_limit": 0, "max_rows": limit},
                        backend=EmbeddedBackend(tricky_store)).test_client()
    response = get(client, query, media)
    assert response.status_code == 200
    fmt = RESULTS[media]
    if limit >= rows:
        assert "X-Result-Truncated" not in response.headers
        assert response.data == tricky_store.query(query).serialize(format=fmt.ox)
        return
    assert response.headers["X-Result-Truncated"] == "true"
    if media == "text/csv":
        lines = list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))
        assert len(lines) == limit + 1  # the header
    else:
        assert len(list(ox.parse_query_results(response.data, fmt.ox))) == limit


@pytest.mark.parametrize(("query", "limit", "again"), [
    (ALL + " LIMIT 3", 10, False),  # well under the limit: serialised once, directly
    (ALL + " LIMIT 11", 10, True),  # over it: run again through the exact path
])
def test_results_under_the_limit_are_serialised_once(store, query, limit, again) -> None:
    runs = []

    def run():
        runs.append(1)
        return store.query(query)

    json_format = next(f for f in results_formats() if f.name == "json")
    body, truncated = row_limit.solutions(run, store.query(query), json_format, limit)
    assert bool(runs) is again and truncated is again
    assert len(json.loads(body)["results"]["bindings"]) == min(limit, int(query.rsplit(" ", 1)[1]))
