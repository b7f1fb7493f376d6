"""The one table of what the release names under its base IRI, and how each kind is served.

Every IRI of the release dereferences through the same two steps (Cool URIs for the Semantic
Web): the thing's IRI (``/resource/X``, ``/relation/X``, ``/attestation/X``, ``/source/X``,
``/source/X/reference/N``) answers 303 See Other to a document chosen by the Accept header,
``/page/...`` (HTML) or ``/data/....{ttl,jsonld,nt,rdf}``; a named graph's IRI
(``/graph/X``) names a document, its content, so it answers directly with the negotiated
representation and a ``Content-Location``. Documents of entities keep their short paths
(``/page/{name}``, ``/data/{name}.ttl``); the others add the kind (``/page/relation/X``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from .description import Description
from .store import describe_query, graph_query
from .views import Renderer, entity_page, graph_page, thing_page

View = Callable[[Description, str, Renderer], object]


@dataclass(frozen=True)
class Kind:
    name: str
    prefix: str  # the IRI's path under the base: ``relation/``
    pattern: re.Pattern[str]  # what may follow the prefix
    doc_prefix: str  # the document paths under ``/page/`` and ``/data/``
    template: str  # the page's Jinja template
    view: View  # what the page shows, from the document's triples
    query: Callable[..., str] = describe_query  # (iri, *, cld) -> a CONSTRUCT query
    document: bool = False  # the IRI names a document: negotiated in place, no 303

    def matches(self, local: str) -> str | None:
        """The name after the prefix, when ``local`` (a path under the base) is of this kind."""
        if local.startswith(self.prefix) and self.pattern.fullmatch(local[len(self.prefix):]):
            return local[len(self.prefix):]
        return None


_ID = re.compile(r"[A-Za-z0-9_.\-]+")

KINDS: tuple[Kind, ...] = (
    Kind("relation", "relation/", _ID, "relation/", "thing.html", partial(thing_page, kind="relation")),
    Kind("attestation", "attestation/", _ID, "attestation/", "thing.html",
         partial(thing_page, kind="attestation")),
    Kind("reference", "source/", re.compile(r"[^/]+/reference/[0-9]+"), "source/", "thing.html",
         partial(thing_page, kind="reference")),
    Kind("source", "source/", re.compile(r"[^/]+"), "source/", "thing.html",
         partial(thing_page, kind="source")),
    Kind("graph", "graph/", re.compile(r"[^/]+"), "graph/", "graph.html", graph_page,
         query=lambda iri, *, cld: graph_query(iri), document=True),
    # Last: an entity's name is any Wikipedia-style title, its documents have no kind prefix.
    Kind("entity", "resource/", re.compile(r".+"), "", "entity.html", entity_page),
)

ENTITY = KINDS[-1]


def kind_of_iri_path(local: str) -> Kind | None:
    """The kind of the IRI ``{base}{local}``, or None when the release names nothing there."""
    return next((k for k in KINDS if k.matches(local) is not None), None)


def kind_of_document(path: str) -> tuple[Kind, str]:
    """The kind and IRI path (under the base) that a ``/page/`` or ``/data/`` path describes.
    A path starting with another kind's prefix is that kind; anything else names an entity
    (an entity whose name starts with ``relation/`` could not have documents: none does)."""
    for kind in KINDS[:-1]:
        if path.startswith(kind.doc_prefix) and kind.matches(kind.prefix + path[len(kind.doc_prefix):]):
            return kind, kind.prefix + path[len(kind.doc_prefix):]
    return ENTITY, ENTITY.prefix + path


def document_path(kind: Kind, local: str) -> str:
    """The path, under ``/page/`` and ``/data/``, of the documents about ``{base}{local}``."""
    return kind.doc_prefix + local[len(kind.prefix):]
