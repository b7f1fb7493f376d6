"""Dereferencing every IRI of the release (Cool URIs), one mechanism for every kind.

A thing's IRI (``/resource/X``, ``/relation/X``, ``/attestation/X``, ``/source/X``,
``/source/X/reference/N``) answers 303 See Other to ``/page/...`` or ``/data/....{ext}`` by
the Accept header's q-values (``Vary: Accept``); a named graph's IRI (``/graph/X``) is a
document and answers in place. The table of kinds is ``kinds.KINDS``. Besides: the home page,
per-class indexes (``/class/{Class}?page=N``), the ontology (``/ontology``; its terms
``https://w3id.org/conflict-ld/ontology#T`` are documented at ``/ontology#T``) and
``/.well-known/void``.
"""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, abort, redirect, request

from conflict_ld.resources import prefixes

from . import negotiation as neg
from .description import Description, stable_blank_nodes
from .kinds import ENTITY, KINDS, Kind, document_path, kind_of_document, kind_of_iri_path
from .pages import Alternate, render, summary, value_html, vocabulary
from .response_cache import cacheable
from .site import SAFE, Site, current_site
from .views import Renderer, ontology_page

bp = Blueprint("linked_data", __name__)
bp.add_app_template_global(value_html, "value")

CLASS_PAGE_SIZE = 500  # entities on one page of a class index
HOME_INDEX_LIMIT = 1000  # up to this many entities, the home page lists them all
DESCRIPTION = ("Relations between armed groups, states, people, places and conflicts of the Syrian "
               "civil war, read from encyclopedia articles and published as linked data.")


def _iri(site: Site, kind: Kind, local: str) -> str:
    """The IRI of ``{base}{local}`` as minted: an entity's name is one path segment."""
    name = local[len(kind.prefix):]
    return site.base + kind.prefix + quote(name, safe=SAFE if kind is ENTITY else SAFE + "/")


def _alternates(kind: Kind, local: str) -> list[Alternate]:
    path = quote(document_path(kind, local), safe=SAFE + "/")
    return [Alternate(f"/page/{path}", neg.HTML, "HTML")] + [
        Alternate(f"/data/{path}.{r.extension}", r.media_type, r.fmt.name if r.fmt else r.extension)
        for r in neg.documents()]


def _finish(site: Site, response: Response, *, tag: str, alternates: list[Alternate] = ()) -> Response:
    """``site.finish`` plus a link from every document to the ontology its terms come from."""
    response = site.finish(response, tag=tag, alternates=[(a.href, a.media_type) for a in alternates])
    response.headers["Link"] += f', </ontology>; rel="describedby"; anchor="{site.cld}"'
    return response


# -- things and their documents --------------------------------------------------------------


def dereference(prefix: str, name: str) -> Response:
    site = current_site()
    local = prefix + name
    kind = kind_of_iri_path(local)
    if kind is None:
        abort(404)
    if kind.document:
        return _document(kind, local, negotiated=True)
    if not site.exists(_iri(site, kind, local)):
        abort(404)
    offered = (neg.PAGE, *neg.documents())
    choice = neg.negotiate(request, offered, default=neg.PAGE)
    if choice is None:
        return neg.not_acceptable(offered)
    path = quote(document_path(kind, local), safe=SAFE + "/")
    target = f"/page/{path}" if choice is neg.PAGE else f"/data/{path}.{choice.extension}"
    response = redirect(target, 303)
    response.headers["Vary"] = "Accept"
    cacheable(by_accept=True)
    return response


for _prefix in dict.fromkeys(k.prefix for k in KINDS):
    bp.add_url_rule(f"/{_prefix}<path:name>", f"iri_{_prefix.strip('/')}", dereference,
                    defaults={"prefix": _prefix})


@bp.get("/data/<path:name>")
def data(name: str) -> Response:
    stem, _, ext = name.rpartition(".")
    choice = next((r for r in neg.documents() if r.extension == ext), None) if stem else None
    if choice is None:
        kind, local = kind_of_document(name)
        return _document(kind, local, negotiated=True, offered=neg.documents())
    kind, local = kind_of_document(stem)
    return _document(kind, local, choice=choice)


@bp.get("/page/<path:name>")
def page(name: str) -> Response:
    kind, local = kind_of_document(name)
    return _document(kind, local, choice=neg.PAGE)


