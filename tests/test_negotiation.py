"""Content negotiation's remembered choices (``negotiation.best_match``) must be the choices
Werkzeug makes afresh for every request: the memo's key holds the Accept header and the
offered media types in their order, everything the choice depends on."""

from __future__ import annotations

import pytest
from conflict_ld.server import negotiation as neg
from flask import Flask, request

APP = Flask(__name__)
ACCEPTS = [
    "*/*",
    "text/html",
    "text/turtle",
    "application/json",
    "application/ld+json;q=0.9, text/turtle;q=0.8",
    "text/turtle;q=0.5, application/sparql-results+json",
    "application/sparql-results+xml;q=0.1, application/rdf+xml;q=0.2",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "application/*;q=0.5, text/plain",
    "text/*",
    "image/png",
    "application/n-triples;q=0, */*;q=0.1",
]
OFFERS = {
    "results": neg.results(),
    "graphs": neg.graphs(),
    "documents": neg.documents(),
    "page first": (neg.PAGE, *neg.documents()),
    "page last": (*neg.graphs(), neg.PAGE),
    "reversed": tuple(reversed(neg.graphs())),
}


def fresh(accept: str, offered: tuple[neg.Representation, ...]) -> neg.Representation | None:
    """Werkzeug's choice, parsed from the request itself with nothing remembered."""

    by_media: dict[str, neg.Representation] = {}
    for rep in offered:
        for media in (rep.media_type, *rep.aliases):
            by_media.setdefault(media, rep)
    best = request.accept_mimetypes.best_match(list(by_media))
    return by_media.get(best) if best else None


@pytest.mark.parametrize("accept", ACCEPTS)
def test_remembered_choice_is_werkzeugs_for_every_offer(accept: str) -> None:
    # The offers one after another under the same header: a memo keyed on the header alone
    # would answer the second offer with the first one's choice.
    for name, offered in [*OFFERS.items(), *reversed(OFFERS.items())]:
        with APP.test_request_context(headers={"Accept": accept}):

            assert neg.negotiate(request, offered, default=offered[0]) == fresh(accept, offered), name


def test_the_order_of_the_offer_is_part_of_the_choice() -> None:
    first, second = neg.graphs()[0], neg.graphs()[1]
    with APP.test_request_context(headers={"Accept": "*/*"}):

        assert neg.negotiate(request, (first, second)) is first
        assert neg.negotiate(request, (second, first)) is second


def test_format_words_and_no_accept() -> None:
    with APP.test_request_context("/?format=json"):

        words = {"json": "jsonld"}
        assert neg.negotiate(request, neg.results()).media_type == "application/sparql-results+json"
        assert neg.negotiate(request, neg.graphs(), words=words).media_type == "application/ld+json"
        # An explicit ``wanted`` replaces ``?format=`` (the SPARQL endpoint reads it from a form too).
        assert neg.negotiate(request, neg.graphs(), wanted=None) is neg.graphs()[0]
        assert neg.negotiate(request, neg.graphs(), wanted="nonsense") is None
        assert neg.negotiate(request, neg.graphs(), default=neg.PAGE, wanted=None) is neg.PAGE


def test_long_headers_are_not_remembered() -> None:
    media = tuple(r.media_type for r in neg.documents())
    accept = ", ".join(f"application/x-{i};q=0.{i % 9 + 1}" for i in range(200)) + ", text/turtle"
    assert len(accept) > neg.MAX_CACHED_ACCEPT
    before = neg._remembered_best_match.cache_info().currsize
    assert media[neg.best_match(accept, media)] == "text/turtle"
    assert neg._remembered_best_match.cache_info().currsize == before
    assert neg._remembered_best_match.cache_info().maxsize == 1024
