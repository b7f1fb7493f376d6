"""What a value's parenthesised qualifiers say: dates, claim status, who denies, a role."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .dates import Period, find_periods
from .tables import StatusRule, Tables

_QUOTED = re.compile(r'["“]([^"”]{2,60})["”]|^\'([^\']{2,60})\'$')
_PARTS = re.compile(r"[;,]")
_SPACES = re.compile(r"\s+")
_NOISE = {"kia", "", "and", "since", "until", "from", "by", "as of", "in"}


@dataclass(frozen=True)
class Qualification:
    periods: tuple[Period, ...]
    statuses: tuple[str, ...]
    agents: tuple[str, ...]  # names of who denies or disputes ("denied by Hamas")
    rest: tuple[str, ...]  # what is left once dates and statuses are read: roles, notes
    aliases: tuple[str, ...]  # quoted names: ("Abu Jaber", founder and commander ...)
    text: str | None  # every qualifier verbatim, "(a) (b)"


# Pure, and infoboxes repeat their qualifiers ("(2018)", "(formally)") from article to article,
# so results are kept per table of status rules (held here, so its id stays its own).
_CACHE_SIZE = 1 << 14
_caches: dict[int, tuple[tuple[StatusRule, ...], dict[tuple[str, ...], Qualification]]] = {}


def interpret(qualifiers: Sequence[str], *, tables: Tables) -> Qualification:
    rules = tables.statuses
    entry = _caches.get(id(rules))
    if entry is None or entry[0] is not rules:
        entry = _caches[id(rules)] = (rules, {})
    cache = entry[1]
    key = tuple(qualifiers)
    found = cache.get(key)
    if found is None:
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        found = cache[key] = _interpret(key, rules)
    return found


def _interpret(qualifiers: tuple[str, ...], status_rules: tuple[StatusRule, ...]) -> Qualification:
    periods: list[Period] = []
    statuses: list[str] = []
    agents: list[str] = []
    rest: list[str] = []
    aliases: list[str] = []
    for qualifier in qualifiers:
        text = qualifier
        for match in _QUOTED.finditer(text.strip()):
            aliases.append((match.group(1) or match.group(2)).strip())
        text = _QUOTED.sub(" ", text.strip())
        for start, end, period in sorted(find_periods(text), key=lambda x: x[0]):
            periods.append(period)
            text = text[:start] + " " * (end - start) + text[end:]
        for rule in status_rules:
            match = rule.pattern.search(text)
            if not match:
                continue
            if rule.status not in statuses:
                statuses.append(rule.status)
            agent = match.groupdict().get("agent")
            if agent:
                agents.append(agent.strip(" .,;"))
            text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
        for part in _PARTS.split(text):
            cleaned = _SPACES.sub(" ", part).strip(" .:-–")
            if cleaned.casefold() not in _NOISE:
                rest.append(cleaned)
    verbatim = " ".join(f"({q})" for q in qualifiers if q) or None
    return Qualification(
        periods=tuple(periods),
        statuses=tuple(statuses),
        agents=tuple(agents),
        rest=tuple(rest),
        aliases=tuple(aliases),
        text=verbatim,
    )