def _document(kind: Kind, local: str, *, choice: neg.Representation | None = None,
              negotiated: bool = False, offered: tuple[neg.Representation, ...] | None = None) -> Response:
    """One representation of what ``{base}{local}`` names: the data document (one CONSTRUCT)
    or the page rendered from the same triples."""
    site = current_site()
    if choice is None:
        offered = offered or (neg.PAGE, *neg.documents())
        choice = neg.negotiate(request, offered, default=offered[0])
        if choice is None:
            return neg.not_acceptable(offered)
    alternates = _alternates(kind, local)
    iri = _iri(site, kind, local)
    # Sorted, blank nodes named by position: the store's order and blank node labels change
    # from one process to the next, and a document must be the same bytes under the same
    # ETag after a restart.
    triples = stable_blank_nodes(site.backend.construct(kind.query(iri, cld=site.cld)))
    if not triples or (not kind.document and not any(t.subject.value == iri for t in triples)):
        abort(404)
    if choice is neg.PAGE:
        response = render_page(kind, iri, triples, alternates=alternates)
    else:
        assert choice.fmt is not None
        response = Response(ox.serialize(triples, format=choice.fmt.ox, prefixes=prefixes()),
                            mimetype=choice.media_type)
    cacheable(by_accept=negotiated)
    if negotiated:
        response.headers["Content-Location"] = next(
            a.href for a in alternates if a.media_type == choice.media_type)
    return _finish(site, response, tag=f"{local}.{choice.extension}", alternates=alternates)


def render_page(kind: Kind, iri: str, triples: list[ox.Triple], *, alternates: list[Alternate]) -> Response:
    """The HTML page of ``iri`` from its document's triples (no query)."""
    d = Description(triples)
    view = kind.view(d, iri, Renderer(d, vocabulary(), current_site().local_path))
    return render(kind.template, title=getattr(view, "title", iri), iri=iri, kind=kind.name,
                  view=view, alternates=alternates, jsonld=getattr(view, "jsonld", None))


# -- home, class indexes, ontology, VoID ------------------------------------------------------


@bp.get("/")
def home() -> Response:
    site, release = current_site(), summary()
    members: dict[str, list] = {}
    if release.entities <= HOME_INDEX_LIMIT:
        rows = site.backend.select(_members_query(site, sorted(release.by_class)))
        # Sorted here as well: Virtuoso does not keep the query's order across several classes.
        rows.sort(key=lambda r: (r["c"].value, r["key"].value if "key" in r else "", r["e"].value))
        for row in rows:
            members.setdefault(row["c"].value, []).append(_member(site, row))
    voc = vocabulary()
    classes = [{"name": c, "label": voc.term_name(site.cld + c), "count": n, "href": f"/class/{c}",
                "members": members.get(site.cld + c, [])} for c, n in sorted(release.by_class.items())]
    files = [{"name": p.name, "href": f"/dumps/{site.version}/{p.name}"}
             for p in sorted(site.release.iterdir()) if p.is_file()]
    response = render("home.html", title="conflict-ld: armed groups of the Syrian civil war",
                      description=DESCRIPTION, counts=release, classes=classes, files=files,
                      version=site.version, published=site.published.date().isoformat())
    cacheable(by_accept=False)
    return _finish(site, response, tag="home.html")


def _members_query(site: Site, classes: list[str], *, limit: int | None = None, offset: int = 0) -> str:
    """Entities by their asserted class (as the build report counts them: a coalition is listed
    under Coalition, not again under ArmedGroup, its entailed super-class)."""
    values = " ".join(f"<{site.cld}{c}>" for c in classes)
    page = f"LIMIT {limit} OFFSET {offset}" if limit is not None else ""
    # The grouping sits in a sub-query so the ordering names a plain variable: Virtuoso refuses
    # an ORDER BY over an aggregate's alias in the same query.
    return f"""SELECT ?c ?e ?label ?key WHERE {{ {{
      SELECT ?c ?e (SAMPLE(?l) AS ?label) (LCASE(STR(SAMPLE(?l))) AS ?key) WHERE {{
        VALUES ?c {{ {values} }} GRAPH <{site.base}graph/entities> {{ ?e a ?c }}
        OPTIONAL {{ ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANGMATCHES(LANG(?l), "en")) }}
      }} GROUP BY ?c ?e }} }} ORDER BY ?c ?key ?e {page}"""


