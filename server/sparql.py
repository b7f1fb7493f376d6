"""The SPARQL 1.1 query endpoint, ``/sparql``."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from . import negotiation as neg
from . import query_page
from .backend import NotAcceptable, QueryError
from .site import current_site

bp = Blueprint("sparql", __name__)


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    query = request.values.get("query")
    if query is None and request.method in ("GET", "HEAD") and _wants_page():
        return query_page.render(current_site())
    if query is None:
        abort(400, "missing query parameter")
    results = neg.negotiate(request, neg.results(), default=neg.results()[0])
    graph = neg.negotiate(request, neg.graphs(), default=neg.graphs()[0])
    try:
        answer = current_site().backend.execute(
            query, results_format=results.fmt if results else None,  # type: ignore[arg-type]
            graph_format=graph.fmt if graph else None)  # type: ignore[arg-type]
    except NotAcceptable as error:
        offered = neg.graphs() if error.kind == "graph" else neg.results()
        return neg.not_acceptable(offered)
    except QueryError as error:
        return Response(f"{error}\n", error.status, mimetype="text/plain")
    return Response(answer.body, mimetype=answer.media_type)


def _wants_page() -> bool:
    """A browser: text/html preferred to every results format (``*/*`` alone is not a browser)."""
    results = [m for r in neg.results() for m in (r.media_type, *r.aliases)]
    page = [neg.PAGE.media_type, *neg.PAGE.aliases]
    return request.accept_mimetypes.best_match([*results, *page]) in page
