"""Content negotiation, one table: every representation a route offers, chosen by ``?format=``
(a format name, a file extension or a media type) or else by the Accept header's q-values.

The formats themselves come from ``conflict_ld/formats.toml``; this module only says which
of them a kind of resource offers and picks one for a request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from flask import Request, Response

from conflict_ld.formats import RdfFormat, ResultsFormat, formats, results_formats

HTML = "text/html"


@dataclass(frozen=True)
class Representation:
    media_type: str
    names: tuple[str, ...]  # what ``?format=`` may say besides the media type
    aliases: tuple[str, ...] = ()
    fmt: RdfFormat | ResultsFormat | None = None  # None: the HTML page

    @property
    def extension(self) -> str:
        return self.fmt.extension if self.fmt is not None else "html"


PAGE = Representation(HTML, ("html", "htm"), ("application/xhtml+xml",))


def _rdf(fmt: RdfFormat) -> Representation:
    return Representation(fmt.media_type, (fmt.name, fmt.extension), fmt.aliases, fmt)


def _results(fmt: ResultsFormat) -> Representation:
    return Representation(fmt.media_type, (fmt.name, fmt.extension), fmt.aliases, fmt)


@cache
def documents() -> tuple[Representation, ...]:
    """A description of one thing: the RDF formats without named graphs."""
    return tuple(_rdf(f) for f in formats() if not f.graphs)


@cache
def graphs() -> tuple[Representation, ...]:
    """Any RDF: documents first, then the formats that carry named graphs."""
    return documents() + tuple(_rdf(f) for f in formats() if f.graphs)


@cache
def results() -> tuple[Representation, ...]:
    """SPARQL SELECT and ASK results."""
    return tuple(_results(f) for f in results_formats())


def negotiate(request: Request, offered: Sequence[Representation], *,
              default: Representation) -> Representation | None:
    """The representation to answer with, or None when nothing offered is acceptable.
    No Accept header at all gets ``default``."""
    wanted = request.args.get("format")
    if wanted:
        wanted = wanted.strip().lower()
        return next((r for r in offered if wanted in r.names or wanted == r.media_type
                     or wanted in r.aliases), None)
    if not request.headers.get("Accept"):
        return default
    by_media = {}
    for rep in offered:
        for media in (rep.media_type, *rep.aliases):
            by_media.setdefault(media, rep)
    best = request.accept_mimetypes.best_match(list(by_media))
    return by_media.get(best) if best else None


def not_acceptable(offered: Sequence[Representation]) -> Response:
    listing = ", ".join(r.media_type for r in offered)
    return Response(f"406 Not Acceptable: this resource is available as {listing}\n", 406,
                    mimetype="text/plain", headers={"Vary": "Accept"})
