"""Dates and periods in infobox qualifiers and article prose.

Handles what the armed-group articles actually write: "2012/13 – 2015", "(since late 2016)",
"(Jan.–Sep. 2017)", "31 July 2017–August 2018", "(? - May 2019)", "On 17 February 2016".
Every value keeps the precision its text gives (the XSD lexical form) and, separately,
normalised earliest/latest bounds, so "late 2015" stays a gYear while still saying
"September to December".

Everything here is pure: no I/O, no state; no input raises, unparseable text gives None.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType

__all__ = ["DateValue", "Period", "find_periods", "parse_date", "parse_period"]


@dataclass(frozen=True)
class DateValue:
    text: str  # verbatim text it was parsed from (stripped)
    lexical: str | None  # "2015", "2015-04", "2015-04-17"; None when no single value is given
    precision: str | None  # "year" | "month" | "day" | None (matches lexical)
    earliest: date | None  # normalised lower bound (None = unbounded)
    latest: date | None  # normalised upper bound (None = unbounded)
    approximate: bool = False  # "c.", "circa", "around", "about", "estimated"

    @property
    def datatype(self) -> str | None:
        """The XSD datatype local name of ``lexical``: gYear, gYearMonth or date."""
        if self.lexical is None or self.precision is None:
            return None
        return _DATATYPES.get(self.precision)


@dataclass(frozen=True)
class Period:
    text: str
    start: DateValue | None
    end: DateValue | None
    ongoing: bool = False  # "– present", "since X", an open "(2015-)"
    instant: bool = False  # a lone date used as a qualifier: "(2018)" = held in/at 2018


_DATATYPES = MappingProxyType({"year": "gYear", "month": "gYearMonth", "day": "date"})

_MONTHS = MappingProxyType(
    {
        name: number
        for number, name in enumerate(
            ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
            start=1,
        )
    }
)

# Thirds of a month and of a year, as (first, last) day / (month, day) pairs. A third of a
# year is four months, so "early", "mid" and "late" tile the year without gaps.
_MONTH_PARTS = MappingProxyType({"early": (1, 10), "mid": (11, 20), "late": (21, 31)})
_YEAR_PARTS = MappingProxyType(
    {"early": ((1, 1), (4, 30)), "mid": ((5, 1), (8, 31)), "late": ((9, 1), (12, 31))}
)
_PART_WORDS = MappingProxyType(
    {"beginning": "early", "start": "early", "middle": "mid", "end": "late"}
)
# Meteorological (northern-hemisphere) seasons: the articles are about Syria. Winter is not
# here because it straddles two calendar years, see _bounds.
_SEASONS = MappingProxyType(
    {
        "spring": ((3, 1), (5, 31)),
        "summer": ((6, 1), (8, 31)),
        "autumn": ((9, 1), (11, 30)),
        "fall": ((9, 1), (11, 30)),
    }
)

# Nouns that make a preceding 4-digit number a head count, not a year ("2000 fighters").
_QUANTITY_NOUNS = (
    "fighters",
    "members",
    "soldiers",
    "people",
    "civilians",
    "killed",
    "men",
    "troops",
    "militants",
    "personnel",
    "combatants",
    "rebels",
    "recruits",
    "volunteers",
    "dead",
    "wounded",
    "casualties",
    "deaths",
    "prisoners",
    "refugees",
    "strong",
)

_DASHES = "\\-–—‒−"
_APPROX = (
    r"(?:(?P<approx>(?<![a-z])(?:c\.|ca\.|circa|around|about|approximately|approx\.|estimated)"
    r"|[~≈])\s*)?"
)
_PART = (
    r"(?:(?P<part>(?<![a-z])(?:early|mid|late|(?:the\s+)?(?:beginning|start|middle|end)\s+of))"
    r"(?:\s*-\s*|\s+))"
)
_SEASON = r"(?<![a-z])(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)(?:\s+of)?,?\s+"
_MONTH = (
    r"(?<![a-z])(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?:\.|(?![a-z]))"
)
_DAY = r"(?<![\d.,])(?P<day>\d{1,2})(?!\d)(?:st|nd|rd|th)?"
# Next to a month name a 4-digit number can only be a year, so any plausible one is taken.
_YEAR = r"(?P<year>[12]\d{3})(?!\d)(?![,.]\d)"
# A bare number is a year only in 1900–2099 and when nothing marks it as an amount: a
# currency sign, a thousands separator, a percent or "+" after it, or a head-count noun.
_BARE_YEAR = (
    r"(?<![\d$£€/])(?<!\d[,.])(?P<year>(?:19|20)\d{2})(?!\d)(?![,.]\d)"
    r"(?!\s*(?:%|\+|percent(?![a-z])))"
    r"(?!\s+(?:" + "|".join(_QUANTITY_NOUNS) + r")(?![a-z]))"
)

_FLAGS = re.IGNORECASE
_ISO_DATE = re.compile(
    _APPROX + r"(?<!\d)(?P<year>[12]\d{3})-(?P<mnum>\d{2})-(?P<day>\d{2})(?!\d)", _FLAGS
)
_ISO_MONTH = re.compile(
    _APPROX + r"(?<!\d)(?P<year>[12]\d{3})-(?P<mnum>0[1-9]|1[0-2])(?![\d-])", _FLAGS
)
_DATED_FORMS = (
    _ISO_DATE,
    re.compile(_APPROX + _DAY + r"(?:\s+of)?\s+" + _MONTH + r",?\s+(?:of\s+)?" + _YEAR, _FLAGS),
    re.compile(_APPROX + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR, _FLAGS),
    re.compile(_APPROX + _PART + "?" + _MONTH + r",?\s+(?:of\s+)?" + _YEAR, _FLAGS),
    re.compile(_APPROX + _SEASON + _YEAR, _FLAGS),
    re.compile(_APPROX + _PART + _BARE_YEAR, _FLAGS),
    re.compile(
        _APPROX + _BARE_YEAR + r"\s*/\s*(?P<year2>\d{4}|\d{2})(?!\d)(?![,.]\d)", _FLAGS
    ),
    re.compile(_APPROX + _BARE_YEAR, _FLAGS),
)
_YEARLESS_FORMS = (
    re.compile(_APPROX + _DAY + r"(?:\s+of)?\s+" + _MONTH, _FLAGS),
    re.compile(_APPROX + _MONTH + r"\s+" + _DAY, _FLAGS),
    re.compile(_APPROX + _PART + "?" + _MONTH, _FLAGS),
)

_SEP = re.compile(rf"\s*[{_DASHES}]\s*|\s+(?:to|until|till|through|thru)\s+", _FLAGS)
_OPEN_END = re.compile(rf"\s*[{_DASHES}]\s*(?=$|[),;(\]])")
_PRESENT = re.compile(r"(?:the\s+)?(?:present|now|today)(?![a-z])", _FLAGS)
_UNKNOWN = re.compile(r"\?+|unknown(?![a-z])", _FLAGS)
_TWO_DIGIT_YEAR = re.compile(r"(?<!\d)(?P<yy>\d{2})(?!\d)(?![,.]\d)(?!\s*%)")
# After a range dash, a number shaped like an amount means the whole thing is a count range.
_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d{4,}")
_BARE_DAY = re.compile(r"(?<![\d.,])(?P<day>\d{1,2})(?!\d)(?:st|nd|rd|th)?", _FLAGS)
_KEYWORD = re.compile(
    r"(?<![a-z])(?P<kw>since|from|until|till|up\s+to|by|between)\s+", _FLAGS
)
_AND = re.compile(r"\s+and\s+", _FLAGS)


def _any_of(*patterns: re.Pattern[str]) -> re.Pattern[str]:
    """One expression that matches at a position exactly where one of ``patterns`` does (their
    group names dropped, so that they may repeat): a cheap test before trying them in turn."""
    return re.compile(
        "|".join(f"(?:{_GROUP_NAME.sub('(?:', p.pattern)})" for p in patterns), _FLAGS
    )


_GROUP_NAME = re.compile(r"\(\?P<\w+>")
# Where _point_at can find a date, and where _hit_at can find anything (a keyword, an unknown
# start, a date, a day range): elsewhere neither needs trying.
_ANY_DATED = _any_of(*_DATED_FORMS, _ISO_MONTH)
_ANY_POINT = _any_of(*_DATED_FORMS, *_YEARLESS_FORMS, _ISO_MONTH)
_ANY_START = _any_of(_KEYWORD, _UNKNOWN, *_DATED_FORMS, *_YEARLESS_FORMS, _ISO_MONTH, _BARE_DAY)
# A quicker search for the places _ANY_START may match: how each of those expressions begins
# (a number, "?", "~", or a word: a keyword, "unknown", an approximation, a part of a year or
# month, a season, a month name), a number only where no digit precedes it and a word only where
# no letter or digit does (_select skips such places anyway). A number opens one only as a day
# (one or two digits) or a year (four, from 1 or 2), and "the" only before a part of a year or
# a season: without those two, most places it found in generated articles ("Synthetic-00000",
# every "the") were tried in vain. A superset, in the same case-insensitive matching;
# tests/test_dates.py checks it finds every place _ANY_START does.
_MAY_START = re.compile(
    r"(?<!\d)(?:\d\d?(?!\d)|[12]\d{3})|[?~≈]|(?<![^\W_])(?:since|from|until|till|up|by|between|unknown"
    r"|c\.|ca\.|circa|around|about|approx|estimated|early|mid|late|beginning|start|middle|end|spring"
    r"|summer|autumn|fall|winter|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|the\s+(?:beginning|start|middle|end|spring|summer|autumn|fall|winter))",
    _FLAGS,
)

_CITATION = re.compile(
    r"\[(?:\d+|[a-z]{1,2}|note\s*\d+|nb\s*\d+|edit|citation needed|clarification needed|"
    r"better source needed|dubious|when\?|who\?|failed verification)\]",
    _FLAGS,
)
_DATE_LEAD = re.compile(
    r"\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:(?:in|on|during|at|of)\s+)?(?:the\s+)?",
    _FLAGS,
)
_DATE_TAIL = re.compile(r"[\s.,;:)\]]*")
_BY = re.compile(r"by\s+", _FLAGS)


@dataclass(frozen=True)
class _Point:
    """One date expression as written, before it is checked or given a year."""

    start: int
    end: int
    year: int | None
    month: int | None = None
    day: int | None = None
    part: str | None = None  # "early" | "mid" | "late"
    season: str | None = None
    year2: int | None = None  # the second year of "2012/13", as written (13 or 2013)
    approximate: bool = False

    @property
    def plain_year(self) -> bool:
        return (
            self.month is None
            and self.part is None
            and self.season is None
            and self.year2 is None
            and self.year is not None
        )


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    period: Period | None  # None: a date-shaped but invalid expression that blocks its span


# --------------------------------------------------------------------------- public API


def parse_date(text: str, *, default_year: int | None = None) -> DateValue | None:
    """One date making up the whole text (citation marks, brackets, "in"/"on the" aside).

    A date without a year ("in May", "5 June") takes ``default_year`` and is None without
    it. "by 2016" gives an upper bound only. Ranges and "since X" are periods, not dates:
    None here, see parse_period.
    """
    if not isinstance(text, str):
        return None
    if default_year is not None and (
        not isinstance(default_year, int) or not 1 <= default_year <= 9999
    ):
        default_year = None
    verbatim = text.strip()
    s = _strip_citations(verbatim)[0]
    s = s.strip().lstrip("([").strip()
    pos = _DATE_LEAD.match(s).end()
    by = _BY.match(s, pos)
    point = _point_at(s, by.end() if by else pos, yearless=True)
    if point is None or _DATE_TAIL.fullmatch(s, point.end) is None:
        return None
    year = point.year if point.year is not None else default_year
    if year is None:
        return None
    value = _value(point, s, year=year)
    if value is None:
        return None
    if by:
        value = _upper_bound_only(value, text=verbatim)
    return replace(value, text=verbatim)


def parse_period(text: str) -> Period | None:
    """The first period or date in a qualifier such as "(leader, 2011–2014)[3]".

    Words around it ("main group", "2021 estimate", "de facto;") are ignored; None when the
    text holds no date expression or its first one is not a real date ("31 February 2016").
    """
    if not isinstance(text, str):
        return None
    s, _ = _strip_citations(text)
    hits = _select(s)
    if not hits or hits[0].period is None:
        return None
    return replace(hits[0].period, text=text.strip())


def find_periods(text: str) -> list[tuple[int, int, Period]]:
    """Every period or date expression in free text, as (start, end, period) in text order.

    Overlapping candidates are resolved longest first, so "from 2013" wins over "2013".
    Dates without a year ("in May") are not resolved here. Spans index ``text`` itself and
    may contain citation marks ("2012[1] – 2017"), which the parsed values do not.
    """
    if not isinstance(text, str):
        return []
    s, offsets = _strip_citations(text)
    found: list[tuple[int, int, Period]] = []
    for hit in _select(s):
        if hit.period is None:
            continue
        start, end = offsets[hit.start], offsets[hit.end - 1] + 1
        period = hit.period
        # Written out rather than dataclasses.replace: this runs for every date in the prose.
        found.append((start, end, Period(text[start:end], period.start, period.end, period.ongoing,
                                         period.instant)))
    return found


# --------------------------------------------------------------------------- scanning


def _strip_citations(text: str) -> tuple[str, tuple[int, ...]]:
    """The text without citation marks, and for each kept character its index in ``text``."""
    kept: list[str] = []
    offsets: list[int] = []
    last = 0
    for mark in (*_CITATION.finditer(text), None):
        stop = mark.start() if mark else len(text)
        kept.append(text[last:stop])
        offsets.extend(range(last, stop))
        if mark:
            last = mark.end()
    return "".join(kept), tuple(offsets)


def _select(s: str) -> list[_Hit]:
    """Non-overlapping hits in text order; invalid dates claim their span before anything
    else so that "31 February 2016" cannot come back as "February 2016"."""
    hits = []
    # Every date expression holds a digit (a year or a day); none starts after the last one.
    last_digit = next((i for i in range(len(s) - 1, -1, -1) if s[i].isdigit()), -1)
    pos = -1
    while True:
        # Only where something can start (see _MAY_START): elsewhere _hit_at finds nothing.
        candidate = _MAY_START.search(s, pos + 1)
        if candidate is None or candidate.start() > last_digit:
            break
        pos = candidate.start()
        if s[pos].isspace():
            continue
        # Rendered infoboxes glue label and value ("Active23 January 2012", "Dates of
        # operation2011–2013"), so a digit right after a letter still starts a token.
        glued = s[pos].isdigit() and s[pos - 1].isalpha()
        if pos and s[pos - 1].isalnum() and not glued:
            continue
        if _ANY_START.match(s, pos) is None:
            continue
        hit = _hit_at(s, pos)
        if hit is not None:
            hits.append(hit)
    hits.sort(key=lambda h: (h.period is not None, h.start - h.end, h.start))
    taken: list[_Hit] = []
    for hit in hits:
        if all(hit.end <= other.start or other.end <= hit.start for other in taken):
            taken.append(hit)
    return sorted(taken, key=lambda h: h.start)


def _hit_at(s: str, pos: int) -> _Hit | None:
    candidates = [h for h in (_keyword_at(s, pos), _span_at(s, pos)) if h is not None]
    if not candidates:
        return None
    best = max(candidates, key=lambda h: h.end)
    end = best.end
    while end > best.start and s[end - 1].isspace():
        end -= 1
    return _Hit(best.start, end, best.period)


def _point_at(s: str, pos: int, *, yearless: bool = False) -> _Point | None:
    """The longest date expression starting exactly at ``pos``."""
    if (_ANY_POINT if yearless else _ANY_DATED).match(s, pos) is None:
        return None
    forms = _forms(s[pos], yearless=yearless)
    best: re.Match[str] | None = None
    for form in forms:
        m = form.match(s, pos)
        if m and (best is None or m.end() > best.end()):
            best = m
    iso_month = _ISO_MONTH.match(s, pos)
    # "2015-04" is April 2015 but "2011-12" is the two years 2011–2012: a range cannot run
    # backwards, so a hyphenated pair reads as year-month only when it could not be a range.
    if (
        iso_month
        and int(iso_month["mnum"]) <= int(iso_month["year"]) % 100
        and (best is None or iso_month.end() > best.end())
    ):
        best = iso_month
    return _point(best) if best else None


# Which forms may match at a character: at a digit only those that open with a number (no
# approximation word or sign can precede it there); at a letter other than the first of an
# approximation word ("c.", "about", "estimated", ...) only those that open with a word.
_DIGIT_FORMS = (_DATED_FORMS[0], _DATED_FORMS[1], _DATED_FORMS[6], _DATED_FORMS[7])
_WORD_FORMS = (_DATED_FORMS[2], _DATED_FORMS[3], _DATED_FORMS[4], _DATED_FORMS[5])
_APPROX_STARTS = frozenset("cCaAeE~≈")


def _forms(first: str, *, yearless: bool) -> tuple[re.Pattern[str], ...]:
    """The forms to try, in their order of _DATED_FORMS + _YEARLESS_FORMS, at a position whose
    character is ``first``."""
    if first.isdigit():
        return _DIGIT_FORMS + _YEARLESS_FORMS[:1] if yearless else _DIGIT_FORMS
    if first.isalpha() and first not in _APPROX_STARTS:
        return _WORD_FORMS + _YEARLESS_FORMS[1:] if yearless else _WORD_FORMS
    return _DATED_FORMS + _YEARLESS_FORMS if yearless else _DATED_FORMS


def _point(m: re.Match[str]) -> _Point:
    groups = m.groupdict()
    month = None
    if groups.get("month"):
        month = _MONTHS[groups["month"][:3].lower()]
    elif groups.get("mnum"):
        month = int(groups["mnum"])
    part = groups.get("part")
    if part:
        words = part.lower().split()
        part = next((_PART_WORDS[w] for w in words if w in _PART_WORDS), words[0])
    return _Point(
        start=m.start(),
        end=m.end(),
        year=int(groups["year"]) if groups.get("year") else None,
        month=month,
        day=int(groups["day"]) if groups.get("day") else None,
        part=part,
        season=groups["season"].lower() if groups.get("season") else None,
        year2=int(groups["year2"]) if groups.get("year2") else None,
        approximate=bool(groups.get("approx")),
    )


def _keyword_at(s: str, pos: int) -> _Hit | None:
    kw = _KEYWORD.match(s, pos)
    if kw is None:
        return None
    word = kw["kw"].lower()
    if word in ("from", "between"):
        inner = _between_at(s, kw.end()) if word == "between" else _span_at(s, kw.end())
        if inner is None or inner.period is None:
            return None if inner is None else _Hit(pos, inner.end, None)
        period = inner.period
        if period.instant:
            # "from 2015" says when it began, not that it still holds.
            period = Period(text=period.text, start=period.start, end=None)
        return _Hit(pos, inner.end, replace(period, text=s[pos : inner.end]))
    point = _point_at(s, kw.end())
    if point is None:
        return None
    value = _value(point, s)
    text = s[pos : point.end]
    if value is None:
        return _Hit(pos, point.end, None)
    if word == "since":
        return _Hit(pos, point.end, Period(text=text, start=value, end=None, ongoing=True))
    if word == "by":
        bound = _upper_bound_only(value, text=text)
        return _Hit(pos, point.end, Period(text=text, start=bound, end=None))
    return _Hit(pos, point.end, Period(text=text, start=None, end=value))


def _between_at(s: str, pos: int) -> _Hit | None:
    first = _point_at(s, pos, yearless=True)
    if first is None:
        return None
    conj = _AND.match(s, first.end)
    last = _point_at(s, conj.end()) if conj else None
    if last is None:
        return None
    return _range(s, pos, first, last)


def _span_at(s: str, pos: int) -> _Hit | None:
    """A range, an open or unknown-ended range, or a lone date, starting at ``pos``."""
    unknown = _UNKNOWN.match(s, pos)
    if unknown:
        sep = _SEP.match(s, unknown.end())
        last = _point_at(s, sep.end()) if sep else None
        if last is None:
            return None  # a lone "?" says nothing about time
        value = _value(last, s)
        if value is None:
            return _Hit(pos, last.end, None)
        return _Hit(pos, last.end, Period(text=s[pos : last.end], start=None, end=value))

    point = _point_at(s, pos, yearless=True)
    if point is None:
        return _day_range_at(s, pos)
    sep = _SEP.match(s, point.end)
    if point.year is None:
        # "April" or "17 July" only count as the start of a range whose end names the year.
        last = _point_at(s, sep.end()) if sep else None
        if last is None or last.year is None:
            return _day_range_at(s, pos)
        return _range(s, pos, point, last)

    first = _value(point, s)
    if first is None:
        return _Hit(pos, point.end, None)
    opened = _OPEN_END.match(s, point.end)
    if opened:
        end = opened.end()
        return _Hit(pos, end, Period(text=s[pos:end], start=first, end=None, ongoing=True))
    if sep:
        after = sep.end()
        present = _PRESENT.match(s, after)
        if present:
            text = s[pos : present.end()]
            return _Hit(pos, present.end(), Period(text, first, None, ongoing=True))
        unknown = _UNKNOWN.match(s, after)
        if unknown:
            return _Hit(pos, unknown.end(), Period(s[pos : unknown.end()], first, None))
        last = _point_at(s, after)
        if last is not None:
            return _range(s, pos, point, last)
        two = _TWO_DIGIT_YEAR.match(s, after) if point.plain_year else None
        year = _two_digit_end(point.year, int(two["yy"])) if two else None
        if two and year is not None:
            last = _Point(start=two.start(), end=two.end(), year=year)
            return _range(s, pos, point, last)
        amount = _AMOUNT.match(s, after)
        if amount:
            # "1990–2000 fighters": a count range whose first number happens to look like a year.
            return _Hit(pos, amount.end(), None)
    text = s[pos : point.end]
    return _Hit(pos, point.end, Period(text=text, start=first, end=first, instant=True))


def _day_range_at(s: str, pos: int) -> _Hit | None:
    """A day range, "17–19 May 2016": the first day takes the second date's month and year."""
    day = _BARE_DAY.match(s, pos)
    sep = _SEP.match(s, day.end()) if day else None
    last = _point_at(s, sep.end()) if sep else None
    if day is None or last is None or last.day is None:
        return None
    first = _Point(start=day.start(), end=day.end(), year=None, day=int(day["day"]))
    return _range(s, pos, replace(first, month=last.month), last)


