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

from . import crawl, dumps, linked_data, query_page, sparql
from .backend import Backend, QueryError, QuerySyntaxError
from .limits import EXTENSION as SPARQL_EXTENSION
from .limits import SparqlLimits
from .negotiation import HTML
from .pages import page, prepare_pages
from .pool import open_backend
from .response_cache import ResponseCache
from .site import EXTENSION, Site
from .sparql_queries import SparqlQueries
from .store import build_base_uri, release_graphs, release_stamp
from .whole_bodies import WholeBodies


def check_settings(settings: Mapping[str, Any]) -> str:
    """What ``create_app`` checks before it starts anything (the release is there, every
    setting valid, else an error naming it); the release's base IRI."""
    folder, base, _ = _resolved(settings)
    release_stamp(folder)
    return base


def _resolved(settings: Mapping[str, Any]) -> tuple[Path, str, dict[str, Any]]:
    folder = Path(settings["out"])
    base = build_base_uri(folder)
    # Every app setting once: a value given here wins over the environment over the default,
    # and a bad one fails now with the setting's name.
    values = cfg.resolve(list(cfg.APP), {name: None if settings.get(name) is None else str(settings[name])
                                         for name in cfg.APP})
    return folder, base, values


def create_app(settings: Mapping[str, Any], *, backend: Backend | None = None,
               rate_table: Path | None = None) -> Flask:
    """``settings["out"]``: the build folder; its IRIs' base comes from its build report.
    The SPARQL limits (``cfg.SPARQL_LIMITS``) and the query processes (``cfg.QUERY_SETTINGS``)
    come from ``settings``, else the environment, else their defaults. ``settings["store"]``
    (optional): a SPARQL endpoint to send every query to instead of the embedded store.
    ``backend``: answer from it instead (tests serve other data this way). ``rate_table``: a
    file the SPARQL rate limit keeps its counts in, shared by every server process that names
    it (default: in this process's memory)."""
    folder, base, values = _resolved(settings)
    version, published = release_stamp(folder)
    sparql_limits = SparqlLimits.from_settings(values, shared=rate_table)
    site = Site(folder=folder, base=base, version=version, published=published,
                backend=backend if backend is not None else _backend(values, folder),
                cld=prefixes()["cld"])
    app = Flask(__name__, static_folder=None)  # assets: query_page.asset (stamped URLs)
    app.config.update(CONFLICT_LD_OUT=str(folder), CONFLICT_LD_BASE_URI=base)
    app.extensions[EXTENSION] = site
    app.extensions[SPARQL_EXTENSION] = sparql_limits
    prepare_pages(app, site)
    app.wsgi_app = WholeBodies(  # type: ignore[method-assign]
        SparqlQueries(ResponseCache(app.wsgi_app, max_bytes=values["document_cache"] * 2**20),
                      site=site, config=sparql_limits))
    app.register_blueprint(linked_data.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(query_page.bp)
    app.register_blueprint(dumps.bp)
    app.register_blueprint(crawl.bp)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(QueryError, _query_error)
    return app


def _backend(values: Mapping[str, Any], folder: Path) -> Backend:
    """The remote store the settings name (the release folder is still read for the base IRI,
    the version and the VoID), or the embedded one in query processes."""
    if values["store"]:
        from .remote import RemoteBackend

        return RemoteBackend(values["store"], default_graph=values["store_graph"],
                             named_graphs=release_graphs(folder), timeout=values["store_timeout"])
    return open_backend(folder, store=values["store_mode"], workers=values["query_workers"],
                        timeout=values["query_timeout"], threshold=values["store_threshold"])


def _query_error(error: QueryError) -> Response:
    """A page's query that failed (the remote store down or slow): its status, not a 500.
    The endpoint answers its clients' queries itself, so a query that reaches here is the
    server's own: a store that rejects it is a bad gateway, never the client's 400."""
    http_error = HTTPException(str(error))
    http_error.code = 502 if isinstance(error, QuerySyntaxError) else error.status
    return _http_error(http_error)
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
