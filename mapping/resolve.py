"""Entity resolution: one entity per real thing across spellings, renderings and articles.

Known names come from the alias table; a name the table does not know becomes a new entity
only when it looks like a name, and every new entity is keyed by its normalised name so a
second article that writes it the same way (up to case, apostrophes, dashes, diacritics)
reaches the same entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .names import iri_local_name, normalise
from .tables import KnownEntity, Tables

ORGANISATION_CLASSES = frozenset(
    {"ArmedGroup", "Coalition", "PoliticalOrganization", "State", "GovernmentBody"}
)
CONFLICT_CLASSES = frozenset({"Conflict", "War", "Campaign", "Battle"})
# Lowercase words allowed inside a name: Arabic particles and English joining words.
_PARTICLES = frozenset(
    "al el ad ar as ash at az an of the and for wa wal bin ibn bint de du ul li fi min abu "
    "abi umm bani dei da di".split()
)


# Unit names many groups share: "8th Brigade", "Brigade 111", "1st Regiment", "7th Group".
_LETTER = re.compile(r"[^\W\d_]")
_ARTICLE = re.compile(r"(?:al|ad|an|ar|as|ash|el)-")  # a name may start "al-"
_WORD_BREAK = re.compile(r"[\s–-]+")
_GENERIC_UNIT = re.compile(
    r"^(?:(?:\d+(?:st|nd|rd|th)?|First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)\s+"
    r"(?:Brigade|Regiment|Division|Group|Battalion|Company|Corps|Army|Unit)"
    r"|(?:Brigade|Regiment|Division|Group|Battalion)\s+\d+)$",
    re.IGNORECASE,
)


@dataclass
class Entity:
    key: str  # IRI local name
    label: str
    cls: str
    known: bool
    aliases: tuple[str, ...] = ()  # from the alias table
    arabic: str | None = None
    surface: dict[str, set[str]] = field(default_factory=dict)  # source id -> forms seen
    native: dict[str, set[str]] = field(default_factory=dict)  # source id -> Arabic forms


@dataclass
class Dropped:
    """A value that was not mapped, kept for the build report."""

    source: str
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class _Known:
    """A name reads as known names: (surface, entry) parts, of which those from ``start`` to
    ``stop`` are kept."""

    parts: tuple[tuple[str, KnownEntity], ...]
    start: int = 0
    stop: int | None = None


@dataclass(frozen=True)
class _New:
    """A name reads as a new entity's."""

    label: str
    cls: str
    surface: str


_Reading = _Known | _New | str  # a str: why it names nothing


