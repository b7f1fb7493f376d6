"""The Flask app: ``create_app(settings)`` serves one build from an embedded Oxigraph store.

Routes: ``/`` (home), ``/sparql`` (SPARQL 1.1 query), ``/resource/{name}`` (303 See Other to
the data or the page, by Accept), ``/data/{name}[.ext]`` (the entity's description),
``/page/{name}`` (HTML).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from flask import Flask, Response, abort, redirect, request
from werkzeug.exceptions import HTTPException

from conflict_ld.formats import RdfFormat, formats
from conflict_ld.resources import prefixes

from .store import build_base_uri, describe_query, load_store, release_folder, release_stamp

HTML = "text/html"
_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


def create_app(settings: Mapping[str, Any]) -> Flask:
    """``settings["out"]``: the build folder; its IRIs' base comes from its build report."""
    folder = Path(settings["out"])
    store = load_store(folder)
    base = build_base_uri(folder)
    version, published = release_stamp(folder)
    cld = prefixes()["cld"]
    app = Flask(__name__)
    app.config.update(CONFLICT_LD_OUT=str(folder), CONFLICT_LD_BASE_URI=base)
    rdf_formats = {f.extension: f for f in formats()}
    by_media = {f.media_type: f for f in formats()}
    by_media["application/json"] = rdf_formats["jsonld"]

    def negotiate(choices: list[str], default: str) -> str | None:
        """The media type to answer with: ``?format=`` (an extension, a format name or a media
        type) overrides the Accept header's q-values; no Accept header gets the default."""
        wanted = request.args.get("format")
        if wanted:
            named = {f.name: f.media_type for f in formats()} | {
                f.extension: f.media_type for f in formats()} | {"html": HTML, "json": "application/json"}
            media = named.get(wanted, wanted)
            return media if media in choices else None
        if not request.headers.get("Accept"):
            return default
        return request.accept_mimetypes.best_match(choices)

    def not_acceptable(choices: list[str]) -> Response:
        return Response("406 Not Acceptable: this resource is available as " + ", ".join(choices) + "\n",
                        406, mimetype="text/plain", headers={"Vary": "Accept"})

    def finish(response: Response, *, tag: str, alternates: list[tuple[str, str]] = ()) -> Response:
        """Caching, CORS and links every document gets: an ETag of the release and the
        representation, Last-Modified of the release (304s follow from both), and Link
        headers naming the alternates and the dataset."""
        response.headers["Vary"] = "Accept"
        response.headers["Access-Control-Allow-Origin"] = "*"
        links = [f'<{url}>; rel="alternate"; type="{media}"' for url, media in alternates]
        links.append('</.well-known/void>; rel="http://rdfs.org/ns/void#inDataset"')
        response.headers["Link"] = ", ".join(links)
        response.set_etag(f"{version}-{tag}")
        response.last_modified = published
        return response.make_conditional(request)

    def alternates_of(name: str) -> list[tuple[str, str]]:
        safe = quote(name, safe=_SAFE)
        return [(f"/page/{safe}", HTML)] + [
            (f"/data/{safe}.{f.extension}", f.media_type) for f in formats() if not f.graphs]

    def entity_iri(name: str) -> str:
        return f"{base}resource/{quote(name, safe=_SAFE)}"

    def exists(iri: str) -> bool:
        return bool(store.query(f"ASK {{ <{iri}> ?p ?o }}", use_default_graph_as_union=True))

    @app.get("/")
    def home() -> Response:
        counts = store.query(
            "SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c } GROUP BY ?c ORDER BY ?c",
            use_default_graph_as_union=True,
        )
        rows = "".join(
            f"<tr><td>{html.escape(s['c'].value.removeprefix(cld))}</td><td>{s['n'].value}</td></tr>"
            for s in counts
        )
        return _page("conflict-ld", f"<p>Linked data on armed groups of the Syrian civil war. "
                     f"Query it at <a href='/sparql'>/sparql</a>.</p><table>{rows}</table>")

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql() -> Response:
        query = request.values.get("query")
        if query is None:
            abort(400, "missing query parameter")
        try:
            result = store.query(query, use_default_graph_as_union=True)
        except SyntaxError as error:
            return Response(f"SPARQL syntax error: {error}\n", 400, mimetype="text/plain")
        if isinstance(result, ox.QueryTriples):
            choice = negotiate([f.media_type for f in formats() if not f.graphs], "text/turtle")
            if choice is None:
                abort(406)
            fmt = by_media[choice]
            return Response(ox.serialize(result, format=fmt.ox), mimetype=fmt.media_type)
        choice = negotiate(list(_RESULTS), "application/sparql-results+json")
        if choice is None:
            abort(406)
        return Response(result.serialize(format=_RESULTS[choice]), mimetype=choice)

    @app.get("/resource/<path:name>")
    def resource(name: str) -> Response:
        if not exists(entity_iri(name)):
            abort(404)
        choices = [HTML, *(m for m, f in by_media.items() if not f.graphs)]
        choice = negotiate(choices, HTML)
        if choice is None:
            return not_acceptable(choices)
        target = f"/page/{quote(name, safe=_SAFE)}" if choice == HTML else (
            f"/data/{quote(name, safe=_SAFE)}.{by_media[choice].extension}"
        )
        response = redirect(target, 303)
        response.headers["Vary"] = "Accept"
        return response

    @app.get("/data/<path:name>")
    def data(name: str) -> Response:
        stem, _, ext = name.rpartition(".")
        fmt: RdfFormat | None = rdf_formats.get(ext) if stem else None
        negotiated = fmt is None or fmt.graphs
        if negotiated:
            stem = name
            choices = [m for m, f in by_media.items() if not f.graphs]
            choice = negotiate(choices, "text/turtle")
            if choice is None:
                return not_acceptable(choices)
            fmt = by_media[choice]
        assert fmt is not None
        iri = entity_iri(stem)
        if not exists(iri):
            abort(404)
        triples = store.query(describe_query(iri, cld=cld), use_default_graph_as_union=True)
        body = ox.serialize(triples, format=fmt.ox, prefixes=prefixes())
        response = Response(body, mimetype=fmt.media_type)
        if negotiated:
            response.headers["Content-Location"] = f"/data/{quote(stem, safe=_SAFE)}.{fmt.extension}"
        return finish(response, tag=f"{stem}.{fmt.extension}", alternates=alternates_of(stem))

    void_ttl = (release_folder(folder) / "void.ttl").read_bytes()

    @app.get("/.well-known/void")
    def void() -> Response:
        """The release's VoID and DCAT description (RFC 5785 / VoID's well-known location)."""
        choices = [m for m, f in by_media.items() if not f.graphs]
        choice = negotiate(choices, "text/turtle")
        if choice is None:
            return not_acceptable(choices)
        fmt = by_media[choice]
        body = void_ttl if fmt.name == "turtle" else ox.serialize(
            ox.parse(void_ttl, format=ox.RdfFormat.TURTLE), format=fmt.ox, prefixes=prefixes())
        return finish(Response(body, mimetype=fmt.media_type), tag=f"void.{fmt.extension}")

    @app.get("/page/<path:name>")
    def page(name: str) -> Response:
        iri = entity_iri(name)
        if not exists(iri):
            abort(404)
        response = _page(name.replace("_", " "), _entity_html(store, iri, cld=cld, base=base))
        return finish(response, tag=f"{name}.html", alternates=alternates_of(name))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        """Errors are negotiated too: a browser gets a page, a client gets plain text."""
        code = error.code or 500
        text = f"{code} {error.name}: {error.description}"
        if request.accept_mimetypes.best_match(["text/plain", HTML]) == HTML and "text/html" in (
            request.headers.get("Accept") or ""
        ):
            response = _page(f"{code} {error.name}", f"<p>{html.escape(error.description or '')}</p>"
                             "<p><a href='/'>Home</a></p>")
            response.status_code = code
        else:
            response = Response(text + "\n", code, mimetype="text/plain")
        response.headers["Vary"] = "Accept"
        return response

    return app


