"""Server-rendered HTML: Jinja2 templates (``server/templates/``, autoescaped), no external
assets, inline CSS, readable on a phone."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, Response, current_app, render_template
from markupsafe import Markup

from .description import Vocabulary
from .negotiation import HTML
from .site import Site
from .views import Value

VOCABULARY = "conflict_ld.vocabulary"
SUMMARY = "conflict_ld.summary"


@dataclass(frozen=True)
class Summary:
    """What the home page and the class indexes show about the release (its build report)."""

    triples: int
    entities: int
    relations: int
    sources: int
    by_class: dict[str, int]  # entities by asserted class

    @classmethod
    def read(cls, report: Path) -> Summary:
        data = json.loads(report.read_text(encoding="utf-8"))
        by_class = {str(k): int(v) for k, v in data.get("entities", {}).get("by_class", {}).items()}
        return cls(triples=int(data.get("triples", 0)),
                   entities=int(data.get("entities", {}).get("total", sum(by_class.values()))),
                   relations=sum(data.get("relations", {}).get("by_class", {}).values()),
                   sources=len(data.get("subjects", {})), by_class=by_class)


def prepare_pages(app: Flask, site: Site) -> None:
    """Read once, when the app starts, what every page needs: the ontology's words (from the
    release's ontology graph) and the release's counts."""
    # From the release's own file, not the store: a remote store may be down at start (pages
    # then answer 502 while it is) and must not keep the app from starting.
    ontology = ox.parse(path=site.release / "ontology.ttl", format=ox.RdfFormat.TURTLE)
    app.extensions[VOCABULARY] = Vocabulary.from_triples((q.triple for q in ontology), namespace=site.cld)
    app.extensions[SUMMARY] = Summary.read(site.release / "report.json")


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
    return current_app.extensions[VOCABULARY]


def summary() -> Summary:
    return current_app.extensions[SUMMARY]




def value_html(v: Value) -> Markup:
    """A value as HTML: a link when it has one, a language (and direction) when it has one.
    A template global (``value(v)``): pages call it thousands of times, a Jinja macro is slow."""
    title = Markup(' title="{}"').format(v.note) if v.note else Markup()
    if v.href:
        return Markup('<a href="{}"{}>{}</a>').format(v.href, title, v.text)
    rtl = Markup(' dir="rtl"') if v.lang == "ar" else ""
    lang = Markup(' lang="{}"{}').format(v.lang, rtl) if v.lang else ""
    return Markup("<span{}{}>{}</span>").format(lang, title, v.text)
