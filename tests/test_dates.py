"""Dates and periods of infobox qualifiers and article prose (conflict_ld.mapping.dates)."""

from __future__ import annotations

import random
import string
from datetime import date
from itertools import pairwise

import pytest
from conflict_ld.mapping.dates import DateValue, Period, find_periods, parse_date, parse_period

# An expected value: (lexical, earliest, latest) with ISO strings; None = no value at all.
Expect = tuple[str | None, str | None, str | None] | None


def Y(year: int) -> Expect:  # one-letter names keep the tables one line per case
    return (f"{year}", f"{year}-01-01", f"{year}-12-31")


def M(year: int, month: int, last: int) -> Expect:
    return (f"{year}-{month:02d}", f"{year}-{month:02d}-01", f"{year}-{month:02d}-{last:02d}")


def D(year: int, month: int, day: int) -> Expect:
    iso = f"{year}-{month:02d}-{day:02d}"
    return (iso, iso, iso)


def _check(value: DateValue | None, expected: Expect) -> None:
    if expected is None:
        assert value is None
        return
    assert value is not None
    lexical, earliest, latest = expected
    assert value.lexical == lexical
    assert value.earliest == (date.fromisoformat(earliest) if earliest else None)
    assert value.latest == (date.fromisoformat(latest) if latest else None)
    precision = {None: None, 4: "year", 7: "month", 10: "day"}[len(lexical) if lexical else None]
    assert value.precision == precision


UNCERTAIN_2012_13: Expect = (None, "2012-01-01", "2013-12-31")
ONGOING, INSTANT = "ongoing", "instant"

