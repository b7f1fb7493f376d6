"""The Flask app: ``create_app(settings)`` serves the latest release of a build.

Blueprints: ``linked_data`` (home, ``/resource``, ``/data``, ``/page``, ``/.well-known/void``)
and ``sparql`` (``/sparql``). Every route reaches the release and its backend through
``current_site()``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from conflict_ld import settings as cfg
from conflict_ld.resources import prefixes

from . import linked_data, sparql
from .backend import QueryError
from .negotiation import HTML
from .pages import page
from .pool import open_backend
from .site import EXTENSION, Site
from .store import build_base_uri, release_stamp


def create_app(settings: Mapping[str, Any]) -> Flask:
    """``settings["out"]``: the build folder; its IRIs' base comes from its build report.
    Query processes, time limit and store: ``settings.QUERY_SETTINGS``, each from ``settings``,
    else the environment, else its default."""
    folder = Path(settings["out"])
    base = build_base_uri(folder)
    version, published = release_stamp(folder)
    options = cfg.resolve(list(cfg.QUERY_SETTINGS), {
        name: None if settings.get(name) is None else str(settings[name]) for name in cfg.QUERY_SETTINGS})
    backend = open_backend(folder, store=options["store"], workers=options["query_workers"],
                           timeout=options["query_timeout"], threshold=options["store_threshold"])
    site = Site(folder=folder, base=base, version=version, published=published,
                backend=backend, cld=prefixes()["cld"])
    app = Flask(__name__)
    app.config.update(CONFLICT_LD_OUT=str(folder), CONFLICT_LD_BASE_URI=base)
    app.extensions[EXTENSION] = site
    app.register_blueprint(linked_data.bp)
    app.register_blueprint(sparql.bp)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(QueryError, _query_error)
    return app


def _query_error(error: QueryError) -> Response:
    """A page's query stopped at the time limit (503) or refused: its status and message, never
    a 500 (the SPARQL endpoint answers its own)."""
    return Response(f"{error}\n", error.status, mimetype="text/plain", headers={"Vary": "Accept"})


def _http_error(error: HTTPException) -> Response:
    """Errors are negotiated too: a browser gets a page, a client gets plain text."""
    code = error.code or 500
    accept = request.headers.get("Accept") or ""
    if HTML in accept and request.accept_mimetypes.best_match(["text/plain", HTML]) == HTML:
        response = page(f"{code} {error.name}", f"<p>{html.escape(error.description or '')}</p>"
                        "<p><a href='/'>Home</a></p>", status=code)
    else:
        response = Response(f"{code} {error.name}: {error.description}\n", code, mimetype="text/plain")
    response.headers["Vary"] = "Accept"
    return response
