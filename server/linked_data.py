"""Dereferencing (Cool URIs): ``/resource/{name}`` answers 303 See Other to the page or the
data document the client accepts; ``/data/{name}[.ext]`` and ``/page/{name}`` are the
documents; ``/.well-known/void`` the release's description."""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, abort, redirect, request

from conflict_ld.resources import prefixes

from . import negotiation as neg
from .pages import entity_html, home_html, page
from .site import SAFE, current_site
from .store import describe_query

bp = Blueprint("linked_data", __name__)


def _alternates(name: str) -> list[tuple[str, str]]:
    safe = quote(name, safe=SAFE)
    return [(f"/page/{safe}", neg.HTML)] + [
        (f"/data/{safe}.{r.extension}", r.media_type) for r in neg.documents()]


@bp.get("/")
def home() -> Response:
    return page("conflict-ld", home_html(current_site()))


@bp.get("/resource/<path:name>")
def resource(name: str) -> Response:
    site = current_site()
    if not site.exists(site.entity_iri(name)):
        abort(404)
    offered = (neg.PAGE, *neg.documents())
    choice = neg.negotiate(request, offered, default=neg.PAGE)
    if choice is None:
        return neg.not_acceptable(offered)
    safe = quote(name, safe=SAFE)
    target = f"/page/{safe}" if choice is neg.PAGE else f"/data/{safe}.{choice.extension}"
    response = redirect(target, 303)
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/data/<path:name>")
def data(name: str) -> Response:
    site = current_site()
    stem, _, ext = name.rpartition(".")
    choice = next((r for r in neg.documents() if r.extension == ext), None) if stem else None
    negotiated = choice is None
    if negotiated:
        stem = name
        choice = neg.negotiate(request, neg.documents(), default=neg.documents()[0])
        if choice is None:
            return neg.not_acceptable(neg.documents())
    assert choice is not None and choice.fmt is not None
    iri = site.entity_iri(stem)
    if not site.exists(iri):
        abort(404)
    triples = site.backend.construct(describe_query(iri, cld=site.cld))
    body = ox.serialize(triples, format=choice.fmt.ox, prefixes=prefixes())
    response = Response(body, mimetype=choice.media_type)
    if negotiated:
        response.headers["Content-Location"] = f"/data/{quote(stem, safe=SAFE)}.{choice.extension}"
    return site.finish(response, tag=f"{stem}.{choice.extension}", alternates=_alternates(stem))


@bp.get("/.well-known/void")
def void() -> Response:
    """The release's VoID and DCAT description (RFC 5785 / VoID's well-known location)."""
    site = current_site()
    choice = neg.negotiate(request, neg.documents(), default=neg.documents()[0])
    if choice is None:
        return neg.not_acceptable(neg.documents())
    assert choice.fmt is not None
    void_ttl = (site.release / "void.ttl").read_bytes()
    body = void_ttl if choice.fmt.name == "turtle" else ox.serialize(
        ox.parse(void_ttl, format=ox.RdfFormat.TURTLE), format=choice.fmt.ox, prefixes=prefixes())
    return site.finish(Response(body, mimetype=choice.media_type), tag=f"void.{choice.extension}")


@bp.get("/page/<path:name>")
def entity_page(name: str) -> Response:
    site = current_site()
    iri = site.entity_iri(name)
    if not site.exists(iri):
        abort(404)
    response = page(name.replace("_", " "), entity_html(site, iri))
    return site.finish(response, tag=f"{name}.html", alternates=_alternates(name))