_SAFE = "_-.'(),!*~:@&+$;="


def _page(title: str, body: str) -> Response:
    return Response(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"{body}</body></html>",
        mimetype=HTML,
    )


def _entity_html(store: ox.Store, iri: str, *, cld: str, base: str) -> str:
    rows = store.query(
        f"""PREFIX cld: <{cld}> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?r ?class ?other ?otherLabel ?start ?end ?date ?evidence ?source WHERE {{
          ?r cld:subject|cld:object <{iri}> ; a ?class .
          FILTER(STRSTARTS(STR(?class), STR(cld:)))
          OPTIONAL {{ ?r cld:subject|cld:object ?other FILTER(?other != <{iri}>)
                     OPTIONAL {{ ?other rdfs:label ?otherLabel FILTER(LANG(?otherLabel) = "en") }} }}
          OPTIONAL {{ ?r cld:startDate ?start }} OPTIONAL {{ ?r cld:endDate ?end }}
          OPTIONAL {{ ?r cld:date ?date }}
          OPTIONAL {{ ?r prov:qualifiedDerivation ?a . ?a cld:evidence ?evidence ; prov:entity ?source }}
        }} ORDER BY ?class ?otherLabel""",
        use_default_graph_as_union=True,
    )
    out = []
    for row in rows:
        other = row["other"]
        label = row["otherLabel"].value if row["otherLabel"] else (other.value if other else "")
        link = (
            f"<a href='{html.escape(other.value.replace(base, '/', 1))}'>{html.escape(label)}</a>"
            if other is not None else ""
        )
        when = " – ".join(x.value for x in (row["start"], row["end"]) if x) or (
            row["date"].value if row["date"] else ""
        )
        evidence = html.escape(row["evidence"].value if row["evidence"] else "")
        kind = html.escape(row["class"].value.removeprefix(cld))
        out.append(f"<tr><td>{kind}</td><td>{link}</td><td>{html.escape(when)}</td>"
                   f"<td><q>{evidence}</q></td></tr>")
    header = "<tr><th>relation</th><th>with</th><th>when</th><th>evidence</th></tr>"
    return f"<table>{header}{''.join(out)}</table>"