def _range(s: str, pos: int, first: _Point, last: _Point) -> _Hit:
    year = first.year
    if year is None:
        year = last.year
        # "December–March 2020" began the year before the one written.
        if year is not None and first.month and last.month and first.month > last.month:
            year -= 1
    start = _value(first, s, year=year)
    end = _value(last, s)
    if start is None or end is None:
        return _Hit(pos, last.end, None)
    return _Hit(pos, last.end, Period(text=s[pos : last.end], start=start, end=end))


def _two_digit_end(start: int, yy: int) -> int | None:
    """The end year of "2012–14" or "1999–00"; None when no year within 50 years fits."""
    year = start // 100 * 100 + yy
    if year <= start:
        year += 100
    return year if year - start < 50 else None


# --------------------------------------------------------------------------- values


def _value(point: _Point, s: str, *, year: int | None = None) -> DateValue | None:
    """The checked value of a point, with ``year`` supplied for a point written without one."""
    year = point.year if point.year is not None else year
    if year is None:
        return None
    bounds = _bounds(point, year)
    if bounds is None:
        return None
    earliest, latest = bounds
    if point.year2 is not None:
        lexical, precision = None, None
    elif point.day is not None:
        lexical, precision = f"{year:04d}-{point.month:02d}-{point.day:02d}", "day"
    elif point.month is not None:
        lexical, precision = f"{year:04d}-{point.month:02d}", "month"
    else:
        lexical, precision = f"{year:04d}", "year"
    return DateValue(
        text=s[point.start : point.end].strip(),
        lexical=lexical,
        precision=precision,
        earliest=earliest,
        latest=latest,
        approximate=point.approximate,
    )


