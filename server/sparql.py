"""The SPARQL 1.1 query endpoint, ``/sparql`` (SPARQL 1.1 Protocol, query operation).

A request is read (``sparql_request``), limited (``limits``), inspected before it runs
(``sparql_inspect``: SERVICE and updates are refused), then answered by the site's backend in
the negotiated format. Without a query, ``GET /sparql`` is the service description, or the
query page for a browser.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, Response, current_app, request
from werkzeug.wrappers import Request

from . import negotiation as neg
from . import query_page, service_description
from .backend import Answer, NotAcceptable, QueryError, QuerySyntaxError
from .limits import EXTENSION, SparqlLimits
from .negotiation import Representation
from .site import Site, current_site
from .sparql_inspect import is_update, uses_service
from .sparql_request import ProtocolError, QueryRequest, read

bp = Blueprint("sparql", __name__)
PATH = "/sparql"
METHODS = "GET, HEAD, POST, OPTIONS"
# ``format=`` words a client (SPARQLWrapper) uses for a results format and, for a CONSTRUCT or
# DESCRIBE, means the RDF format of the same family.
GRAPH_WORDS = {"json": "jsonld", "json-ld": "jsonld", "xml": "rdfxml", "rdf+xml": "rdfxml"}


def limits() -> SparqlLimits:
    return current_app.extensions[EXTENSION]


@bp.route(PATH, methods=["GET", "POST", "OPTIONS"], provide_automatic_options=False)
def sparql() -> Response:
    if request.method == "OPTIONS":
        return _preflight()
    config = limits()
    answered = answer_query(request, site=current_site(), config=config)
    if isinstance(answered, Response):
        return answered
    return _limited(request, config) or _describe(answered.format)


def answer_query(req: Request, *, site: Site, config: SparqlLimits) -> Response | QueryRequest:
    """The endpoint's answer to ``req`` (a werkzeug request: no Flask globals here, so the
    ``sparql_queries`` layer can call it outside Flask), or, for a GET without a query, what
    was read (the service description or the query page: the Flask view's to render, and to
    count against the rate limit)."""
    try:
        asked = read(req, max_length=config.max_query_length)
    except ProtocolError as error:
        return _limited(req, config) or _text(error.status, str(error))
    if asked.query is None and req.method != "POST":
        return asked
    limited = _limited(req, config)
    if limited is not None:
        return limited
    if asked.query is None:
        return _text(400, "no query: send query=... or an application/sparql-query body")
    if uses_service(asked.query):
        return _text(403, "SERVICE is not allowed: this endpoint makes no requests to other endpoints")
    results = neg.negotiate(req, neg.results(), wanted=asked.format)
    graph = neg.negotiate(req, neg.graphs(), wanted=asked.format, words=GRAPH_WORDS)
    try:
        answer = site.backend.execute(
            asked.query, results_format=results.fmt if results else None,  # type: ignore[arg-type]
            graph_format=graph.fmt if graph else None,  # type: ignore[arg-type]
            default_graphs=asked.default_graphs, named_graphs=asked.named_graphs,
            # The endpoint's IRI under the release's base, not the request's Host header: the
            # same query resolves its relative IRIs the same way through every proxy.
            max_rows=config.max_rows or None, base_iri=site.base + PATH.lstrip("/"))
    except NotAcceptable as error:
        return _not_acceptable(neg.graphs() if error.kind == "graph" else neg.results(), error.kind)
    except QuerySyntaxError as error:
        if is_update(asked.query):
            return _text(403, "this endpoint is read-only: SPARQL Update is not accepted "
                         "(INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD)")
        return _text(400, str(error))
    except QueryError as error:
        return _text(error.status, str(error))
    return _answer(answer, config.max_rows)


def _limited(req: Request, config: SparqlLimits) -> Response | None:
    """Count the request against its client's allowance: None, or the 429 past it."""
    wait = config.limiter.check(req.remote_addr or "")
    if not wait:
        return None
    return _text(429, f"too many requests: at most {config.limiter.limit} per "
                 f"{config.limiter.window:g} s from one client; retry later",
                 {"Retry-After": config.limiter.retry_after(wait)})


def _answer(answer: Answer, max_rows: int) -> Response:
    body = answer.body
    response = Response(mimetype=answer.media_type)
    if answer.truncated:
        if answer.media_type == "application/sparql-results+json":
            body = b'{"truncated":true,' + body[1:]  # Oxigraph writes '{"head":...'
        response.headers["X-Result-Truncated"] = "true"
        response.headers["X-Result-Limit"] = str(max_rows)
    response.set_data(body)
    response.headers["Vary"] = "Accept"
    return response


def _describe(wanted: str | None) -> Response:
    """The service description (RDF), or the query page for a browser (a client that prefers
    HTML; ``*/*`` alone gets the description)."""
    offered = (*neg.graphs(), neg.PAGE)
    choice = neg.negotiate(request, offered, default=neg.graphs()[0], wanted=wanted, words=GRAPH_WORDS)
    if choice is None:
        return _not_acceptable(offered, "service description")
    site = current_site()
    if choice.fmt is None:
        response = query_page.render(site)
    else:
        config = limits()
        rate = (f"at most {config.limiter.limit} requests per {config.limiter.window:g} s per client"
                if config.limiter.limit else "no rate limit")
        triples = service_description.describe(
            site, request.base_url, sizes=service_description.graph_sizes(site, config.cache),
            max_rows=config.max_rows, max_query_length=config.max_query_length, rate=rate)
        response = Response(service_description.serialize(triples, choice.fmt.ox),  # type: ignore[arg-type]
                            mimetype=choice.media_type)
    response.headers["Vary"] = "Accept"
    return response


def _not_acceptable(offered: Sequence[Representation], kind: str) -> Response:
    listing = ", ".join(r.media_type for r in offered)
    return _text(406, f"406 Not Acceptable: a {kind} result is available as {listing} "
                 "(Accept, or format= with a name such as json, xml, csv, tsv, turtle, jsonld)")


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    response = Response(message.rstrip("\n") + "\n", status, mimetype="text/plain", headers=headers)
    response.headers["Vary"] = "Accept"
    return response


def _preflight() -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = METHODS
    response.headers["Access-Control-Allow-Headers"] = (
        request.headers.get("Access-Control-Request-Headers") or "Accept, Content-Type")
    response.headers["Access-Control-Max-Age"] = "86400"
    response.headers["Allow"] = METHODS
    return response


@bp.after_app_request
def _cors(response: Response) -> Response:
    return cors(response) if request.path == PATH else response


def cors(response: Response) -> Response:
    """Every answer of the endpoint, errors and 405s included, may be read from any origin."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "X-Result-Truncated, X-Result-Limit, Retry-After"
    return response
