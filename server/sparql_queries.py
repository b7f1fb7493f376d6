"""Queries to ``/sparql`` answered in front of Flask: the same ``sparql.answer_query`` the Flask
view calls, on a plain werkzeug request. Flask's request handling (contexts, routing, signals,
response processing) cost a third of the server's own work per point lookup, more than the
query (measured: 0.32-0.36 ms of CPU through Flask, 0.22 ms without it, 0.15 ms of it the
query). Everything else, the service description, the query page, OPTIONS, HEAD and the
405s, goes on to Flask."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from werkzeug.exceptions import InternalServerError
from werkzeug.wrappers import Request, Response

from .limits import SparqlLimits
from .site import Site
from .sparql import PATH, answer_query, cors
from .wsgi import Environ, StartResponse, WSGIApp

LOG = logging.getLogger("conflict_ld.server")


class SparqlQueries:
    def __init__(self, app: WSGIApp, *, site: Site, config: SparqlLimits) -> None:
        self.app = app
        self.site = site
        self.config = config

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") not in ("GET", "POST"):
            return self.app(environ, start_response)
        request = Request(environ)
        try:
            answered = answer_query(request, site=self.site, config=self.config)
        except Exception:  # a bug: logged, and a 500 that shows nothing of it
            LOG.exception("error answering %s %s", request.method, request.full_path)
            error = InternalServerError()
            answered = Response(f"500 {error.name}: {error.description}\n", 500, mimetype="text/plain")
        if not isinstance(answered, Response):
            return self.app(environ, start_response)  # no query: Flask renders the description
        return cors(answered)(environ, start_response)
