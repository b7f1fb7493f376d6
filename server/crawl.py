"""For crawlers: ``/robots.txt`` and ``/sitemap.xml`` (sitemaps.org 0.9).

The sitemap lists the home page, the dumps index and every entity's page
(``{base}page/{name}``) as absolute URLs under the base IRI, the dataset's public address
(a sitemap may only list URLs of the host it is served from, and that host is the base when
deployed). Above ``LIMIT`` URLs (the protocol's maximum, 50,000 a file) ``/sitemap.xml``
becomes a sitemap index of ``/sitemap-{n}.xml`` pages of at most ``LIMIT`` URLs each; the
app setting ``SITEMAP_URL_LIMIT`` lowers the limit (the tests page with a small one).

``robots.txt`` allows everything except ``/sparql``: a crawler following query links would
run arbitrary queries, the expensive part of the server, and everything they could find is
on the pages and in the dumps anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote
from xml.sax.saxutils import escape

from flask import Blueprint, Response, abort, current_app, request

from .site import SAFE, current_site

bp = Blueprint("crawl", __name__)

LIMIT = 50_000
XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# sitemaps.org asks for every data value entity-escaped, quotes too (names like As-Sa'iqa).
ENTITIES = {"'": "&apos;", '"': "&quot;"}


def page_count(total: int, limit: int) -> int:
    """How many sitemap files ``total`` URLs need (0: one plain sitemap, no index)."""
    return 0 if total <= limit else -(-total // limit)


def urls() -> list[str]:
    """The home page, the dumps index and every entity page, as absolute URLs in IRI order.
    Computed once per release an app serves (the store does not change under it)."""
    site = current_site()
    known = current_app.extensions.setdefault("conflict_ld.sitemap", {})
    if site.version not in known:
        known.clear()
        known[site.version] = _urls()
    return known[site.version]


def _urls() -> list[str]:
    site = current_site()
    prefix = f"{site.base}resource/"
    # Every entity has an rdfs:label (the shapes require one in English): far fewer triples
    # to scan than every subject (0.3 s against 5 s at 2.3 million quads).
    rows = site.backend.select(
        "SELECT DISTINCT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label "
        f'FILTER(STRSTARTS(STR(?e), "{prefix}")) }} ORDER BY ?e')
    # An IRI may hold non-ASCII characters; a sitemap URL must be percent-encoded (RFC 3986).
    pages = [f"{site.base}page/{quote(row['e'].value[len(prefix):], safe=SAFE + '%')}" for row in rows]
    return [site.base, f"{site.base}dumps/", *pages]


def _urlset(locations: Sequence[str], lastmod: str) -> str:
    entries = "".join(f"<url><loc>{escape(u, ENTITIES)}</loc><lastmod>{lastmod}</lastmod></url>\n"
                      for u in locations)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{XMLNS}">\n{entries}</urlset>\n'


def _xml(body: str) -> Response:
    site = current_site()
    response = Response(body, mimetype="application/xml")
    return site.finish(response, tag=f"sitemap-{request.path}")


def _limit() -> int:
    return int(current_app.config.get("SITEMAP_URL_LIMIT", LIMIT))


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    site = current_site()
    everything, limit = urls(), _limit()
    lastmod = site.published.strftime("%Y-%m-%d")
    pages = page_count(len(everything), limit)
    if not pages:
        return _xml(_urlset(everything, lastmod))
    entries = "".join(f"<sitemap><loc>{escape(f'{site.base}sitemap-{n}.xml', ENTITIES)}</loc>"
                      f"<lastmod>{lastmod}</lastmod></sitemap>\n" for n in range(1, pages + 1))
    return _xml(f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{XMLNS}">\n'
                f"{entries}</sitemapindex>\n")


@bp.get("/sitemap-<int:number>.xml")
def sitemap_page(number: int) -> Response:
    site = current_site()
    everything, limit = urls(), _limit()
    if not 1 <= number <= page_count(len(everything), limit):
        abort(404, "no such sitemap page")
    chunk = everything[(number - 1) * limit:number * limit]
    return _xml(_urlset(chunk, site.published.strftime("%Y-%m-%d")))


@bp.get("/robots.txt")
def robots() -> Response:
    site = current_site()
    body = ("# conflict-ld: crawl the pages and the dumps; /sparql runs arbitrary queries.\n"
            "User-agent: *\nDisallow: /sparql\nAllow: /\n\n"
            f"Sitemap: {site.base}sitemap.xml\n")
    response = Response(body, mimetype="text/plain")
    return site.finish(response, tag="robots.txt")
