"""Synthetic benchmark articles for conflict-ld.

    python bench/generate.py --articles N --out DIR [--seed S]

writes N made-up articles about made-up armed groups into DIR, in the three renderings the
project reads (``infobox-wikitext``, ``rendered-page``, ``prose``) in equal shares, and an
``INDEX.tsv`` like ``tests/corpus/INDEX.tsv`` (file, title, source_url, kind, chars; the
source_url is empty). The same arguments always give byte-identical files.

Every name is visibly synthetic ("Synthetic-00042 Brigade", "Synthetic Person-00193",
"Synthetic Town-017"), so nothing generated here can be taken for real data. The numbers
carry a leading zero and are glued to a capitalised word because of how the mapping reads
names: a prose name is found only through a typing cue ("the ... Brigade", "the town of ...",
"commander ..."), whose words must each start with a capital, and a bare number between 1900
and 2099 would be read as a year.

Pure standard library; used only for benchmarks.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RENDERINGS = ("infobox-wikitext", "rendered-page", "prose")
INDEX_NAME = "INDEX.tsv"
INDEX_HEADER = ("file", "title", "source_url", "kind", "chars")

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
FIRST_YEAR, LAST_YEAR = 2011, 2024

# Group name endings that the mapping both types in prose ("the ... Brigade") and classes as
# an armed group in an infobox.
GROUP_KINDS = ("Brigade", "Battalion", "Front", "Movement", "Army", "Forces", "Legion", "Division",
               "Regiment", "Corps", "Brigades", "Battalions")
# Umbrella names no table or class hint knows: an infobox "Part of" makes them coalitions.
COALITION_KINDS = ("Alliance", "Coalition", "Council", "Command")
ARABIC_KINDS = {
    "Brigade": "لواء", "Battalion": "كتيبة", "Front": "جبهة", "Movement": "حركة", "Army": "جيش",
    "Forces": "قوات", "Legion": "فيلق", "Division": "فرقة", "Regiment": "فوج", "Corps": "فيلق",
    "Brigades": "ألوية", "Battalions": "كتائب",
}
ARABIC_WORDS = ("الاصطناعي", "التجريبي", "الافتراضي", "النموذجي")
# Ideologies the entity table knows, as infobox names and as the adjectives prose uses.
IDEOLOGIES = (
    ("Sunni Islamism", "Sunni Islamist"), ("Salafism", "Salafist"), ("Jihadism", "Jihadist"),
    ("Syrian nationalism", "Syrian nationalist"), ("Palestinian nationalism", "Palestinian nationalist"),
    ("Shia Islamism", "Shia Islamist"), ("Secularism", "Secularist"), ("Islamism", "Islamist"),
    ("Pan-Arabism", "Pan-Arabist"), ("Khomeinism", "Khomeinist"),
)
PUBLISHERS = ("Synthetic Observer", "Synthetic News Agency", "The Synthetic Monitor",
              "Synthetic Gazette", "Synthetic Research Institute")
SECTION_TITLES = ("History", "Formation", "Military operations", "Relations with other groups",
                  "Organization", "Later activities")
# Page furniture of mirrors that the parser blanks (mapping/data/cleaning.toml).
FURNITURE = ("Jump to content", "Last updated")


def code(index: int, size: int) -> str:
    """A zero-led, zero-padded number: never read as a year (1900-2099) or a day (1-31)."""
    return str(index).zfill(_width(size))


@cache
def _width(size: int) -> int:
    return max(3, len(str(max(size - 1, 1))) + 1)


@dataclass(frozen=True)
class Pools:
    """Entity pools sized relative to the article count, so names repeat across articles."""

    groups: int
    people: int
    towns: int
    provinces: int
    parties: int
    coalitions: int

    @classmethod
    def for_articles(cls, n: int) -> Pools:
        return cls(groups=max(n, 24), people=max(n, 24), towns=max(n // 5, 8),
                   provinces=max(n // 50, 4), parties=max(n // 100, 3), coalitions=max(n // 40, 3))

    def group(self, i: int) -> str:
        return f"Synthetic-{code(i, self.groups)} {GROUP_KINDS[i % len(GROUP_KINDS)]}"

    def person(self, i: int) -> str:
        return f"Synthetic Person-{code(i, self.people)}"

    def town(self, i: int) -> str:
        return f"Synthetic Town-{code(i, self.towns)}"

    def province(self, i: int) -> str:
        return f"Synthetic Province-{code(i, self.provinces)}"

    def party(self, i: int) -> str:
        return f"Synthetic-{code(i, self.parties)} Party"

    def coalition(self, i: int) -> str:
        return f"Synthetic-{code(i, self.coalitions)} {COALITION_KINDS[i % len(COALITION_KINDS)]}"


@dataclass
class Value:
    """One infobox item: a name or number, parenthesised qualifiers, and decorations."""

    text: str
    qualifiers: tuple[str, ...] = ()
    prefix: str = ""  # "Flag of Synthetic Land.svg ", "18px ", "Col. "
    suffix: str = ""  # " KIA"
    cite: bool = False  # rendered pages put a citation mark after it

    def plain(self) -> str:
        quals = "".join(f" ({q})" for q in self.qualifiers)
        return f"{self.prefix}{self.text}{self.suffix}{quals}"


@dataclass
class Field:
    key: str  # wikitext key ("Partof")
    label: str  # rendered label ("Part of")
    values: list[Value]
    glue: bool = True  # rendered pages glue the first value to the label


@dataclass
class Article:
    number: int
    kind: str
    title: str
    arabic: str
    lead: str
    fields: list[Field]
    sections: list[tuple[str, list[list[str]]]]  # (heading, paragraphs of sentences)


class Generator:
    def __init__(self, n: int, seed: int, density: float = 1.0) -> None:
        self.n = n
        self.density = density
        self.rng = random.Random(f"conflict-ld-bench:{seed}")
        self.pools = Pools.for_articles(n)
        self.popular = max(self.pools.groups // 20, 6)
        # Parties an earlier (or this) article's infobox named: their class is settled there, so
        # prose may name them too (in prose an unknown "... Party" would be typed a group).
        self.introduced_parties: list[int] = []
        kinds = [RENDERINGS[i % len(RENDERINGS)] for i in range(n)]
        self.rng.shuffle(kinds)
        self.kinds = kinds
        self.width = max(5, len(str(n - 1)))
        self.subjects = [self._subject(i) for i in range(n)]

    # -- choices -------------------------------------------------------------------------

    def _subject(self, number: int) -> int:
        # One article in ten covers the group of the article before it (as the seeds cover one
        # group twice), so the same subject is merged across renderings.
        if number % 10 == 9:
            return number - 1
        return number % self.pools.groups

    def group(self, avoid: Sequence[int] = ()) -> int:
        while True:
            if self.rng.random() < 0.35:
                i = self.rng.randrange(self.popular)
            else:
                i = self.rng.randrange(self.pools.groups)
            if i not in avoid:
                return i

    def groups(self, k: int, avoid: Sequence[int]) -> list[int]:
        out: list[int] = []
        while len(out) < k:
            i = self.group(avoid=[*avoid, *out])
            out.append(i)
        return out

    def year(self, low: int = FIRST_YEAR, high: int = LAST_YEAR) -> int:
        return self.rng.randint(low, high)

    def month(self) -> str:
        return self.rng.choice(MONTHS)

    def months(self) -> str:
        """An ordered month range within one year: "April–May"."""
        first = self.rng.randrange(11)
        return f"{MONTHS[first]}–{MONTHS[self.rng.randint(first + 1, 11)]}"

    def day(self) -> int:
        return self.rng.randint(1, 28)

    def period_qualifier(self) -> str:
        r = self.rng.random()
        start = self.year(2011, 2020)
        if r < 0.3:
            return str(self.year())
        if r < 0.55:
            return f"{start}–{self.rng.randint(start + 1, 2024)}"
        if r < 0.7:
            return f"until {self.year(2015, 2024)}"
        if r < 0.85:
            return f"since {self.month()} {start}"
        return f"{self.months()} {start}" if self.rng.random() < 0.5 else f"{start}–present"

    def status_qualifier(self) -> str:
        return self.rng.choice(("formally", "sometimes", "former", "claimed", "reportedly", "de facto"))

    def flagged(self, value: Value) -> Value:
        r = self.rng.random()
        if r < 0.12:
            value.prefix = "Flag of Synthetic Land.svg "
        elif r < 0.22:
            value.prefix = "18px "
        return value

    # -- one article ---------------------------------------------------------------------

    def article(self, number: int) -> Article:
        rng = self.rng
        kind = self.kinds[number]
        subject = self.subjects[number]
        title = self.pools.group(subject)
        group_kind = GROUP_KINDS[subject % len(GROUP_KINDS)]
        arabic = f"{ARABIC_KINDS[group_kind]} {ARABIC_WORDS[subject % len(ARABIC_WORDS)]}"
        ideologies = rng.sample(IDEOLOGIES, rng.randint(2, 3))
        leaders = [rng.randrange(self.pools.people) for _ in range(rng.randint(3, 4))]
        towns = [rng.randrange(self.pools.towns) for _ in range(4)]
        provinces = rng.sample(range(self.pools.provinces), 3)
        party = rng.randrange(self.pools.parties)
        allies = self.groups(rng.randint(4, 6), avoid=[subject])
        opponents = self.groups(rng.randint(4, 6), avoid=[subject, *allies])
        start = self.year(2011, 2016)

        fields = self._fields(kind, subject, ideologies, leaders, towns, provinces, party, allies,
                              opponents, start) if kind != "prose" else []
        if kind != "prose" and party not in self.introduced_parties:
            self.introduced_parties.append(party)

        adjectives = " and ".join(adj for _, adj in ideologies[:2])
        sentences = self._sentences(kind, title, subject, leaders, towns, allies, opponents, start)
        lead = (f"The {title} is a {adjectives} rebel group active during the Syrian Civil War. "
                f"The {title} was founded in {start}.")
        chunk = 3 if kind != "prose" else 4
        paragraphs = [sentences[i : i + chunk] for i in range(0, len(sentences), chunk)]
        titles = ["History", *rng.sample(SECTION_TITLES[1:], 2)]
        per = max(1, -(-len(paragraphs) // len(titles)))
        sections = [(titles[i], paragraphs[i * per : (i + 1) * per]) for i in range(len(titles))]
        sections = [(t, p) for t, p in sections if p]
        return Article(number=number, kind=kind, title=title, arabic=arabic, lead=lead, fields=fields,
                       sections=sections)

    def _fields(self, kind: str, subject: int, ideologies: Sequence[tuple[str, str]],
                leaders: Sequence[int], towns: Sequence[int], provinces: Sequence[int], party: int,
                allies: Sequence[int], opponents: Sequence[int], start: int) -> list[Field]:
        rng, pools = self.rng, self.pools
        wars = [Value("Syrian Civil War")]
        battles = [
            Value(f"Battle of {pools.town(towns[1])}", (str(self.year(start, 2024)),)),
            Value(f"{pools.province(provinces[1])} offensive",
                  (f"{self.months()} {self.year(start, 2024)}",)),
            Value(f"Siege of {pools.town(towns[2])}"),
        ]
        wars.extend(battles[: rng.randint(2, 3)])
        if rng.random() < 0.5:
            active = [Value(f"{start}/{(start + 1) % 100:02d} – {start + 3}"),
                      Value(f"{start + 3} – present")]
            if kind == "rendered-page":
                active[0].qualifiers, active[1].qualifiers = ("main group",), ("remnant faction",)
        elif rng.random() < 0.5:
            active = [Value(f"c. {start} – {self.year(start + 2, 2024)}")]
        else:
            end = f"{self.day()} {self.month()} {self.year(start + 2, 2024)}"
            active = [Value(f"{self.month()} {start} – {end}")]
        ideology = [Value(name) for name, _ in ideologies]
        if rng.random() < 0.5:
            ideology[-1].qualifiers = (f"since {self.year(start, 2022)}",)
        if rng.random() < 0.3:
            ideology.append(Value(f"Synthetic Doctrine-{code(subject % 17, 17)}"))
        people = []
        for position, person in enumerate(leaders):
            value = Value(pools.person(person), cite=True)
            if position == 0:
                value.qualifiers = (f"{start}–{self.year(start + 1, 2024)}",)
            elif position == 1:
                value.qualifiers = (rng.choice(("deputy commander", "military chief", "spokesman")),)
            elif rng.random() < 0.4:
                value.prefix = rng.choice(("Col. ", "Maj. ", "Sheikh "))
            else:
                value.suffix = rng.choice((" KIA", " †"))
            people.append(value)
        hq = [Value(f"{pools.town(towns[0])}, {pools.province(provinces[0])}")]
        areas = [Value(pools.province(p)) for p in provinces[: rng.randint(2, 3)]]
        low = rng.randint(2, 40) * 50
        sizes = [Value(f"{low:,}", (str(start + 1),), cite=True)]
        for _ in range(rng.randint(0, 2)):
            low = rng.randint(1, 9) * 1000
            sizes.append(Value(f"{low:,}–{low + rng.randint(1, 3) * 1000:,}", (str(self.year(start + 1)),),
                               cite=True))
        sides = [Value(pools.party(party), cite=True)]
        if rng.random() < 0.5:
            sides[0].qualifiers = (f"denied by {pools.party(party)}",)
        ally_values = []
        for i in allies:
            value = self.flagged(Value(pools.group(i), cite=rng.random() < 0.4))
            if rng.random() < 0.6:
                value.qualifiers = (rng.choice((self.period_qualifier(), self.status_qualifier())),)
            ally_values.append(value)
        enemy_values = []
        for i in opponents:
            value = self.flagged(Value(pools.group(i), cite=rng.random() < 0.4))
            if rng.random() < 0.5:
                value.qualifiers = (rng.choice((self.period_qualifier(), "sometimes")),)
            enemy_values.append(value)
        part_of = [Value(pools.coalition(rng.randrange(pools.coalitions)), (self.period_qualifier(),))]
        if rng.random() < 0.6:
            part_of.append(Value(pools.group(self.group(avoid=[subject])), (self.period_qualifier(),)))
        fields = [
            Field("War", "Battles and wars", wars),
            Field("Active", "Dates of operation", active),
            Field("Ideology", "Ideology", ideology),
            Field("Leaders", "Leaders", people, glue=False),
            Field("Headquarters", "Headquarters", hq),
            Field("Area", "Active regions", areas),
            Field("Size", "Size", sizes),
            Field("Allegiance", "Allegiance", sides, glue=rng.random() < 0.5),
            Field("Allies", "Allies", ally_values, glue=rng.random() < 0.5),
            Field("Opponents", "Opponents", enemy_values, glue=rng.random() < 0.5),
            Field("Partof", "Part of", part_of),
        ]
        if rng.random() < 0.4:
            fields.append(Field("Clans", "Group(s)", [Value(pools.group(i)) for i in
                                                     self.groups(rng.randint(1, 2), avoid=[subject])],
                                glue=False))
        if rng.random() < 0.6:
            before = [Value(pools.group(self.group(avoid=[subject])))]
            fields.append(Field("Predecessor", "Preceded by", before, glue=False))
        if rng.random() < 0.4:
            after = [Value(pools.group(self.group(avoid=[subject])))]
            fields.append(Field("Successor", "Succeeded by", after, glue=False))
        if self.density < 1:
            for f in fields:
                keep = max(1, round(len(f.values) * self.density))
                if keep < len(f.values):
                    f.values = [f.values[i] for i in sorted(rng.sample(range(len(f.values)), keep))]
        if kind == "rendered-page":
            # Rendered pages list wars last, as their infobox does.
            fields.append(fields.pop(0))
        return fields

    def _sentences(self, kind: str, title: str, subject: int, leaders: Sequence[int],
                   towns: Sequence[int], allies: Sequence[int], opponents: Sequence[int],
                   start: int) -> list[str]:
        """Statements of the kinds the prose rules read (mapping/data/prose_rules.toml)."""
        rng, pools = self.rng, self.pools
        x = f"the {title}"
        others = self.groups(6, avoid=[subject])

        def g(i: int) -> str:
            return pools.group(i)

        def when() -> str:
            return f"{self.month()} {self.year(start, 2024)}"

        founder = pools.person(leaders[0])
        candidates = [
            f"In {start}, commander {founder} broke away to form {x}.",
            f"{x[0].upper()}{x[1:]} was led by the commander {pools.person(leaders[1])} from "
            f"{start} until {self.year(start + 1, 2024)}.",
            f"In {when()} {x} captured the town of {pools.town(towns[3])}.",
            f"On {self.day()} {when()}, over {rng.randint(2, 40) * 10} fighters of {x} defected to "
            f"the {g(others[0])}.",
            f"The {title} left the {g(others[1])} in {when()}.",
            f"The {title} clashed with the {g(opponents[0])} in {when()}.",
            f"In {when()}, {x} agreed to surrender and be relocated to the town of "
            f"{pools.town(towns[1])}.",
            f"The {title} allied itself with the {g(allies[0])} and the {g(allies[1])}.",
            f"In {self.year(start)}, {x} joined the {g(others[2])}.",
            f"By {self.year(start + 1)}, {x} numbered about {rng.randint(3, 60) * 50:,} fighters.",
            f"The {title} was reportedly backed by the {g(allies[2])}.",
            f"In {when()}, {x} signed a ceasefire agreement with the {g(opponents[1])}.",
            f"In {when()}, {x} merged with the {g(others[3])} to form the {g(others[4])}.",
            f"The {title} has always opposed the {g(opponents[2])}.",
            f"In {self.year(start)}, {x} was absorbed into the {g(others[5])}.",
        ]
        if self.introduced_parties:
            party = pools.party(rng.choice(self.introduced_parties))
            candidates.append(f"In {self.year(start)} the {party} officially denied any links with {title}.")
        first, rest = candidates[:2], candidates[2:]
        count = rng.randint(6, 9) if kind != "prose" else rng.randint(11, 14)
        count = max(len(first), round(count * self.density))
        chosen = first + rng.sample(rest, min(count - len(first), len(rest)))
        if rng.random() < 0.25:
            chosen.append(f"The {title} was dissolved in {when()}.")
        return chosen


# -- renderings ----------------------------------------------------------------------------


class Citations:
    def __init__(self, rng: random.Random, title: str) -> None:
        self.rng = rng
        self.title = title
        self.count = 0

    def mark(self) -> str:
        self.count += 1
        return f"[{self.count}]"

    def references(self) -> list[str]:
        lines = []
        for n in range(1, self.count + 1):
            year = self.rng.randint(2012, 2024)
            day, month = self.rng.randint(1, 28), self.rng.choice(MONTHS)
            publisher = self.rng.choice(PUBLISHERS)
            lines.append(f'  {n}. "Synthetic report {n} on the {self.title}". {publisher}. '
                         f"{day} {month} {year}.")
        return lines


def render_wikitext(article: Article) -> str:
    out = [f"= {article.title} =", ""]
    out.append(f"{article.title}, {article.arabic}" if article.number % 2 else article.title)
    if article.number % 3 == 0:
        out.append("- Native Name Lang: ar")
    for f in article.fields:
        out.append(f"- {f.key}: " + ", ".join(v.plain() for v in f.values))
    out.append("")
    kind = article.title.rsplit(" ", 1)[-1]
    lead = article.lead.replace(f"The {article.title} is", f"The {article.title} ({article.arabic}, "
                                f'lit. "Synthetic {kind}") is', 1)
    out.append(lead)
    for heading, paragraphs in article.sections:
        out.extend(["", f"== {heading} =="])
        out.extend(" ".join(p) for p in paragraphs)
    out.extend(["", "== See also ==", "- List of synthetic armed groups (benchmark data)", ""])
    return "\n".join(out)


def render_rendered(article: Article, rng: random.Random) -> str:
    cites = Citations(rng, article.title)
    out = [article.title, ""]
    if article.number % 4 == 1:
        out.extend([FURNITURE[article.number % len(FURNITURE)], ""])
    out.extend([f"{article.lead.replace(' rebel group', ' rebel group' + cites.mark(), 1)}", ""])
    out.extend([article.title, article.arabic])
    for f in article.fields:
        lines = []
        for value in f.values:
            text = value.plain() + (cites.mark() if value.cite and rng.random() < 0.7 else "")
            if f.key == "Leaders":
                lines.append(f"  • {text}")
            else:
                lines.append(text)
        # A label glued before a flag's file name reads as an image caption, not a label (the
        # parser's rule for "Flag of Syria.svg Syrian Army"), so such a value starts a line.
        if f.glue and f.key != "Leaders" and ".svg" not in f.values[0].prefix:
            sep = " " if f.key in ("Allies", "Opponents", "Allegiance") else ""
            out.append(f"{f.label}{sep}{lines[0]}")
            out.extend(lines[1:])
        else:
            out.append(f.label)
            out.extend(lines)
    out.append("")
    for heading, paragraphs in article.sections:
        out.extend([heading, ""])
        for paragraph in paragraphs:
            out.extend([" ".join(s + (cites.mark() if rng.random() < 0.6 else "") for s in paragraph), ""])
    out.extend(["See also", "", "References", ""])
    out.extend(cites.references())
    return "\n".join(out) + "\n"


def render_prose(article: Article) -> str:
    out = []
    with_title = article.number % 2 == 0
    if with_title:
        out.extend([article.title, "", ""])
    out.append(article.lead)
    for index, (heading, paragraphs) in enumerate(article.sections):
        if with_title and index:
            out.extend(["", heading, ""])
        out.extend(" ".join(p) for p in paragraphs)
    return "\n".join(out) + "\n"


# -- files -----------------------------------------------------------------------------------


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")


def generate(
    n: int, out: Path, *, seed: int = 0, density: float = 1.0
) -> list[tuple[str, str, str, int]]:
    """Write the articles and INDEX.tsv; return the index rows (file, title, kind, chars).

    ``density`` (0 < d <= 1) keeps that share of each infobox field's values (at least one,
    so every field stays) and of the prose statements (at least two): fewer facts and triples
    per article with the same renderings."""
    if n < 1:
        raise ValueError("the number of articles must be at least 1")
    if not 0 < density <= 1:
        raise ValueError("density must be in (0, 1]")
    out.mkdir(parents=True, exist_ok=True)
    previous = _previous_files(out)
    generator = Generator(n, seed, density)
    rows: list[tuple[str, str, str, int]] = []
    for number in range(n):
        article = generator.article(number)
        if article.kind == "infobox-wikitext":
            text = render_wikitext(article)
        elif article.kind == "rendered-page":
            text = render_rendered(article, generator.rng)
        else:
            text = render_prose(article)
        name = f"{number:0{generator.width}d}_{slug(article.title)}.txt"
        with (out / name).open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        rows.append((name, article.title, article.kind, len(text)))
    for stale in previous - {r[0] for r in rows}:
        (out / stale).unlink(missing_ok=True)
    lines = ["\t".join(INDEX_HEADER)]
    lines.extend(f"{name}\t{title}\t\t{kind}\t{chars}" for name, title, kind, chars in rows)
    with (out / INDEX_NAME).open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(lines) + "\n")
    return rows


def _previous_files(out: Path) -> set[str]:
    """Files an earlier run listed in DIR/INDEX.tsv: removed unless this run rewrites them."""
    index = out / INDEX_NAME
    if not index.is_file():
        return set()
    names = set()
    for line in index.read_text(encoding="utf-8").splitlines()[1:]:
        name = line.split("\t", 1)[0]
        if re.fullmatch(r"\d+_synthetic-[a-z0-9-]+\.txt", name):
            names.add(name)
    return names


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write synthetic benchmark articles for conflict-ld.")
    parser.add_argument("--articles", type=int, required=True, metavar="N", help="number of articles")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--density", type=float, default=1.0, metavar="D",
                        help="share of infobox values and prose statements kept, 0 < D <= 1 (default: 1)")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    if not 0 < args.density <= 1:
        parser.error("--density must be in (0, 1]")
    began = time.perf_counter()
    rows = generate(args.articles, args.out, seed=args.seed, density=args.density)
    elapsed = time.perf_counter() - began
    chars = sum(r[3] for r in rows)
    print(f"wrote {len(rows)} articles ({chars:,} characters) to {args.out} in {elapsed:.2f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
