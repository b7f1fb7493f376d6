"""Server-rendered HTML: Jinja2 templates (``server/templates/``, autoescaped), no external
assets, inline CSS, readable on a phone."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, current_app, render_template
from markupsafe import Markup

from .description import Vocabulary
from .negotiation import HTML

VOCABULARY = "conflict_ld.vocabulary"


@dataclass(frozen=True)
class Alternate:
    href: str
    media_type: str
    name: str


def render(template: str, *, status: int = 200, **context: object) -> Response:
    context.setdefault("alternates", ())
    context.setdefault("jsonld", None)
    return Response(render_template(template, **context), status, mimetype=HTML)


def page(title: str, body: str, *, status: int = 200) -> Response:
    """A page around ``body``, HTML its caller has escaped (the error pages)."""
    return render("base.html", title=title, body=Markup(body), status=status)


def vocabulary() -> Vocabulary:
    """The ontology's words, read from the release once when the app starts."""
    return current_app.extensions[VOCABULARY]