class Resolver:
    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.entities: dict[str, Entity] = {}
        self._by_known: dict[str, str] = {}  # known label -> key
        self._by_norm: dict[str, str] = {}  # normalised unknown name -> key
        self._readings: dict[tuple[str, frozenset[str], str, str | None], _Reading] = {}

    def known(self, entity: KnownEntity, *, surface: str | None, source: str) -> Entity:
        key = self._by_known.get(entity.label)
        if key is None:
            key = self._unique_key(entity.label)
            self._by_known[entity.label] = key
            self.entities[key] = Entity(
                key=key, label=entity.label, cls=entity.cls, known=True,
                aliases=entity.aliases, arabic=entity.arabic,
            )
        found = self.entities[key]
        if surface:
            found.surface.setdefault(source, set()).add(surface)
        return found

    def subject(self, title: str, *, source: str, default_cls: str = "ArmedGroup") -> Entity:
        """The article's subject, from its title (with or without a disambiguation suffix)."""
        for candidate in (title, re.sub(r"\s*\([^)]*\)$", "", title)):
            entity = self.tables.lookup(candidate)
            if entity is not None:
                return self.known(entity, surface=title, source=source)
        return self._new(title, cls=default_cls, source=source)

    def resolve(
        self,
        name: str,
        *,
        source: str,
        accepts: frozenset[str],
        default_cls: str,
        context: str | None = None,
    ) -> tuple[list[Entity], str | None]:
        """Entities a value names, or ([], reason) when it names none acceptably.

        ``context`` (the article's subject) disambiguates a generic unknown name such as
        "8th Brigade", which many groups have: it becomes "8th Brigade (Jaysh al-Islam)"."""
        name = name.strip()
        if not name:
            return [], "empty"
        # What a name reads as depends on the tables alone, and names recur (every mention
        # of a group in every sentence that a rule reads): it is worked out once. Which
        # entities it gives, and the surface forms they are seen in, are this call's.
        # The context counts only where it is used: for a generic unit name (see _read; a
        # person's name is matched once its rank is stripped, so it always keeps it).
        used = default_cls == "Person" or _GENERIC_UNIT.match(name) is not None
        request = (name, accepts, default_cls, context if used else None)
        reading = self._readings.get(request)
        if reading is None:
            reading = self._readings[request] = self._read(name, accepts, default_cls, request[3])
        if isinstance(reading, _New):
            found = [self._new(reading.label, cls=reading.cls, source=source, surface=reading.surface)]
        elif isinstance(reading, _Known):
            found = [self.known(e, surface=s, source=source) for s, e in reading.parts]
            found = found[reading.start : reading.stop]
        else:
            return [], reading
        return self._accept(found, accepts)

    def _read(self, name: str, accepts: frozenset[str], default_cls: str, context: str | None) -> _Reading:
        if default_cls == "Person":
            name = self._strip_rank(name)
        entity = self.tables.lookup(name)
        if entity is not None:
            return _Known(((name, entity),))
        parts = self._comma_parts(name) or self._segment(name)
        if parts:
            # A flag's alt text before the name it decorates: keep the name only.
            if len(parts) == 2 and normalise(parts[0][0]) in self.tables.flag_labels:
                return _Known(tuple(parts), start=1)
            if len({e.label for _, e in parts}) == 1:  # one entity (a known label is one key)
                return _Known(tuple(parts), stop=1)
            return _Known(tuple(parts))
        flagged = self._after_flag(name)
        if flagged is not None:
            return _Known((flagged,))
        if "/" in name:
            sides = [s.strip() for s in name.split("/")]
            known = [self.tables.lookup(s) for s in sides]
            if all(known):
                return _Known(tuple((s, e) for s, e in zip(sides, known, strict=True) if e is not None))
        reason = self._not_a_name(name, default_cls)
        if reason:
            return reason
        cls = self._class_hint(name, accepts) or default_cls
        label = f"{name} ({context})" if context and _GENERIC_UNIT.match(name) else name
        return _New(label=label, cls=cls, surface=name)

    # -- helpers ------------------------------------------------------------------------

    def _accept(self, found: list[Entity], accepts: frozenset[str]) -> tuple[list[Entity], str | None]:
        if not accepts:
            return found, None
        kept = [e for e in found if e.cls in accepts]
        if not kept:
            classes = ", ".join(sorted({e.cls for e in found}))
            return [], f"names a {classes}, not one of {', '.join(sorted(accepts))}"
        return kept, None

    def _new(self, name: str, *, cls: str, source: str, surface: str | None = None) -> Entity:
        norm = normalise(name)
        key = self._by_norm.get(norm)
        if key is None:
            key = self._unique_key(name)
            self._by_norm[norm] = key
            self.entities[key] = Entity(key=key, label=name, cls=cls, known=False)
        found = self.entities[key]
        found.surface.setdefault(source, set()).add(surface or name)
        return found

    def _unique_key(self, label: str) -> str:
        base = iri_local_name(label)
        key, n = base, 2
        while key in self.entities:
            key, n = f"{base}_({n})", n + 1
        return key

    def _strip_rank(self, name: str) -> str:
        changed = True
        while changed:
            changed = False
            for rank in self.tables.ranks:
                if name.startswith(rank + " "):
                    name, changed = name[len(rank) + 1 :].strip(), True
        return name

    def _segment(self, name: str) -> list[tuple[str, KnownEntity]] | None:
        """Split a run of glued names ("Tahrir al-Sham Turkistan Islamic Party in Syria") into
        known names covering every word; None unless a split into two or three exists."""
        words = name.split()
        if len(words) < 2:
            return None
        best: list[tuple[str, KnownEntity]] | None = None

        def walk(start: int, acc: list[tuple[str, KnownEntity]]) -> None:
            nonlocal best
            if start == len(words):
                if 2 <= len(acc) <= 3 and (best is None or len(acc) < len(best)):
                    best = list(acc)
                return
            if len(acc) >= 3:
                return
            for end in range(len(words), start, -1):
                piece = " ".join(words[start:end])
                entity = self.tables.lookup(piece)
                if entity is not None:
                    walk(end, [*acc, (piece, entity)])

        walk(0, [])
        return best

    def _comma_parts(self, name: str) -> list[tuple[str, KnownEntity]] | None:
        """"Rojava, Syria": a comma list on one rendered line, when every part is known."""
        pieces = [p.strip() for p in name.split(", ") if p.strip()]
        if len(pieces) < 2:
            return None
        found = [(p, self.tables.lookup(p)) for p in pieces]
        if all(e is not None for _, e in found):
            return [(p, e) for p, e in found if e is not None]
        return None

    def _after_flag(self, name: str) -> tuple[str, KnownEntity] | None:
        """"Syria Syrian Army" -> Syrian Army: a flag's alt text before a known name. Only a
        known remainder counts, so "Palestine Liberation Army" stays whole."""
        words = name.split()
        for n in range(min(len(words) - 1, 8), 0, -1):
            if normalise(" ".join(words[:n])) in self.tables.flag_labels:
                rest = " ".join(words[n:])
                entity = self.tables.lookup(rest)
                if entity is not None:
                    return rest, entity
        return None

    def _class_hint(self, name: str, accepts: frozenset[str]) -> str | None:
        """The class a name's wording gives ("... Governorate" is a place). A hint the field
        does not accept still wins, so the value is dropped rather than mistyped."""
        for pattern, cls in self.tables.class_hints:
            if pattern.search(name):
                if cls in CONFLICT_CLASSES and accepts & CONFLICT_CLASSES:
                    return cls if cls in accepts else next(iter(sorted(accepts & CONFLICT_CLASSES)))
                return cls
        return None

    @staticmethod
    def _not_a_name(name: str, default_cls: str) -> str | None:
        """Why a string the table does not know cannot be taken as a new entity's name."""
        if name.startswith("See ") or name.endswith(":"):
            return "a cross-reference or list heading"
        if len(_LETTER.findall(name)) < 2:
            return "has no letters to be a name"
        first = name[0]
        if not (first.isupper() or first.isdigit() or _ARTICLE.match(name)):
            return "does not start like a name"
        if len(name.split()) > 10:
            return "too long for a name"
        if default_cls in CONFLICT_CLASSES or default_cls == "Ideology":
            # Conflict and ideology names are descriptive ("Syrian Civil War spillover in
            # Lebanon", "Palestinian nationalism").
            return None
        lower = [
            w for w in _WORD_BREAK.split(name)
            if w and w[0].islower() and w.casefold() not in _PARTICLES
        ]
        if lower and (len(lower) >= 2 or not name.split()[-1][0].isupper()):
            return "reads as a description, not a name"
        return None