# (text, start, end, flags)
PERIODS: list[tuple[str, Expect, Expect, str]] = [
    # real infobox strings
    ("2012/13 – 2015", UNCERTAIN_2012_13, Y(2015), ""),
    ("2015 – present", Y(2015), None, ONGOING),
    ("c. 2012/13 – 2015 (main group)", UNCERTAIN_2012_13, Y(2015), ""),
    ("2015 – present (remnant faction)", Y(2015), None, ONGOING),
    ("(2012–14)", Y(2012), Y(2014), ""),
    ("(April–May 2018)", M(2018, 4, 30), M(2018, 5, 31), ""),
    ("(October 2015)", M(2015, 10, 31), M(2015, 10, 31), INSTANT),
    ("(2015)", Y(2015), Y(2015), INSTANT),
    ("(2018)", Y(2018), Y(2018), INSTANT),
    ("30 September 2015 – Present", D(2015, 9, 30), None, ONGOING),
    ("23 January 2012[1] – 28 January 2017[2]", D(2012, 1, 23), D(2017, 1, 28), ""),
    ("(2014–present)[19]", Y(2014), None, ONGOING),
    ("(2015–17)[20]", Y(2015), Y(2017), ""),
    ("2011–2013 (as Liwa al-Islam)", Y(2011), Y(2013), ""),
    ("2013–Present (as Jaysh al-Islam)", Y(2013), None, ONGOING),
    ("(until 14 April 2018)", None, D(2018, 4, 14), ""),
    ("(2015–2019)[2]", Y(2015), Y(2019), ""),
    ("(since 2016)[20]", Y(2016), None, ONGOING),
    ("(May 2015)", M(2015, 5, 31), M(2015, 5, 31), INSTANT),
    ("(December 2016)", M(2016, 12, 31), M(2016, 12, 31), INSTANT),
    ("(April 2018-present)", M(2018, 4, 30), None, ONGOING),
    ("August 2015[1] – present", M(2015, 8, 31), None, ONGOING),
    ("December 2011–present", M(2011, 12, 31), None, ONGOING),
    ("(leader, 2011–2014)", Y(2011), Y(2014), ""),
    ("(overall leader, 31 July 2017–August 2018)", D(2017, 7, 31), M(2018, 8, 31), ""),
    ("(leader, August 2018–present; deputy leader, 2017–2018)", M(2018, 8, 31), None, ONGOING),
    ("(by 2016)", (None, None, "2016-12-31"), None, ""),
    ("2013 – 2024[1]", Y(2013), Y(2024), ""),
    ("20,000 estimated (August 2015)[2]", M(2015, 8, 31), M(2015, 8, 31), INSTANT),
    ("(Council on Foreign Relations claim, 2024)", Y(2024), Y(2024), INSTANT),
    ("10 October 2015 – present", D(2015, 10, 10), None, ONGOING),
    ("2011–present", Y(2011), None, ONGOING),
    ("(2021 estimate)", Y(2021), Y(2021), INSTANT),
    ("13 February 2014[1][2] – 21 July 2018[3][4][5][6]", D(2014, 2, 13), D(2018, 7, 21), ""),
    ("(Nov. 2015)", M(2015, 11, 30), M(2015, 11, 30), INSTANT),
    ("(July 2018)", M(2018, 7, 31), M(2018, 7, 31), INSTANT),
    ("2012 – ?", Y(2012), None, ""),
    ("1 December 2016 – present", D(2016, 12, 1), None, ONGOING),
    ("(Jan. 2017)", M(2017, 1, 31), M(2017, 1, 31), INSTANT),
    ("(Jan.–Sep. 2017)", M(2017, 1, 31), M(2017, 9, 30), ""),
    ("(since Aug. 2018)", M(2018, 8, 31), None, ONGOING),
    ("(Feb.–May 2018)", M(2018, 2, 28), M(2018, 5, 31), ""),
    (
        "18 July 2012—2014 (central group, some remnants still use the name)",
        D(2012, 7, 18),
        Y(2014),
        "",
    ),
    ("(Top Commander July 2012–November 2013)", M(2012, 7, 31), M(2013, 11, 30), ""),
    ("(Top Commander January 2014-?)", M(2014, 1, 31), None, ""),
    ("(Nov 2012)", M(2012, 11, 30), M(2012, 11, 30), INSTANT),
    ("(Oct 2013)", M(2013, 10, 31), M(2013, 10, 31), INSTANT),
    ("1 November 2012 – present", D(2012, 11, 1), None, ONGOING),
    ("September 2011 – 22 March 2015", M(2011, 9, 30), D(2015, 3, 22), ""),
    ("26 January 2017 – 2018 ()", D(2017, 1, 26), Y(2018), ""),
    ("(from 2015)", Y(2015), None, ""),
    ("(2013-2014, 2015-)", Y(2013), Y(2014), ""),
    ("(summer 2012–winter 2013)", ("2012", "2012-06-01", "2012-08-31"),
     ("2013", "2012-12-01", "2013-02-28"), ""),
    ("(December 2013–June 2015)", M(2013, 12, 31), M(2015, 6, 30), ""),
    ("(? - May 2019)", None, M(2019, 5, 31), ""),
    ("(2014 –2015)", Y(2014), Y(2015), ""),
    ("Summer 2012 – 2025", ("2012", "2012-06-01", "2012-08-31"), Y(2025), ""),
    ("(2012–2016)", Y(2012), Y(2016), ""),
    ("(September 2015–2017)", M(2015, 9, 30), Y(2017), ""),
    ("November 2011 – March 2019", M(2011, 11, 30), M(2019, 3, 31), ""),
    ("February 2023 – 29 January 2025", M(2023, 2, 28), D(2025, 1, 29), ""),
    ("(July 2012-August 2013)", M(2012, 7, 31), M(2013, 8, 31), ""),
    ("(since late 2016)", ("2016", "2016-09-01", "2016-12-31"), None, ONGOING),
    ("(2015, since November 2017)", Y(2015), Y(2015), INSTANT),
    ("(2012–14, 2016–17)", Y(2012), Y(2014), ""),
    ("2003 – present", Y(2003), None, ONGOING),
    ("1964–present", Y(1964), None, ONGOING),
    ("(de facto; 1973–2024)", Y(1973), Y(2024), ""),
    ("(1967, 1982)", Y(1967), Y(1967), INSTANT),
    ("(1970–71)", Y(1970), Y(1971), ""),
    ("(until 2024)", None, Y(2024), ""),
    ("(since 2024)", Y(2024), None, ONGOING),
    ("(since 2013)", Y(2013), None, ONGOING),
    ("(2017-2019)", Y(2017), Y(2019), ""),
    ("(2016 estimate)", Y(2016), Y(2016), INSTANT),
    ("(1970)", Y(1970), Y(1970), INSTANT),
    ("2013–2024", Y(2013), Y(2024), ""),
    ("(2022)", Y(2022), Y(2022), INSTANT),
    ("September 1966", M(1966, 9, 30), M(1966, 9, 30), INSTANT),
    ("1991 – present", Y(1991), None, ONGOING),
    # words around the date
    ("2021 estimate", Y(2021), Y(2021), INSTANT),
    ("Council on Foreign Relations claim, 2024", Y(2024), Y(2024), INSTANT),
    ("de facto; 1973–2024", Y(1973), Y(2024), ""),
    ("leader, 2011–2014", Y(2011), Y(2014), ""),
    ("Top Commander July 2012–November 2013", M(2012, 7, 31), M(2013, 11, 30), ""),
    ("founder and commander until Sept. 2017", None, M(2017, 9, 30), ""),
    # separators
    ("2014 –2015", Y(2014), Y(2015), ""),
    ("2012-2017", Y(2012), Y(2017), ""),
    ("18 July 2012—2014", D(2012, 7, 18), Y(2014), ""),
    ("2012 to 2014", Y(2012), Y(2014), ""),
    ("from 2012 to 2014", Y(2012), Y(2014), ""),
    ("between April and June 2017", M(2017, 4, 30), M(2017, 6, 30), ""),
    # two-digit range ends and shared years
    ("2012–14", Y(2012), Y(2014), ""),
    ("1985-88", Y(1985), Y(1988), ""),
    ("2015–17", Y(2015), Y(2017), ""),
    ("1999–00", Y(1999), Y(2000), ""),
    ("2011-12", Y(2011), Y(2012), ""),
    ("April–May 2018", M(2018, 4, 30), M(2018, 5, 31), ""),
    ("February–April 2018", M(2018, 2, 28), M(2018, 4, 30), ""),
    ("Jan.–Sep. 2017", M(2017, 1, 31), M(2017, 9, 30), ""),
    ("September–November 2015", M(2015, 9, 30), M(2015, 11, 30), ""),
    ("December 2019–March 2020", M(2019, 12, 31), M(2020, 3, 31), ""),
    ("December–March 2020", M(2019, 12, 31), M(2020, 3, 31), ""),
    ("31 July 2017–August 2018", D(2017, 7, 31), M(2018, 8, 31), ""),
    ("17–19 May 2016", D(2016, 5, 17), D(2016, 5, 19), ""),
    ("17 July – 2 August 2016", D(2016, 7, 17), D(2016, 8, 2), ""),
    # uncertain, open and unknown ends
    ("2012/13", UNCERTAIN_2012_13, UNCERTAIN_2012_13, INSTANT),
    ("2015-present", Y(2015), None, ONGOING),
    ("2015 -present", Y(2015), None, ONGOING),
    ("(2013–present)", Y(2013), None, ONGOING),
    ("2015 to the present", Y(2015), None, ONGOING),
    ("since April 2018", M(2018, 4, 30), None, ONGOING),
    ("from 2015", Y(2015), None, ""),
    ("(2015-)", Y(2015), None, ONGOING),
    ("2015-", Y(2015), None, ONGOING),
    ("until 2024", None, Y(2024), ""),
    ("until Sept. 2017", None, M(2017, 9, 30), ""),
    ("by 2016", (None, None, "2016-12-31"), None, ""),
    ("by the end of 2016", (None, None, "2016-12-31"), None, ""),
    ("2015", Y(2015), Y(2015), INSTANT),
    ("2015-04", M(2015, 4, 30), M(2015, 4, 30), INSTANT),
    ("(Nov 2012)", M(2012, 11, 30), M(2012, 11, 30), INSTANT),
    ("200 (2015)", Y(2015), Y(2015), INSTANT),
]


