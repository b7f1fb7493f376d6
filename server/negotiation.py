"""Content negotiation, one table: every representation a route offers, chosen by ``?format=``
(a format name, a file extension or a media type) or else by the Accept header's q-values.

The formats themselves come from ``conflict_ld/formats.toml``; this module only says which
of them a kind of resource offers and picks one for a request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from typing import Final

from flask import Request, Response
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from conflict_ld.formats import RdfFormat, ResultsFormat, formats, results_formats

HTML = "text/html"
MAX_CACHED_ACCEPT = 512  # characters; longer Accept headers are not remembered


class Missing(Enum):
    """``negotiate``'s ``wanted`` when the caller does not give it (None means no format)."""

    MISSING = "missing"


MISSING: Final = Missing.MISSING


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
              default: Representation | None = None, wanted: str | Missing | None = MISSING,
              words: Mapping[str, str] | None = None) -> Representation | None:
    """The representation to answer with, or None when nothing offered is acceptable.

    ``wanted`` (by default the request's ``?format=``: a name, an extension or a media type,
    first looked up in ``words``) wins over the Accept header's q-values; no Accept header at
    all gets ``default`` (the first offered if not given)."""
    if wanted is MISSING:
        wanted = request.args.get("format")
    if wanted:
        wanted = wanted.strip().lower()
        if words:
            wanted = words.get(wanted, wanted)
        return next((r for r in offered if wanted in r.names or wanted == r.media_type
                     or wanted in r.aliases), None)
    accept = request.headers.get("Accept")
    if not accept:
        return default or offered[0]
    reps: list[Representation] = []
    media: list[str] = []
    for rep in offered:
        for name in (rep.media_type, *rep.aliases):
            if name not in media:  # the first representation offering a media type answers for it
                media.append(name)
                reps.append(rep)
    index = best_match(accept, tuple(media))
    return reps[index] if index is not None else None


def best_match(accept: str, media: tuple[str, ...]) -> int | None:
    """Which of ``media`` the Accept header prefers (its index), None if none is acceptable.
    The answer depends on these two strings alone, so it is remembered: a server sees few
    distinct Accept headers, and parsing one is the costliest part of a small request. An
    unusually long header is parsed every time, so hostile headers cannot fill memory."""
    if len(accept) > MAX_CACHED_ACCEPT:
        return _best_match(accept, media)
    return _remembered_best_match(accept, media)


def _best_match(accept: str, media: tuple[str, ...]) -> int | None:
    best = parse_accept_header(accept, MIMEAccept).best_match(media)
    return media.index(best) if best else None


_remembered_best_match = lru_cache(maxsize=1024)(_best_match)


def not_acceptable(offered: Sequence[Representation]) -> Response:
    listing = ", ".join(r.media_type for r in offered)
    return Response(f"406 Not Acceptable: this resource is available as {listing}\n", 406,
                    mimetype="text/plain", headers={"Vary": "Accept"})
