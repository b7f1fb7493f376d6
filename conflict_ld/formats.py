"""RDF formats, read from the one table ``formats.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pyoxigraph as ox


@dataclass(frozen=True)
class RdfFormat:
    name: str
    extension: str
    media_type: str
    rdflib: str
    oxigraph: str  # an ox.RdfFormat member name
    graphs: bool

    @property
    def ox(self) -> ox.RdfFormat:
        return getattr(ox.RdfFormat, self.oxigraph)


@cache
def formats() -> tuple[RdfFormat, ...]:
    text = resources.files("conflict_ld").joinpath("formats.toml").read_text(encoding="utf-8")
    return tuple(RdfFormat(**row) for row in tomllib.loads(text)["format"])


def by_extension(extension: str) -> RdfFormat | None:
    return next((f for f in formats() if f.extension == extension), None)


def by_name(name: str) -> RdfFormat:
    for fmt in formats():
        if fmt.name == name:
            return fmt
    raise KeyError(f"unknown format {name!r}; known: {', '.join(f.name for f in formats())}")