@pytest.mark.parametrize(("text", "start", "end", "flags"), PERIODS)
def test_parse_period(text: str, start: Expect, end: Expect, flags: str) -> None:
    period = parse_period(text)
    assert isinstance(period, Period)
    assert period.text == text.strip()
    _check(period.start, start)
    _check(period.end, end)
    assert period.ongoing is (flags == ONGOING)
    assert period.instant is (flags == INSTANT)
    if period.instant:
        assert period.start == period.end


@pytest.mark.parametrize(
    "text",
    [
        "formally",
        "de facto",
        "denied by Hamas",
        "former",
        "Palestinian Hezbollah affiliate",
        "main group",
        "remnant faction",
        "own claim",
        "estimate",
        "(claimed)",
        "(formally)",
        "(denied by Hamas)",
        "(de facto)",
        "()",
        "",
        "present",  # no date of its own to attach "still holds" to
        "?",
        "May",  # no year and parse_period has no default year
        "31 February 2016",
        "31 February 2016 – 2017",
        "20,000–25,000",
        "10,000 to 20,000 fighters",
        "2,000 killed",
        "$200,000",
        "3002",
        "2000 fighters",
        "1990–2000 fighters",
    ],
)
def test_parse_period_none(text: str) -> None:
    assert parse_period(text) is None


