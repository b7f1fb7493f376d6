"""Infobox fields to facts, driven by the field table (``data/fields.toml``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from .dates import Period, find_periods, parse_period
from .facts import Attestation, Fact, Quantity
from .qualifiers import Qualification, interpret
from .quantities import parse_quantity
from .record import ArticleRecord, InfoboxField, InfoboxValue
from .resolve import CONFLICT_CLASSES, ORGANISATION_CLASSES, Dropped, Entity, Resolver
from .tables import FieldSpec

INFOBOX = "Infobox"
_RENAMING = FieldSpec(key="renaming", labels=(), keys=(), relation="Renaming", object_class=None,
                      accepts=frozenset(), reverse=False, split="list", inline=False)
_GENERIC_LEADER_LABELS = frozenset({"leaders", "leader", "commander", "commanders", "leadership"})
_ROLE_PREFIX = re.compile(r"^(?P<role>[^:]{2,40}):\s+(?P<name>\S.*)$")
_NOM_DE_GUERRE = re.compile(r",?\s+(?:nom de guerre|a\.k\.a\.|aka|also known as)\s+", re.IGNORECASE)
# "and" splits places only before a capital: "Western and northern Syria" is one area.
_PLACE_SPLIT = re.compile(r",\s+(?:and\s+)?|\s+(?:and|&)\s+(?=[A-Z])")
_CONFLICT_SPLIT = re.compile(r"\s+and\s+(?:the\s+)?")
_NUMBERS = re.compile(r"[\d,.–—≈~+-]+")
_LEADING_NUMBER = re.compile(r"^\d+\s+")
_AND = re.compile(r"\band\b|&")
_LEADING_THE = re.compile(r"^the\s+")
# Date fields repeat from article to article ("2016 – present": 1,326 values, 295 texts in 1,300
# generated articles) and a period costs ~80 µs to read; parse_period is pure and its Period
# is frozen, so facts may share it.
_period = lru_cache(maxsize=1 << 12)(parse_period)


class InfoboxMapper:
    """Maps one article's infobox; unmapped values are collected in ``dropped``."""

    def __init__(self, *, resolver: Resolver, source: str, subject: Entity) -> None:
        self.resolver = resolver
        self.source = source
        self.subject = subject
        self.dropped: list[Dropped] = []
        self.unmapped_labels: list[str] = []

    def facts(self, record: ArticleRecord) -> list[Fact]:
        out: list[Fact] = []
        for field in record.infobox:
            spec = self.resolver.tables.field_for_label(field.label)
            if spec is None:
                self.unmapped_labels.append(field.label)
                continue
            if spec.relation is None:
                continue
            out.extend(self._field(field, spec))
        return out

    def _field(self, field: InfoboxField, spec: FieldSpec) -> Iterable[Fact]:
        if spec.split in ("period", "instant"):
            return self._dates(field, spec)
        if spec.split == "quantities":
            return self._quantities(field, spec)
        if spec.split in ("places", "areas"):
            return self._places(field, spec)
        return self._entities(field, spec)

    # -- unary relations -------------------------------------------------------------------

    def _dates(self, field: InfoboxField, spec: FieldSpec) -> Iterable[Fact]:
        """Active periods ("2012/13 – 2015") and founding dates ("September 1966")."""
        for value in field.values:
            period = _period(value.text)
            if period is None:
                self._drop(value, "no date")
                continue
            qual = interpret(value.qualifiers, tables=self.resolver.tables)
            yield self._fact(spec, field, value, None, period, qual)

    def _quantities(self, field: InfoboxField, spec: FieldSpec) -> Iterable[Fact]:
        for value in field.values:
            quantity = parse_quantity(value.text)
            if quantity is None:
                self._drop(value, "no number")
                continue
            words = _NUMBERS.sub(" ", value.text).strip()
            qual = interpret([*value.qualifiers, words], tables=self.resolver.tables)
            period = qual.periods[0] if qual.periods else None
            yield self._fact(spec, field, value, None, period, qual, quantity=quantity)

    # -- relations to entities ---------------------------------------------------------------

    def _places(self, field: InfoboxField, spec: FieldSpec) -> Iterable[Fact]:
        values = list(field.values)
        if spec.split == "places" and values:
            # Further lines of a rendered page ("With elements in: ...") are not headquarters.
            values = [v for v in values if v.line == values[0].line]
        items: list[tuple[InfoboxValue, str]] = []
        for value in values:
            for name in _PLACE_SPLIT.split(value.text):
                if name.strip():
                    items.append((value, _LEADING_NUMBER.sub("", name.strip())))
        if spec.split == "places" and items and not _AND.search(items[0][0].evidence):
            # An address "Sarjeh, Idlib Governorate, Syria" names one place: the first.
            items = items[:1]
        seen = set()
        for value, name in items:
            if name in seen:
                continue
            seen.add(name)
            qual = interpret(value.qualifiers, tables=self.resolver.tables)
            yield from self._to_entities(spec, field, value, name, qual)

    def _entities(self, field: InfoboxField, spec: FieldSpec) -> Iterable[Fact]:
        for value in field.values:
            qual = interpret(value.qualifiers, tables=self.resolver.tables)
            if not value.text:
                self._drop(value, "qualifier without a name")
                continue
            names = [value.text]
            if spec.object_class in CONFLICT_CLASSES:
                names = [_LEADING_THE.sub("", n) for n in _CONFLICT_SPLIT.split(value.text)]
                names = [n.strip() for n in names if n.strip() and n.strip() != "the"]
            for name in names:
                yield from self._to_entities(spec, field, value, name, qual)

    def _to_entities(
        self, spec: FieldSpec, field: InfoboxField, value: InfoboxValue, name: str, qual: Qualification
    ) -> Iterable[Fact]:
        role = None
        aliases = list(qual.aliases)
        if spec.relation == "Leadership":
            prefixed = _ROLE_PREFIX.match(name)
            if prefixed:
                role, name = prefixed["role"].strip(), prefixed["name"].strip()
            alias_parts = _NOM_DE_GUERRE.split(name)
            name, aliases = alias_parts[0].strip(), aliases + [a.strip() for a in alias_parts[1:]]
            role = role or _role(field, qual)
        # Wikipedia disambiguates by a parenthesis ("Southern Damascus offensive (April–May
        # 2018)", "Battle of Aleppo (2024)"): the full title, when known, names the thing.
        for qualifier in value.qualifiers:
            if self.resolver.tables.lookup(f"{name} ({qualifier})") is not None:
                name = f"{name} ({qualifier})"
                break
        entities, reason = self.resolver.resolve(
            name,
            source=self.source,
            accepts=spec.accepts,
            default_cls=spec.object_class or "ArmedGroup",
            context=self.subject.label,
        )
        if not entities:
            self._drop(value, f"{name!r}: {reason}")
            return
        for entity in entities:
            for alias in aliases:
                entity.surface.setdefault(self.source, set()).add(alias)
            if entity.key == self.subject.key:
                if spec.relation == "Succession":
                    # "Preceded by: Brigade of Islam" naming the group itself under an earlier
                    # name: a renaming, not a group that succeeds itself.
                    yield self._renaming(field, value, name, qual, newer=spec.reverse)
                else:
                    self._drop(value, f"{name!r} names the article's own subject")
                continue
            yield from self._dated(spec, field, value, entity, qual, role=role)

    def _renaming(
        self, field: InfoboxField, value: InfoboxValue, name: str, qual: Qualification, *, newer: bool
    ) -> Fact:
        fact = self._fact(_RENAMING, field, value, None, qual.periods[0] if qual.periods else None, qual)
        return replace(fact, former_name=None if newer else name, new_name=name if newer else None)

    def _dated(
        self,
        spec: FieldSpec,
        field: InfoboxField,
        value: InfoboxValue,
        entity: Entity,
        qual: Qualification,
        *,
        role: str | None,
    ) -> Iterable[Fact]:
        periods: list[Period | None] = list(qual.periods) or [None]
        for period in periods:
            yield self._fact(spec, field, value, entity, period, qual, role=role)

    # -- building ----------------------------------------------------------------------------

    def _fact(
        self,
        spec: FieldSpec,
        field: InfoboxField,
        value: InfoboxValue,
        other: Entity | None,
        period: Period | None,
        qual: Qualification,
        *,
        quantity: Quantity | None = None,
        role: str | None = None,
    ) -> Fact:
        subject, obj = self.subject.key, other.key if other else None
        if spec.reverse and obj is not None:
            subject, obj = obj, subject
        disputed = []
        for agent in qual.agents:
            found, _ = self.resolver.resolve(
                agent, source=self.source, accepts=ORGANISATION_CLASSES | {"Person"},
                default_cls="PoliticalOrganization",
            )
            disputed.extend(e.key for e in found)
        assert spec.relation is not None
        return Fact(
            relation=spec.relation,
            subject=subject,
            object=obj,
            period=period,
            attestation=Attestation(
                source=self.source,
                evidence=value.evidence,
                line=value.line,
                section=INFOBOX,
                field=field.label,
                cites=value.cites,
            ),
            quantity=quantity,
            statuses=qual.statuses,
            disputed_by=tuple(disputed),
            role=role,
            qualifier=qual.text,
        )

    def _drop(self, value: InfoboxValue, reason: str) -> None:
        self.dropped.append(Dropped(source=self.source, line=value.line, text=value.evidence, reason=reason))


def _role(field: InfoboxField, qual: Qualification) -> str | None:
    """A leader's role: the qualifier's words ("top emir"), else a paired role field, else a
    specific label ("Spokesman")."""
    rest = [r for r in qual.rest if r and not find_periods(r)]
    if rest:
        return rest[0]
    if field.role:
        return field.role
    if field.label.casefold() not in _GENERIC_LEADER_LABELS:
        return field.label
    return None
