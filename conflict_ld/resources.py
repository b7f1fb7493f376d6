"""Reading the packaged data files (the I/O the pure mapping core leaves to its callers)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from conflict_ld.mapping.mentions import ProseTables
from conflict_ld.mapping.prose_facts import ProseRule, load_prose_tables, load_rules
from conflict_ld.mapping.tables import Tables


def read_text(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def load_tables() -> Tables:
    return Tables.from_texts(
        fields_toml=read_text("conflict_ld.mapping", "data/fields.toml"),
        cleaning_toml=read_text("conflict_ld.mapping", "data/cleaning.toml"),
        entities_tsv=_entities_text(),
    )


def load_prose() -> tuple[tuple[ProseRule, ...], ProseTables]:
    return (
        load_rules(read_text("conflict_ld.mapping", "data/prose_rules.toml")),
        load_prose_tables(read_text("conflict_ld.mapping", "data/prose.toml")),
    )


def _entities_text() -> str:
    path = resources.files("conflict_ld.mapping").joinpath("data/entities.tsv")
    return path.read_text(encoding="utf-8") if path.is_file() else "label\tclass\n"


@cache
def prefixes() -> dict[str, str]:
    return dict(tomllib.loads(read_text("conflict_ld.ontology", "prefixes.toml"))["prefixes"])