def test_period_parts_keep_their_own_text() -> None:
    period = parse_period("c. 2012/13 – 2015 (main group)")
    assert period is not None and period.start is not None and period.end is not None
    assert period.start.text == "c. 2012/13"
    assert period.start.approximate
    assert period.start.datatype is None
    assert period.end.text == "2015"
    assert not period.end.approximate


# (text, default_year, expected, approximate)
DATES: list[tuple[str, int | None, Expect, bool]] = [
    ("17 February 2016", None, D(2016, 2, 17), False),
    ("On the 23 October 2015", None, D(2015, 10, 23), False),
    ("February 17, 2016", None, D(2016, 2, 17), False),
    ("February 17th, 2016", None, D(2016, 2, 17), False),
    ("March 19, 2005", None, D(2005, 3, 19), False),
    ("8th of December 2017", None, D(2017, 12, 8), False),
    ("2016-02-17", None, D(2016, 2, 17), False),
    ("17 Feb 2016", None, D(2016, 2, 17), False),
    ("29 February 2016", None, D(2016, 2, 29), False),
    ("29 February 2000", None, D(2000, 2, 29), False),
    ("2015", None, Y(2015), False),
    ("(2018)", None, Y(2018), False),
    ("2015[3]", None, Y(2015), False),
    ("(May 2015)", None, M(2015, 5, 31), False),
    ("(Nov 2012)", None, M(2012, 11, 30), False),
    ("February 2016", None, M(2016, 2, 29), False),
    ("February 2015", None, M(2015, 2, 28), False),
    ("nov 2015", None, M(2015, 11, 30), False),
    ("September 1966", None, M(1966, 9, 30), False),
    ("early 2015", None, ("2015", "2015-01-01", "2015-04-30"), False),
    ("mid-2015", None, ("2015", "2015-05-01", "2015-08-31"), False),
    ("mid 2015", None, ("2015", "2015-05-01", "2015-08-31"), False),
    ("late 2015", None, ("2015", "2015-09-01", "2015-12-31"), False),
    ("the end of 2015", None, ("2015", "2015-09-01", "2015-12-31"), False),
    ("late August 2016", None, ("2016-08", "2016-08-21", "2016-08-31"), False),
    ("early August 2016", None, ("2016-08", "2016-08-01", "2016-08-10"), False),
    ("mid-August 2016", None, ("2016-08", "2016-08-11", "2016-08-20"), False),
    ("late February 2016", None, ("2016-02", "2016-02-21", "2016-02-29"), False),
    ("Summer 2012", None, ("2012", "2012-06-01", "2012-08-31"), False),
    ("summer 2012", None, ("2012", "2012-06-01", "2012-08-31"), False),
    ("the summer of 2012", None, ("2012", "2012-06-01", "2012-08-31"), False),
    ("winter 2013", None, ("2013", "2012-12-01", "2013-02-28"), False),
    ("Winter 2016", None, ("2016", "2015-12-01", "2016-02-29"), False),
    ("spring 2014", None, ("2014", "2014-03-01", "2014-05-31"), False),
    ("autumn 2014", None, ("2014", "2014-09-01", "2014-11-30"), False),
    ("fall 2014", None, ("2014", "2014-09-01", "2014-11-30"), False),
    ("2012/13", None, UNCERTAIN_2012_13, False),
    ("c. 2012/13", None, UNCERTAIN_2012_13, True),
    ("2012/2013", None, UNCERTAIN_2012_13, False),
    ("c. 2015", None, Y(2015), True),
    ("circa 1990", None, Y(1990), True),
    ("around 2014", None, Y(2014), True),
    ("about 2014", None, Y(2014), True),
    ("estimated 2014", None, Y(2014), True),
    ("by 2016", None, (None, None, "2016-12-31"), False),
    # relative: only with a default year
    ("in May", 2018, M(2018, 5, 31), False),
    ("May", 2018, M(2018, 5, 31), False),
    ("Nov", 2015, M(2015, 11, 30), False),
    ("Nov.", 2015, M(2015, 11, 30), False),
    ("Sept.", 2017, M(2017, 9, 30), False),
    ("Jan.", 2017, M(2017, 1, 31), False),
    ("on 5 June", 2016, D(2016, 6, 5), False),
    ("late May", 2018, ("2018-05", "2018-05-21", "2018-05-31"), False),
    ("in 2015", 2018, Y(2015), False),  # a written year beats the default
    ("29 February", 2016, D(2016, 2, 29), False),
    # no value
    ("in May", None, None, False),
    ("May", None, None, False),
    ("29 February", 2015, None, False),
    ("31 February 2016", None, None, False),
    ("29 February 2015", None, None, False),
    ("31 April 2016", None, None, False),
    ("2016-02-30", None, None, False),
    ("2016-13-01", None, None, False),
    ("3002", None, None, False),
    ("1850", None, None, False),
    ("2013/12", None, None, False),
    ("2012–2014", None, None, False),  # a period, not a date
    ("since 2015", None, None, False),
    ("2015-", None, None, False),
    ("present", None, None, False),
    ("formally", None, None, False),
    ("", None, None, False),
]