def _bounds(point: _Point, year: int) -> tuple[date, date] | None:
    try:
        if point.year2 is not None:
            year2 = point.year2
            if year2 < 100:
                year2 = _two_digit_end(year, year2) or 0
            if year2 <= year:
                return None
            return date(year, 1, 1), date(year2, 12, 31)
        if point.month is not None:
            if not 1 <= point.month <= 12:
                return None
            last_day = calendar.monthrange(year, point.month)[1]
            if point.day is not None:
                exact = date(year, point.month, point.day)
                return exact, exact
            first, last = _MONTH_PARTS.get(point.part or "", (1, last_day))
            return date(year, point.month, first), date(year, point.month, min(last, last_day))
        if point.season == "winter":
            # "Winter 2013" is the winter whose January and February fall in 2013; it began
            # in December 2012, and a December event must not fall outside the bounds.
            last_day = calendar.monthrange(year, 2)[1]
            return date(year - 1, 12, 1), date(year, 2, last_day)
        if point.season is not None:
            (m1, d1), (m2, d2) = _SEASONS[point.season]
            return date(year, m1, d1), date(year, m2, d2)
        (m1, d1), (m2, d2) = _YEAR_PARTS.get(point.part or "", ((1, 1), (12, 31)))
        return date(year, m1, d1), date(year, m2, d2)
    except ValueError:  # 31 February, year 0 and the like: not a date
        return None


def _upper_bound_only(value: DateValue, *, text: str) -> DateValue:
    """A "by 2016" value: no single value and no lower bound, only "not later than"."""
    return DateValue(
        text=text,
        lexical=None,
        precision=None,
        earliest=None,
        latest=value.latest,
        approximate=value.approximate,
    )
