"""Server-rendered HTML: Jinja2 templates (``server/templates/``, autoescaped), no external
assets, inline CSS, readable on a phone."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, current_app, render_template
from markupsafe import Markup

from .description import Vocabulary
from .negotiation import HTML
from .views import Value

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


def value_html(v: Value) -> Markup:
    """A value as HTML: a link when it has one, a language (and direction) when it has one.
    A template global (``value(v)``): pages call it thousands of times, a Jinja macro is slow."""
    title = Markup(' title="{}"').format(v.note) if v.note else Markup()
    if v.href:
        return Markup('<a href="{}"{}>{}</a>').format(v.href, title, v.text)
    rtl = Markup(' dir="rtl"') if v.lang == "ar" else ""
    lang = Markup(' lang="{}"{}').format(v.lang, rtl) if v.lang else ""
    return Markup("<span{}{}>{}</span>").format(lang, title, v.text)
