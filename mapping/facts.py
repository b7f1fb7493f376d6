"""Facts: relations between resolved entities, each with the attestation it came from.

A fact's identity (``content_key``) leaves its attestation out, so the same fact stated by
two sources is one relation node with two attestations.
"""

from __future__ import annotations

from dataclasses import dataclass

from .dates import DateValue, Period


@dataclass(frozen=True)
class Attestation:
    source: str  # source id: the article file's stem
    evidence: str  # the exact infobox line or sentence
    line: int
    section: str  # "Infobox", "Lead", or the section title
    field: str | None  # the infobox label, for infobox facts
    cites: tuple[int, ...]  # reference numbers cited at the evidence


@dataclass(frozen=True)
class Quantity:
    value: int | None = None  # an exact figure ("200")
    minimum: int | None = None  # a range's lower end, or "over 400"
    maximum: int | None = None


@dataclass(frozen=True)
class Fact:
    relation: str  # relation class local name ("Alliance")
    subject: str  # entity key
    object: str | None  # entity key; None for unary relations (ActivePeriod, Strength, ...)
    period: Period | None
    attestation: Attestation
    quantity: Quantity | None = None
    statuses: tuple[str, ...] = ()
    disputed_by: tuple[str, ...] = ()  # entity keys
    role: str | None = None
    qualifier: str | None = None  # the qualifier text verbatim
    former_name: str | None = None
    new_name: str | None = None

    def content_key(self) -> tuple[object, ...]:
        period = None
        if self.period is not None:
            period = (
                _date_key(self.period.start),
                _date_key(self.period.end),
                self.period.ongoing,
                self.period.instant,
            )
        return (
            self.relation,
            self.subject,
            self.object or "",
            period,
            self.quantity,
            tuple(sorted(self.statuses)),
            tuple(sorted(self.disputed_by)),
            self.role or "",
            self.former_name or "",
            self.new_name or "",
        )


def _date_key(value: DateValue | None) -> tuple[object, ...] | None:
    if value is None:
        return None
    return (value.lexical, value.earliest, value.latest)