@pytest.mark.parametrize(("text", "default_year", "expected", "approximate"), DATES)
def test_parse_date(
    text: str, default_year: int | None, expected: Expect, approximate: bool
) -> None:
    value = parse_date(text, default_year=default_year)
    _check(value, expected)
    if value is not None:
        assert value.text == text.strip()
        assert value.approximate is approximate


@pytest.mark.parametrize(
    ("text", "datatype"),
    [("2015", "gYear"), ("late 2015", "gYear"), ("May 2015", "gYearMonth"),
     ("17 May 2015", "date"), ("2012/13", None), ("by 2016", None)],
)
def test_datatype(text: str, datatype: str | None) -> None:
    value = parse_date(text)
    assert value is not None
    assert value.datatype == datatype


# (sentence, expected span texts)
SENTENCES: list[tuple[str, list[str]]] = [
    (
        "On 17 February 2016, over 400 fighters and senior leaders of Jund al-Aqsa defected "
        "to al-Nusra Front.",
        ["17 February 2016"],
    ),
    (
        "In February 2014 Jund al-Aqsa captured the town of Ma’an and massacred more than 21 "
        "Alawite civilians",
        ["February 2014"],
    ),
    ("In late August 2016 Jund al-Aqsa announced an offensive", ["late August 2016"]),
    ("In July 2013, Ahrar al-Sham had 10,000 to 20,000 fighters", ["July 2013"]),
    (
        "the government launched an offensive from April 2018, aiming to retake",
        ["from April 2018"],
    ),
    ("which it defended ... from government attacks from 2013.", ["from 2013"]),
    ("In the 2024 Syrian opposition offensives", ["2024"]),
    ("In early 2015, amidst", ["early 2015"]),
    ("On the 23 October 2015 the group", ["23 October 2015"]),
    ("200 (2015)", ["2015"]),
    ("20,000–25,000", []),
    ("10,000 to 20,000 fighters", []),
    ("2,000 killed", []),
    ("$200,000", []),
    ("3002", []),
    ("2000 fighters, 1500 members, 1950 soldiers, 2010 people, 2011 civilians", []),
    ("In May the group withdrew", []),
    ("31 February 2016 is no date", []),
    ("mid 2015 and mid-2016", ["mid 2015", "mid-2016"]),
    ("(2013-2014, 2015-)", ["2013-2014", "2015-"]),
    ("(2015, since November 2017)", ["2015", "since November 2017"]),
    ("23 January 2012[1] – 28 January 2017[2] it was", ["23 January 2012[1] – 28 January 2017"]),
    ("By the end of 2016 it had", ["By the end of 2016"]),
    # rendered infoboxes glue the label to the value
    ("Dates of operation2011–2013 (as Liwa al-Islam)", ["2011–2013"]),
    ("Active23 January 2012[1] – 28 January 2017[2]", ["23 January 2012[1] – 28 January 2017"]),
    ("Size20,000–25,000[21] (May 2015)", ["May 2015"]),
]


