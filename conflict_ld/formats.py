"""RDF and SPARQL results formats, read from the one table ``formats.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
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
    aliases: tuple[str, ...] = field(default=())
    w3c: str = ""  # the format's IRI under http://www.w3.org/ns/formats/

    @property
    def ox(self) -> ox.RdfFormat:
        return getattr(ox.RdfFormat, self.oxigraph)

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


@dataclass(frozen=True)
class ResultsFormat:
    """A SPARQL 1.1 query results format (SELECT and ASK)."""

    name: str
    extension: str
    media_type: str
    oxigraph: str  # an ox.QueryResultsFormat member name
    aliases: tuple[str, ...] = field(default=())
    w3c: str = ""  # the format's IRI under http://www.w3.org/ns/formats/

    @property
    def ox(self) -> ox.QueryResultsFormat:
        return getattr(ox.QueryResultsFormat, self.oxigraph)

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


@cache
def _table() -> dict:
    text = resources.files("conflict_ld").joinpath("formats.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def formats() -> tuple[RdfFormat, ...]:
    return tuple(RdfFormat(**{**row, "aliases": tuple(row.get("aliases", ()))})
                 for row in _table()["format"])


@cache
def results_formats() -> tuple[ResultsFormat, ...]:
    return tuple(ResultsFormat(**{**row, "aliases": tuple(row.get("aliases", ()))})
                 for row in _table()["results"])


def by_extension(extension: str) -> RdfFormat | None:
    return next((f for f in formats() if f.extension == extension), None)


def by_name(name: str) -> RdfFormat:
    for fmt in formats():
        if fmt.name == name:
            return fmt
    raise KeyError(f"unknown format {name!r}; known: {', '.join(f.name for f in formats())}")


@cache
def asset_media_types() -> dict[str, str]:
    """The query page's static files: suffix -> media type (the ``[[asset]]`` rows)."""
    return {str(row["suffix"]): str(row["media_type"]) for row in _table()["asset"]}


def file_media_type(name: str) -> str:
    """The media type a release file is served with: the ``[[file]]`` rows of the table by how
    the name ends, then the RDF formats by extension, else ``application/octet-stream``."""
    for row in _table().get("file", ()):
        if name.endswith(row["suffix"]):
            return str(row["media_type"])
    fmt = by_extension(name.rpartition(".")[2]) if "." in name else None
    return fmt.media_type if fmt is not None else "application/octet-stream"
