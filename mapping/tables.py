"""The mapping's data tables, parsed from their text (the files are read by the caller)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from .names import first_word, normalise, skeleton_prefixes


@dataclass(frozen=True)
class FieldSpec:
    key: str
    labels: tuple[str, ...]  # rendered labels (also wikitext keys)
    keys: tuple[str, ...]  # wikitext-only keys
    relation: str | None
    object_class: str | None
    accepts: frozenset[str]
    reverse: bool
    split: str
    inline: bool  # rendered pages: the value is only what follows the label on its line


@dataclass(frozen=True)
class StatusRule:
    pattern: re.Pattern[str]
    status: str


@dataclass(frozen=True)
class KnownEntity:
    label: str
    cls: str
    aliases: tuple[str, ...]
    arabic: str | None


@dataclass(frozen=True)
class Tables:
    fields: tuple[FieldSpec, ...]
    furniture: tuple[re.Pattern[str], ...]
    apparatus_sections: frozenset[str]
    ranks: tuple[str, ...]
    flag_labels: frozenset[str]  # normalised
    kia_suffix: re.Pattern[str]
    image_file: re.Pattern[str]
    image_size: re.Pattern[str]
    statuses: tuple[StatusRule, ...]
    class_hints: tuple[tuple[re.Pattern[str], str], ...]
    entities: tuple[KnownEntity, ...]
    by_name: Mapping[str, KnownEntity]  # normalised label or alias -> entity
    starts: frozenset[str]  # first words of every label and alias (see names.first_word)

    @classmethod
    def from_texts(cls, *, fields_toml: str, cleaning_toml: str, entities_tsv: str) -> Tables:
        fields_data = tomllib.loads(fields_toml)
        clean = tomllib.loads(cleaning_toml)
        fields = tuple(
            FieldSpec(
                key=f["key"],
                labels=tuple(f.get("labels", ())),
                keys=tuple(f.get("keys", ())),
                relation=f.get("relation"),
                object_class=f.get("object"),
                accepts=frozenset(f.get("accepts", ())),
                reverse=bool(f.get("reverse", False)),
                split=f.get("split", "list"),
                inline=bool(f.get("inline", False)),
            )
            for f in fields_data["field"]
        )
        entities = tuple(parse_entities_tsv(entities_tsv))
        by_name: dict[str, KnownEntity] = {}
        for entity in entities:
            for name in (entity.label, *entity.aliases):
                by_name.setdefault(normalise(name), entity)
        return cls(
            fields=fields,
            furniture=tuple(re.compile(p) for p in clean["furniture"]),
            apparatus_sections=frozenset(s.casefold() for s in clean["apparatus_sections"]),
            ranks=tuple(sorted(clean["ranks"], key=len, reverse=True)),
            flag_labels=frozenset(normalise(x) for x in clean["flag_labels"]),
            kia_suffix=re.compile(clean["kia_suffix"]),
            image_file=re.compile(clean["image_file"], re.IGNORECASE),
            image_size=re.compile(clean["image_size"]),
            statuses=tuple(
                StatusRule(re.compile(rf"(?<!\w)(?:{s['pattern']})(?!\w)", re.IGNORECASE), s["status"])
                for s in clean["status"]
            ),
            class_hints=tuple((re.compile(h["pattern"]), h["class"]) for h in clean["class_hint"]),
            entities=entities,
            by_name=MappingProxyType(by_name),
            starts=frozenset(first_word(name) for name in by_name),
        )

    @cached_property
    def name_prefixes(self) -> frozenset[str]:
        """The skeleton prefixes of every name's key (see names.skeleton_prefixes)."""
        return skeleton_prefixes(self.by_name)

    def field_for_label(self, label: str) -> FieldSpec | None:
        return self._fields_by_key.get(_label_key(label))

    @cached_property
    def _fields_by_key(self) -> Mapping[str, FieldSpec]:
        """Label key -> the first field (in table order) with that label or key."""
        index: dict[str, FieldSpec] = {}
        for spec in self.fields:
            for label in (*spec.labels, *spec.keys):
                index.setdefault(_label_key(label), spec)
        return MappingProxyType(index)

    def all_labels(self) -> list[str]:
        """Every rendered label, longest first, so "Active regions" wins over "Active"."""
        labels = {label for spec in self.fields for label in spec.labels}
        return sorted(labels, key=lambda x: (-len(x), x))

    def lookup(self, name: str) -> KnownEntity | None:
        return self.by_name.get(normalise(name))


_SPACES = re.compile(r"\s+")


def _label_key(label: str) -> str:
    return _SPACES.sub("", label).casefold()


def parse_entities_tsv(text: str) -> list[KnownEntity]:
    rows: list[KnownEntity] = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if not header_seen:
            header_seen = True
            if cells[0].strip().lower() == "label":
                continue
        if len(cells) < 2:
            raise ValueError(f"entities.tsv line {number}: expected label<TAB>class, got {raw!r}")
        label, klass = cells[0].strip(), cells[1].strip()
        aliases = tuple(a.strip() for a in cells[2].split("|") if a.strip()) if len(cells) > 2 else ()
        arabic = cells[3].strip() if len(cells) > 3 and cells[3].strip() else None
        rows.append(KnownEntity(label=label, cls=klass, aliases=aliases, arabic=arabic))
    return rows