@pytest.mark.parametrize(("sentence", "spans"), SENTENCES)
def test_find_periods_spans(sentence: str, spans: list[str]) -> None:
    found = find_periods(sentence)
    assert [sentence[start:end] for start, end, _ in found] == spans
    for start, end, period in found:
        assert period.text == sentence[start:end]


def test_find_periods_values() -> None:
    [(_, _, day)] = find_periods("On 17 February 2016, over 400 fighters defected.")
    assert day.instant
    _check(day.start, D(2016, 2, 17))

    [(_, _, late)] = find_periods("In late August 2016 Jund al-Aqsa announced an offensive")
    _check(late.start, ("2016-08", "2016-08-21", "2016-08-31"))

    [(_, _, since)] = find_periods("the government launched an offensive from April 2018, aiming")
    assert since.end is None and not since.ongoing and not since.instant
    _check(since.start, M(2018, 4, 30))

    [(_, _, early)] = find_periods("In early 2015, amidst")
    _check(early.start, ("2015", "2015-01-01", "2015-04-30"))


def test_spans_do_not_overlap_and_are_ordered() -> None:
    text = "From 2012 to 2014, then 2015–present; by 2016 and (since late 2016) c. 2012/13 – 2015."
    found = find_periods(text)
    assert len(found) == 5
    for (_, end, _), (start, _, _) in pairwise(found):
        assert end <= start


def _random_texts(count: int) -> list[str]:
    rng = random.Random(20240601)
    pieces = [
        "2015", "12", "–", "-", "—", "?", "present", "since", "from", "by", "until", "May",
        "Sept.", "late", "mid-", "winter", "/", "13", "(", ")", "[1]", "31", "February", ",",
        "c.", "to", "0000", "9999", "29", "00", "th", " ", " ", "$", "20,000", "fighters",
    ]
    texts = []
    for _ in range(count):
        parts = rng.choices(pieces, k=rng.randint(0, 12))
        noise = "".join(rng.choices(string.printable + "–—’…", k=rng.randint(0, 6)))
        texts.append(" ".join(parts) + noise)
        texts.append("".join(rng.choices(string.printable + "–—?", k=rng.randint(0, 40))))
    return texts


@pytest.mark.parametrize("text", _random_texts(400))
def test_never_raises(text: str) -> None:
    for year in (None, 1, 2016, 9999):
        parse_date(text, default_year=year)
    parse_period(text)
    for start, end, period in find_periods(text):
        assert 0 <= start < end <= len(text)
        assert period.text == text[start:end]


def test_odd_inputs_do_not_raise() -> None:
    assert parse_date("May", default_year=0) is None  # no year 0 in the calendar
    assert parse_date("May", default_year=10_000) is None
    assert parse_date(None) is None  # type: ignore[arg-type]
    assert parse_period(None) is None  # type: ignore[arg-type]
    assert find_periods(None) == []  # type: ignore[arg-type]


def test_the_scan_prefilter_misses_no_start() -> None:
    """_MAY_START, the quick search of where a date expression may begin, finds every place
    where one of the expressions _ANY_START stands for matches and _select would try it."""
    from pathlib import Path

    from conflict_ld.mapping import dates

    corpus = Path(__file__).parent / "corpus"
    texts = [s for s, _ in SENTENCES] + _random_texts(400)
    texts += [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    rng = random.Random(3)
    alphabet = "0123456789 -–/?~≈.,()aAbcdeEfhilmnNoprsStTuwy"
    texts += ["".join(rng.choice(alphabet) for _ in range(40)) for _ in range(3000)]
    texts += ["the end of 2015, The beginning of May 2014, the\nsummer of 2013, THE  Middle of 2012",
              "Synthetic-00000 and 12345 or 1999-2000 then 0, 07, 007 and 2015-07-01 (2012–13)"]
    checked = 0
    for text in texts:
        for pos in range(len(text)):
            if dates._ANY_START.match(text, pos) is None or text[pos].isspace():
                continue
            glued = text[pos].isdigit() and pos > 0 and text[pos - 1].isalpha()
            if pos and text[pos - 1].isalnum() and not glued:
                continue
            checked += 1
            found = dates._MAY_START.search(text, pos)
            assert found is not None and found.start() == pos, (text[pos : pos + 30], pos)
    assert checked > 1000
