"""The query page: ``/sparql`` in a browser is a YASGUI editor on this server's own endpoint,
with one tab per competency question (``queries/*.rq``, packaged as ``conflict_ld.queries``).

YASGUI's built files live in ``server/static/yasgui/`` (see its README) and are served from
``/assets/<stamp>/...``: the stamp is a hash of the shipped files, so a URL never changes
content and browsers may cache it for a year. Nothing on the page reaches another host: the
YASGUI features that would (prefix.cc, Linked Open Vocabularies autocompletion, CORS proxy,
URL shortener, endpoint catalogue) are switched off in ``static/query-page.js``. Without
JavaScript the page is a plain form that runs a query on the endpoint.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, Response, abort, send_file, url_for

from conflict_ld.formats import asset_media_types
from conflict_ld.resources import prefixes

from . import negotiation as neg
from .negotiation import HTML
from .site import Site

bp = Blueprint("query_page", __name__)

QUERIES_PACKAGE = "conflict_ld.queries"
YEAR = 365 * 24 * 3600
# What the shipped files are, by extension (the assets route serves nothing else).
QUESTION = re.compile(r"^\s*competency question:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    name: str  # the file's stem, the tab's name
    title: str  # the question, from the query's leading comment
    query: str


def _first_sentence(text: str) -> str:
    sentence = re.split(r"(?<=[.?!])\s", text, maxsplit=1)[0].strip()
    return sentence[:1].upper() + sentence[1:]


def _title(query: str, *, fallback: str) -> str:
    """The question a query answers: the first sentence of its leading ``#`` comment block."""
    lines = []
    for line in query.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    text = QUESTION.sub("", " ".join(lines))
    return _first_sentence(text) if text else fallback


@cache
def examples() -> tuple[Example, ...]:
    """The competency questions, in file-name order."""
    files = sorted((f for f in resources.files(QUERIES_PACKAGE).iterdir() if f.name.endswith(".rq")),
                   key=lambda f: f.name)
    found = []
    for file in files:
        name = file.name.removesuffix(".rq")
        query = file.read_text(encoding="utf-8")
        found.append(Example(name=name, title=_title(query, fallback=name.replace("_", " ")), query=query))
    return tuple(found)


def _static() -> Traversable:
    return resources.files(__package__).joinpath("static")


def _assets() -> dict[str, Traversable]:
    """Every file the assets route may serve, by its path under ``static/``."""
    found: dict[str, Traversable] = {}
    pending = [("", _static())]
    while pending:
        prefix, folder = pending.pop()
        for item in folder.iterdir():
            if item.is_dir():
                pending.append((f"{prefix}{item.name}/", item))
            elif any(item.name.endswith(ext) for ext in asset_media_types()):
                found[prefix + item.name] = item
    return found


@cache
def stamp() -> str:
    """A hash of the shipped assets: part of their URLs, so a cached URL never goes stale."""
    digest = hashlib.sha256()
    for path, item in sorted(_assets().items()):
        digest.update(path.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()[:12]


def yasgui_version() -> str:
    return _static().joinpath("yasgui", "VERSION").read_text(encoding="utf-8").strip()


@bp.get("/assets/<tag>/<path:filename>")
def asset(tag: str, filename: str) -> Response:
    item = _assets().get(filename) if tag == stamp() else None
    if item is None:
        abort(404)
    mimetype = asset_media_types()[filename[filename.rfind("."):]]
    # A package on disk (every normal install) is streamed from its file; one inside a zip
    # archive is read whole (a temporary copy could vanish before the response is sent).
    source = item if isinstance(item, Path) else io.BytesIO(item.read_bytes())
    response = send_file(source, mimetype=mimetype, max_age=YEAR, conditional=True,
                         etag=f"{tag}/{filename}", download_name=item.name)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


def _script_json(value: object) -> str:
    """JSON safe inside ``<script>``: no ``<`` at all, so no ``</script>`` or ``<!--``."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def render(site: Site) -> Response:
    """The query page for a browser's GET ``/sparql`` without a query."""
    endpoint = url_for("sparql.sparql")
    tag = stamp()
    asset_url = f"/assets/{tag}"
    items = "".join(
        f"<li><a href='{html.escape(endpoint + '?query=' + quote(e.query, safe=''))}'"
        f" data-example='{html.escape(e.name)}'>{html.escape(e.title)}</a></li>"
        for e in examples())
    formats = "".join(f"<option value='{html.escape(r.names[0])}'>{html.escape(r.media_type)}</option>"
                      for r in neg.results())
    names = [r.names[0].upper() for r in neg.results()]
    kinds = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)
    first = examples()[0].query if examples() else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    config = {
        "endpoint": endpoint,
        "examples": [{"name": e.name, "title": e.title, "query": e.query} for e in examples()],
        "prefixes": prefixes(),
    }
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SPARQL query · conflict-ld</title>
<link rel="stylesheet" href="{asset_url}/yasgui/yasgui.min.css">
<link rel="stylesheet" href="{asset_url}/query-page.css">
</head><body>
<header><a href="/">conflict-ld</a> · release {html.escape(site.version)}</header>
<main>
<h1>SPARQL query</h1>
<p>Ask the graph in SPARQL 1.1. The endpoint is <code>{html.escape(endpoint)}</code> (GET or POST,
results as {html.escape(kinds)}). Each tab below holds one of the competency questions the
graph is built to answer; run it with the ▶ button or Ctrl-Enter.</p>
<nav aria-label="Competency questions"><h2>Competency questions</h2><ol id="examples">{items}</ol></nav>
<noscript><form method="get" action="{html.escape(endpoint)}" class="plain">
<label for="query">Query</label>
<textarea id="query" name="query" rows="16" cols="100">{html.escape(first)}</textarea>
<label for="format">Results as</label> <select id="format" name="format">{formats}</select>
<button type="submit">Run query</button></form></noscript>
<div id="yasgui"></div>
</main>
<footer><p>Query editor: YASGUI {html.escape(yasgui_version())} (npm <code>@zazuko/yasgui</code>,
MIT licence), served from this server.</p></footer>
<script type="application/json" id="query-page-config">{_script_json(config)}</script>
<script src="{asset_url}/yasgui/yasgui.min.js"></script>
<script src="{asset_url}/query-page.js"></script>
</body></html>
"""
    response = Response(body, mimetype=HTML)
    return site.finish(response, tag=f"sparql-{tag}.html")