def _member(site: Site, row: dict) -> dict:
    iri = row["e"].value
    return {"href": site.local_path(iri) or iri,
            "text": row["label"].value if "label" in row else iri.rsplit("/", 1)[-1].replace("_", " ")}


@bp.get("/class/<name>")
def class_index(name: str) -> Response:
    """One class's entities by name, ``CLASS_PAGE_SIZE`` a page, so an index stays one cheap
    query at any size; the home page links every class."""
    site = current_site()
    by_class = summary().by_class
    if name not in by_class:
        abort(404, f"no entity class {name!r} in this release")
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        abort(400, "page must be a number")
    pages = max(1, -(-by_class[name] // CLASS_PAGE_SIZE))
    if not 1 <= number <= pages:
        abort(404, f"page {number} is out of range 1..{pages}")
    rows = site.backend.select(_members_query(site, [name], limit=CLASS_PAGE_SIZE,
                                              offset=(number - 1) * CLASS_PAGE_SIZE))
    response = render("class.html", title=vocabulary().term_name(site.cld + name), count=by_class[name],
                      class_name=f"cld:{name}", class_href=f"/ontology#{name}", page=number, pages=pages,
                      members=[_member(site, r) for r in rows])
    cacheable(by_accept=False)
    return _finish(site, response, tag=f"class-{name}-{number}.html")


@bp.get("/ontology")
@bp.get("/ontology.<ext>")
def ontology(ext: str | None = None) -> Response:
    """The ontology, a document: negotiated in place (HTML by default), or one format by its
    extension. ``https://w3id.org/conflict-ld/ontology`` redirects here."""
    site = current_site()
    offered = (neg.PAGE, *neg.documents())
    if ext is None:
        choice = neg.negotiate(request, offered, default=neg.PAGE)
        if choice is None:
            return neg.not_acceptable(offered)
    else:
        choice = next((r for r in offered if r.extension == ext), None)
        if choice is None:
            abort(404)
    alternates = [Alternate("/ontology.html", neg.HTML, "HTML")] + [
        Alternate(f"/ontology.{r.extension}", r.media_type, r.fmt.name if r.fmt else r.extension)
        for r in neg.documents()]
    voc = vocabulary()
    ontology_iri = site.cld.rstrip("#/")
    if choice is neg.PAGE:
        renderer = Renderer(voc.ontology, voc, site.local_path)
        node = ox.NamedNode(ontology_iri)
        response = render("ontology.html", title=voc.ontology.label(node) or "Ontology", iri=ontology_iri,
                          namespace=site.cld, comment=voc.ontology.text(node, "http://purl.org/dc/terms/description"),
                          sections=ontology_page(voc, renderer), alternates=alternates)
    else:
        assert choice.fmt is not None
        # Turtle is the release's file as published; the others serialise the same graph as
        # the store holds it, so blank nodes keep their labels from one request to the next.
        body = (site.release / "ontology.ttl").read_bytes() if choice.fmt.name == "turtle" else (
            ox.serialize(voc.triples, format=choice.fmt.ox, prefixes=prefixes()))
        response = Response(body, mimetype=choice.media_type)
    cacheable(by_accept=ext is None)
    if ext is None:
        response.headers["Content-Location"] = f"/ontology.{choice.extension}"
    return _finish(site, response, tag=f"ontology.{choice.extension}", alternates=alternates)


@bp.get("/dataset")
@bp.get("/dataset/class/<name>")
def dataset(name: str | None = None) -> Response:
    """The VoID IRIs of the dataset and its class partitions: 303 to the home page or a class
    index for browsers, to the VoID description for data clients."""
    if name is not None and name not in summary().by_class:
        abort(404, f"no entity class {name!r} in this release")
    offered = (neg.PAGE, *neg.documents())
    choice = neg.negotiate(request, offered, default=neg.PAGE)
    if choice is None:
        return neg.not_acceptable(offered)
    if choice is neg.PAGE:
        target = f"/class/{quote(name, safe=SAFE)}" if name is not None else "/"
    else:
        target = f"/.well-known/void?format={choice.extension}"
    response = redirect(target, 303)
    response.headers["Vary"] = "Accept"
    return response


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
