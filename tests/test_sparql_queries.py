"""Queries answered in front of Flask (server/sparql_queries.py) get the very answers the Flask
view gives (status, headers, body) for every kind of request, count against the same rate
limit, leave the service description to Flask, and turn a bug into a 500 that shows nothing."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from conflict_ld.server.app import create_app
from conflict_ld.server.sparql_queries import SparqlQueries
from flask import Flask
from werkzeug.test import Client

ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT ?p ?o { <http://localhost:8080/resource/Hamas> ?p ?o } LIMIT 3"
JSON = "application/sparql-results+json"


def _layer(app: Flask) -> SparqlQueries:
    layer = app.wsgi_app
    while not isinstance(layer, SparqlQueries):
        layer = layer.app  # type: ignore[attr-defined]
    return layer


@pytest.fixture
def app(default_build: Path) -> Flask:
    return create_app({"out": default_build, "rate_limit": 0, "max_query_length": 500})


REQUESTS = [
    ("GET", {"query": ASK}, {"Accept": JSON}, None),
    ("GET", {"query": SELECT}, {"Accept": "text/csv"}, None),
    ("GET", {"query": SELECT, "format": "xml"}, {}, None),
    ("GET", {"query": "DESCRIBE <http://localhost:8080/resource/Hamas>"}, {"Accept": "text/turtle"}, None),
    ("POST", {}, {"Content-Type": "application/x-www-form-urlencoded"}, "query=ASK%7B%7D"),
    ("POST", {}, {"Content-Type": "application/sparql-query", "Accept": JSON}, SELECT),
    ("POST", {}, {"Content-Type": "text/plain"}, ASK),  # 415
    ("POST", {}, {"Content-Type": "application/x-www-form-urlencoded"}, ""),  # no query: 400
    ("GET", {"query": "SELECT WHERE {"}, {}, None),  # 400
    ("GET", {"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}, {}, None),  # 403
    ("GET", {"query": "SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }"}, {}, None),  # 403
    ("GET", {"query": ASK}, {"Accept": "image/png"}, None),  # 406
    ("GET", {"query": "ASK {" + " " * 600 + "}"}, {}, None),  # 413
    ("GET", {"query": [ASK, ASK]}, {}, None),  # two queries: 400
]


@pytest.mark.parametrize(("method", "args", "headers", "body"), REQUESTS)
def test_the_same_answers_as_the_flask_view(app: Flask, method: str, args: dict, headers: dict,
                                            body: str | None) -> None:
    layer = _layer(app)
    in_front = Client(app.wsgi_app).open("/sparql", method=method, query_string=args, headers=headers,
                                          data=body)
    through_flask = Client(layer.app).open("/sparql", method=method, query_string=args, headers=headers,
                                           data=body)
    assert in_front.status == through_flask.status
    assert sorted(in_front.headers.items()) == sorted(through_flask.headers.items())
    assert in_front.get_data() == through_flask.get_data()


def test_queries_do_not_enter_flask_and_the_rest_does(app: Flask) -> None:
    layer = _layer(app)
    inner, seen = layer.app, []

    def counting(environ, start_response):
        seen.append((environ["REQUEST_METHOD"], environ.get("QUERY_STRING", "")))
        return inner(environ, start_response)

    layer.app = counting
    client = app.test_client()
    assert client.get("/sparql", query_string={"query": ASK}).status_code == 200
    assert client.post("/sparql", data={"query": ASK}).status_code == 200
    assert seen == []
    assert client.get("/sparql", headers={"Accept": "text/turtle"}).status_code == 200  # the description
    assert client.options("/sparql").status_code == 204
    assert client.head("/sparql", query_string={"query": ASK}).status_code == 200
    assert client.put("/sparql").status_code == 405
    assert [method for method, _ in seen] == ["GET", "OPTIONS", "HEAD", "PUT"]


def test_the_rate_limit_counts_every_request_once(default_build: Path) -> None:
    app = create_app({"out": default_build, "rate_limit": 3, "rate_window": 3600})
    client = app.test_client()
    statuses = [client.get("/sparql", query_string={"query": ASK}).status_code,
                client.get("/sparql", headers={"Accept": "text/turtle"}).status_code,  # via Flask
                client.post("/sparql", data={"query": ASK}).status_code,
                client.get("/sparql", query_string={"query": ASK}).status_code,
                client.get("/sparql", headers={"Accept": "text/turtle"}).status_code]
    assert statuses == [200, 200, 200, 429, 429]


def test_a_bug_is_a_500_that_shows_nothing_of_it(app: Flask, caplog) -> None:
    site = _layer(app).site

    class Broken:
        def execute(self, *args, **kwargs):
            raise RuntimeError("a secret path /etc/conflict-ld")

    real, site.backend = site.backend, Broken()
    try:
        with caplog.at_level(logging.ERROR, logger="conflict_ld.server"):
            answer = app.test_client().get("/sparql", query_string={"query": ASK})
    finally:
        site.backend = real
    assert answer.status_code == 500 and b"secret" not in answer.data and b"Traceback" not in answer.data
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "a secret path" in caplog.text  # the operator's log has it
