"""Facts from the sentences of the lead and of every section, driven by the pattern table
``data/prose_rules.toml``. Precision comes first: a pattern fires only on named parties of
the classes it allows, and a sentence no pattern reads gives nothing.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from .dates import DateValue, Period, find_periods, parse_date
from .facts import Attestation, Fact, Quantity
from .mentions import Mention, ProseTables, Template, find_mentions, placeholder
from .names import first_word, normalise
from .qualifiers import interpret
from .quantities import parse_quantity
from .record import ArticleRecord, Sentence
from .required_text import contains_any_case, required_choices, required_text
from .resolve import ORGANISATION_CLASSES, Dropped, Entity, Resolver
from .tables import Tables
from .values import take_qualifiers

LEAD = "Lead"
_PEOPLE = r"(?:fighters|members|militants|soldiers|rebels|civilians|men|people|troops|combatants)"
_COUNT = (
    r"(?:(?:over|more\s+than|at\s+least|about|around|some|up\s+to|nearly|almost|~|≈)\s+)?"
    rf"\d[\d,]*(?:\s*(?:to|–|-|and)\s*\d[\d,]*)?(?:\s+\w+){{0,2}}?\s+{_PEOPLE}"
)
_COUNT_RE = re.compile(_COUNT)
_ANY = r"«\d+:[A-Z]»"
_PARTY = r"«\d+:[OS]»"  # an organisation or a state: what can act as a party
_ITEM_TAIL = r"(?:\s*\([^)]*\))?"  # "the al-Inqaz Front (Jabhat al-Inqadh)"
# Where a relative clause or a list of members starts: the verbs after it have other subjects.
_RELATIVE = (
    r",\s+(?:which|who|whom|whose|where|some|many|most|several|while|whereas)\b"
    r"|\b(?:consisting|composed|comprising|comprised|including|made\s+up)\s+of\b"
)
# The subject part a carry-over rule drops: "{s}", an appositive, a comma, a gap.
_SUBJECT_PREFIX = re.compile(r"^\{s\}(?:\{app\}|,\?|\{_nc\}|\{_\})*")
_MACROS = {
    "{s}": rf"(?P<s>{_PARTY})",
    "{ss}": rf"(?P<s>{_PARTY}{_ITEM_TAIL}(?:(?:\s*,\s*(?:along\s+with\s+|together\s+with\s+|and\s+)?|"
    rf"\s+(?:and|along\s+with|together\s+with)\s+)(?:the\s+)?{_PARTY}{_ITEM_TAIL})*),?",
    "{o}": rf"(?P<o>{_ANY})(?!'s|’s)",
    "{os}": rf"(?P<o>{_ANY}{_ITEM_TAIL}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?{_ANY}{_ITEM_TAIL})*)"
    r"(?!'s|’s)",
    "{adjs}": r"(?P<o>«\d+:I»(?:\s*(?:,|and|,\s*and)?\s*«\d+:I»)*)",
    "{r}": rf"(?P<r>{_PARTY})",
    # A gap: no other party, no sentence break, and no relative clause (", some of which
    # were ...", ", who ..."), whose verbs have another subject.
    "{_}": rf"(?:(?!{_PARTY}|{_RELATIVE})[^.;!?])*?",
    "{_nc}": rf"(?:(?!{_PARTY}|{_RELATIVE})[^.;!?,])*?",  # a gap within one clause: no comma
    # An appositive that renames the subject: ", formerly known as X,", ", literally "...",
    # also known as A, B, or C,".
    "{app}": r"(?:\s*,\s*(?:formerly|previously|also|commonly|literally|officially|known|or|better)\b"
    r"[^.;]{0,200}?,)?",
    "{the}": r"(?:the\s+)?",
    "{q}": rf"(?P<q>{_COUNT})",
}
_PLACEHOLDER = re.compile(r"«(\d+):[A-Z]»")
# Parentheses of a lead that give names in other scripts, not facts: "(Arabic: ..., lit. ...)".
_NAME_PARENS = re.compile(
    r"\s*\((?=[^()]*(?:Arabic|romani[sz]ed|lit\.|Kurdish|Persian|Syriac|Turkish|[\u0600-\u06FF]))[^()]*\)"
)
_MONTH_ONLY = re.compile(
    r"\b(?:in|by|during|since|until|from)\s+(?P<m>January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\b(?!\s*\d)"
)
# Relations that happen at a moment: an undated sentence in a narrative paragraph takes the
# paragraph's running date ("(by then reduced to 160 fighters)"). Standing relations take a
# date only from inside the matched words or right after them.
EVENTS = frozenset({
    "Absorption", "Merger", "Split", "Defection", "Founding", "Renaming", "Dissolution", "Clash",
    "Capture", "Massacre", "Ceasefire", "Surrender", "Relocation", "Release", "Accusation",
    "Strength", "Designation",
})
# Words that make the verb after them not a statement of fact ("misgivings about fighting").
_NEGATION = re.compile(
    r"\b(?:not|never|no\s+longer|refused\s+to|refusing\s+to|declined\s+to|misgivings\s+about|"
    r"avoided|avoiding|instead\s+of|rather\s+than|without|failed\s+to|plans?\s+to|planned\s+to|"
    r"threatened\s+to|would|could|might|if)\b",
    re.IGNORECASE,
)
# A designation stands until revoked: an undated one takes no running date.
INHERIT = EVENTS - {"Designation"}
_CLAUSE_BREAK = re.compile(r"[,;]|\b(?:which|while|who|whereas|but|though|although|because)\b")
_YEAR_PHRASES = (
    (re.compile(r"\b(?:by|at|towards?|before)\s+the\s+end\s+of\s+the\s+year\b", re.I), 0),
    (re.compile(r"\b(?:later|earlier)\s+that\s+year\b|\b(?:that|the)\s+same\s+year\b", re.I), 0),
    (re.compile(r"\bthe\s+(?:following|next)\s+year\b", re.I), 1),
)


@dataclass(frozen=True)
class ProseRule:
    cls: str
    regex: re.Pattern[str]
    carry_regex: re.Pattern[str] | None  # the pattern without its leading subject
    objects: frozenset[str]
    date: str
    status: str | None
    quantity: bool
    date_required: bool
    disputed_by_object: bool
    ignore_statuses: frozenset[str]
    first_subject: bool  # no {s}: the sentence's first party is the subject
    swap: bool  # the pattern's {o} is the relation's subject and {s} its object
    members_ok: bool  # "fighters of X" may stand for X (defections, releases, strength)
    subjects: frozenset[str]  # classes the subject may have
    required: tuple[str, ...] = ()  # text every match of ``regex`` contains
    carry_required: tuple[str, ...] = ()  # ... and of ``carry_regex``


def load_rules(text: str) -> tuple[ProseRule, ...]:
    rules = []
    try:
        rows = tomllib.loads(text)["rule"]
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"prose_rules.toml: {error}") from None
    for number, row in enumerate(rows, start=1):
        pattern = row["pattern"]
        try:
            expanded = _expand(pattern)
            unknown = re.findall(r"\{[a-z_]+\}", expanded)
            if unknown:
                raise re.error(f"unknown macro {unknown[0]}")
            regex = re.compile(expanded)
            carry = None
            if row.get("carry"):
                prefix = _SUBJECT_PREFIX.match(pattern)
                if prefix is None:
                    raise re.error("carry = true needs a pattern that starts with {s}")
                # Without its subject the pattern may open the sentence: "Founded around 1991 by".
                carry = re.compile(_expand(pattern[prefix.end() :]), re.IGNORECASE)
        except re.error as error:
            raise ValueError(f"prose_rules.toml rule {number} ({row['class']}): {error}") from None
        rules.append(
            ProseRule(
                cls=row["class"],
                regex=regex,
                carry_regex=carry,
                objects=frozenset(row.get("objects", ORGANISATION_CLASSES)),
                date=row.get("date", "date"),
                status=row.get("status"),
                quantity=bool(row.get("quantity", False)),
                date_required=bool(row.get("date_required", False)),
                disputed_by_object=bool(row.get("disputed_by_object", False)),
                ignore_statuses=frozenset(row.get("ignore_statuses", ())),
                first_subject=row.get("subject") == "first",
                swap=bool(row.get("swap", False)),
                members_ok=bool(row.get("members_ok", False)),
                subjects=frozenset(row.get("subjects", ORGANISATION_CLASSES)),
                required=required_text(regex),
                carry_required=required_text(carry) if carry is not None else (),
            )
        )
    return tuple(rules)


@dataclass(frozen=True)
class _Needs:
    """What text every match of a pattern contains: each of ``texts`` (``ProseRule.required``),
    and one at least of each of ``choices`` (see required_text)."""

    texts: frozenset[str]
    choices: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, regex: re.Pattern[str] | None, texts: Sequence[str]) -> _Needs:
        return cls(frozenset(texts), required_choices(regex) if regex is not None else ())

    def met(self, present: set[str], contains: Callable[[str], bool]) -> bool:
        """Whether a template may match: ``present``, those of the rules' ``texts`` it
        contains, and ``contains``, its ``__contains__``."""
        return self.texts <= present and (
            not self.choices or all(any(map(contains, choice)) for choice in self.choices)
        )

    @classmethod
    def any_case_of(cls, regex: re.Pattern[str]) -> _Needs:
        """What every match of a pattern that ignores case contains regardless of case (the
        carry-over patterns): lowercased, for ``met_any_case``."""
        return cls(frozenset(required_text(regex, any_case=True)), required_choices(regex, any_case=True))

    def met_any_case(self, contains: Callable[[str], bool] | None) -> bool:
        """Whether a template may match, ``contains`` being its ``contains_any_case`` (None: it
        may)."""
        if contains is None:
            return True
        return all(map(contains, self.texts)) and all(any(map(contains, c)) for c in self.choices)


@dataclass(frozen=True)
class _RuleIndex:
    rules: tuple[tuple[ProseRule, _Needs, _Needs], ...]  # a rule, what its regex needs, its carry
    # Every text some rule's pattern requires (``_Needs.texts``), and the words of the choices
    # that index a rule (below).
    texts: tuple[str, ...]
    # The rules (by position) under texts a sentence must have one of to match them, so that
    # a sentence without any is not tried against them: a rule's longest required text (as
    # the rarest), or, when that is only a placeholder's punctuation ("»"), which every
    # sentence with a name has, each word of one of its choices (the one with the longest
    # shortest word).
    by_text: Mapping[str, tuple[int, ...]]
    always: frozenset[int]  # rules that need no text, or whose carry-over pattern may run


# Rule tables seen, by id; the tuple is held so that its id stays its own.
_rule_indexes: dict[int, tuple[Sequence[ProseRule], _RuleIndex]] = {}


def _rule_index(rules: Sequence[ProseRule]) -> _RuleIndex:
    entry = _rule_indexes.get(id(rules))
    if entry is None or entry[0] is not rules:
        # A carry-over pattern ignores case: what it needs is tested on the template lowercased.
        indexed = tuple(
            (r, _Needs.of(r.regex, r.required),
             _Needs.any_case_of(r.carry_regex) if r.carry_regex is not None else _Needs(frozenset(), ()))
            for r in rules
        )
        texts = {t for _, needs, _ in indexed for t in needs.texts}
        by_text: dict[str, list[int]] = {}
        always = set()
        for position, (rule, needs, _) in enumerate(indexed):
            if rule.carry_regex is not None or not needs.texts:
                always.add(position)
                continue
            longest = max(needs.texts, key=lambda t: (len(t), t))
            keys: tuple[str, ...] = (longest,)
            if needs.choices and not any(ch.isalnum() for ch in longest):
                keys = max(needs.choices, key=lambda c: (min(map(len, c)), c))
                texts.update(keys)
            for key in keys:
                by_text.setdefault(key, []).append(position)
        index = _RuleIndex(rules=indexed, texts=tuple(sorted(texts)),
                           by_text={t: tuple(p) for t, p in by_text.items()}, always=frozenset(always))
        entry = _rule_indexes[id(rules)] = (rules, index)
    return entry[1]


@lru_cache(maxsize=8)
def _rank_pattern(ranks: tuple[str, ...]) -> re.Pattern[str]:
    """Abbreviated ranks before a name. Only abbreviated ones: "General" and "Major" are also
    words of names ("PFLP - General Command"). Made once per table, not per article."""
    alternatives = "|".join(re.escape(r) for r in ranks if r.endswith("."))
    return re.compile(rf"\b(?:{alternatives})\s+(?=[A-Z])")


def load_prose_tables(text: str) -> ProseTables:
    data = tomllib.loads(text)
    return ProseTables(
        subject_phrases=tuple(data["subject_phrases"]),
        generic={normalise(k): v for k, v in data["generic"].items()},
        type_cues=tuple((re.compile(c["pattern"]), c["class"], bool(c.get("whole", False)))
                        for c in data["type_cue"]),
        enumeration=re.compile(data["enumeration"], re.IGNORECASE),
        starts=frozenset(first_word(phrase) for phrase in data["generic"]),
    )


def _expand(pattern: str) -> str:
    for macro, regex in _MACROS.items():
        pattern = pattern.replace(macro, regex)
    return pattern


@dataclass
class _Context:
    running: DateValue | None = None  # the paragraph's running date
    # The previous sentence was about the article's subject; a paragraph of an article starts
    # about its subject.
    topic: bool = True


@dataclass(frozen=True)
class Hit:
    """A rule's match in a sentence's template, as data: a ``re.Match`` cannot be sent to
    another process, and the mapping needs only these of it."""

    rule: int  # the rule's position in the rules
    carried: bool  # matched by the rule's carry-over pattern: the subject is implied
    start: int
    end: int
    o_start: int  # where group "o" starts; -1 when it took no part
    groups: Mapping[str, str | None]

    @classmethod
    def of(cls, match: re.Match[str], *, rule: int, carried: bool) -> Hit:
        groups = match.groupdict()
        return cls(rule=rule, carried=carried, start=match.start(), end=match.end(),
                   o_start=match.start("o") if "o" in groups else -1, groups=groups)


@dataclass(frozen=True)
class SentenceReading:
    """One sentence read: its template, its dates, the rules it matches, and the paragraph's
    running date and topic before it."""

    section: str
    sentence: Sentence
    template: Template
    periods: tuple[tuple[int, int, Period], ...]
    running: DateValue | None
    topic: bool
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class ListIntro:
    """A sentence that announces a list of members ("The alliance comprised the following
    groups:"): its first party (None: the article's subject), and when."""

    sentence: Sentence
    party: Mention | None
    period: Period | None


@dataclass(frozen=True)
class ListItem:
    section: str
    item: Sentence


# A section or paragraph starts: list items after it belong to no announced list.
LIST_BREAK = None
Step = SentenceReading | ListIntro | ListItem | None


@dataclass(frozen=True)
class ProseReading:
    """What an article's prose says before any name is resolved to an entity: pure (tables and
    text in), so another process may read it while this one maps earlier articles. It depends
    on the article's subject only through the subject's label and aliases, kept here so the
    mapping can tell a reading made for another subject."""

    subject: tuple[str, tuple[str, ...]]
    steps: tuple[Step, ...]


def reading_subject(subject: Entity) -> tuple[str, tuple[str, ...]]:
    """What of an article's subject its prose's reading depends on: its label and aliases."""
    return subject.label, tuple(subject.aliases)


def read_prose(
    record: ArticleRecord,
    *,
    tables: Tables,
    rules: Sequence[ProseRule],
    prose: ProseTables,
    subject: tuple[str, tuple[str, ...]],
) -> ProseReading:
    """Templates, dates and rule matches of every sentence of ``record``, whose subject has the
    label and aliases ``subject``."""
    return _Reader(tables=tables, rules=rules, prose=prose, subject=subject).read(record)


class _Reader:
    def __init__(self, *, tables: Tables, rules: Sequence[ProseRule], prose: ProseTables,
                 subject: tuple[str, tuple[str, ...]]) -> None:
        self.tables = tables
        self.rules = rules
        self.prose = prose
        self.subject = subject
        label, aliases = subject
        self.label = label
        self.subject_known = tables.lookup(label)
        self.subject_names = [re.escape(n) for n in (label, *aliases) if len(n) > 3]
        self._ranks = _rank_pattern(tables.ranks)

    def read(self, record: ArticleRecord) -> ProseReading:
        steps: list[Step] = []
        for section in record.sections:
            title = section.title or LEAD
            context = _Context()
            steps.append(LIST_BREAK)
            for paragraph in section.paragraphs:
                if paragraph and paragraph[0].item:
                    steps.append(ListItem(section=title, item=paragraph[0]))
                    continue
                context = _Context(running=context.running)
                steps.append(LIST_BREAK)
                for sentence in paragraph:
                    steps.append(self._sentence(sentence, title, context))
                last = paragraph[-1]
                if self.prose.enumeration.search(last.plain):
                    steps.append(self._list_intro(last, context))
        return ProseReading(subject=self.subject, steps=tuple(steps))

    def _clean(self, plain: str) -> str:
        """Drop what hides a name from the patterns: name parentheses of other scripts and
        ranks before a person's name ("founded by Col. Said al-Muragha")."""
        return self._ranks.sub("", _NAME_PARENS.sub("", plain))

    def _template(self, plain: str) -> Template:
        return find_mentions(plain, tables=self.tables, prose=self.prose, subject=self.subject_known,
                             subject_names=self.subject_names)

    def _list_intro(self, sentence: Sentence, context: _Context) -> ListIntro:
        parties = [m for m in self._template(self._clean(sentence.plain)).mentions if _org(m)]
        value = context.running
        period = Period(text=value.text, start=value, end=None) if value is not None else None
        return ListIntro(sentence=sentence, party=parties[0] if parties else None, period=period)

    def _sentence(self, sentence: Sentence, section: str, context: _Context) -> SentenceReading:
        plain = self._clean(sentence.plain)
        template = self._template(plain)
        running, topic = context.running, context.topic
        periods = self._periods(plain, template, context)
        hits: list[Hit] = []
        text = template.text
        index = _rule_index(self.rules)
        # Which of the rules' required texts the sentence has: most rules need one it lacks.
        contains = text.__contains__
        present = set(filter(contains, index.texts))
        # In the table's order: which of two facts a sentence states twice is kept depends on it.
        candidates = sorted(index.always.union(*(index.by_text.get(t, ()) for t in present)))
        any_case = contains_any_case(text) if topic else None
        for position in candidates:
            rule, needs, carry_needs = index.rules[position]
            # _Needs.met, written out: this runs for every rule and sentence.
            runs = needs.texts <= present and (
                not needs.choices or all(any(map(contains, choice)) for choice in needs.choices)
            )
            carry = rule.carry_regex is not None and topic and carry_needs.met_any_case(any_case)
            if not runs and not carry:
                continue
            hits.extend(Hit.of(match, rule=position, carried=carried)
                        for match, carried in _matches(rule, template, runs, carry))
        context.topic = any(self._is_subject(m) for m in template.mentions) or (
            topic and not any(_org(m) for m in template.mentions)
        )
        return SentenceReading(section=section, sentence=sentence, template=template,
                               periods=tuple(periods), running=running, topic=topic, hits=tuple(hits))

    def _is_subject(self, mention: Mention) -> bool:
        return mention.subject or (mention.entity is not None and mention.entity.label == self.label)

    def _periods(
        self, plain: str, template: Template, context: _Context
    ) -> list[tuple[int, int, Period]]:
        """Date expressions in template coordinates, relative ones resolved against the
        paragraph's running date, which the sentence then moves on."""
        found = [(s, e, p) for s, e, p in find_periods(plain)]
        covered = [(s, e) for s, e, _ in found]
        year = context.running.earliest.year if context.running and context.running.earliest else None
        if year is not None:
            for pattern, offset in _YEAR_PHRASES:
                for m in pattern.finditer(plain):
                    value = parse_date(str(year + offset))
                    if value is not None:
                        found.append((m.start(), m.end(), Period(text=m.group(0), start=value, end=value,
                                                                 instant=True)))
            for m in _MONTH_ONLY.finditer(plain):
                if any(s <= m.start("m") < e for s, e in covered):
                    continue
                value = parse_date(m.group("m"), default_year=year)
                if value is not None:
                    found.append((m.start(), m.end(), Period(text=m.group(0), start=value, end=value,
                                                             instant=True)))
        found.sort(key=lambda x: x[0])
        for _, _, period in found:
            latest = period.end or period.start
            if latest is not None and latest.earliest is not None:
                context.running = latest
        return [(_to_template(s, template), _to_template(e, template), p) for s, e, p in found]


def _matches(
    rule: ProseRule, template: Template, runs: bool, carry: bool
) -> Iterable[tuple[re.Match[str], bool]]:
    """``runs`` / ``carry``: whether the template has the text the rule's pattern / its
    carry-over pattern needs (and, for ``carry``, the paragraph is about the subject)."""
    text = template.text
    found = False
    if runs:
        for match in rule.regex.finditer(text):
            found = True
            yield match, False
    if found or rule.carry_regex is None or not carry:
        return
    for match in rule.carry_regex.finditer(text):
        before = template.text[: match.start()]
        if not any(_org(template.mentions[int(i)]) for i in _PLACEHOLDER.findall(before)):
            yield match, True


def _org(mention: Mention) -> bool:
    if mention.subject:
        return True
    if mention.modifier:
        return False
    cls = mention.entity.cls if mention.entity else (mention.typed[1] if mention.typed else "")
    return cls in ORGANISATION_CLASSES


class ProseMapper:
    """Facts from an article's prose: its reading (``read_prose``), then the parties of every
    match resolved, in the order of the text, by the build's resolver (whose entities carry
    over from article to article)."""

    def __init__(
        self,
        *,
        resolver: Resolver,
        source: str,
        subject: Entity,
        rules: Sequence[ProseRule],
        prose: ProseTables,
    ) -> None:
        self.resolver = resolver
        self.source = source
        self.subject = subject
        self.rules = rules
        self.prose = prose
        self.dropped: list[Dropped] = []
        self._running: DateValue | None = None  # the running date before this sentence

    def facts(self, record: ArticleRecord, *, reading: ProseReading | None = None) -> list[Fact]:
        """``reading``: the record's prose read beforehand (in another process); used only when
        read for this subject's label and aliases, else the record is read again here."""
        if reading is None or reading.subject != reading_subject(self.subject):
            reading = read_prose(record, tables=self.resolver.tables, rules=self.rules, prose=self.prose,
                                 subject=reading_subject(self.subject))
        out: list[Fact] = []
        enumeration: tuple[Entity, Period | None, Sentence] | None = None
        for step in reading.steps:
            if step is LIST_BREAK:
                enumeration = None
            elif type(step) is SentenceReading:
                out.extend(self._sentence(step))
            elif type(step) is ListItem:
                if enumeration is not None:
                    out.extend(self._member_item(step.item, enumeration, step.section))
            elif type(step) is ListIntro:
                owner = (self.subject if step.party is None
                         else self._entity(step.party, ORGANISATION_CLASSES))
                enumeration = (owner, step.period, step.sentence) if owner is not None else None
        return out

    def _member_item(
        self, item: Sentence, enumeration: tuple[Entity, Period | None, Sentence], section: str
    ) -> list[Fact]:
        owner, period, intro = enumeration
        name, _ = take_qualifiers(item.plain)
        found, _ = self.resolver.resolve(
            name.strip(" ,;."), source=self.source, accepts=frozenset({"ArmedGroup", "Coalition"}),
            default_cls="ArmedGroup", context=owner.label,
        )
        attestation = Attestation(source=self.source, evidence=item.text, line=item.line,
                                  section=section, field=None, cites=item.cites)
        return [
            Fact(relation="Membership", subject=e.key, object=owner.key, period=period,
                 attestation=attestation, qualifier=intro.text)
            for e in found if e.key != owner.key
        ]

    # -- one sentence --------------------------------------------------------------------

    def _sentence(self, read: SentenceReading) -> list[Fact]:
        self._running = read.running
        facts: list[Fact] = []
        for hit in read.hits:
            facts.extend(self._facts(self.rules[hit.rule], hit, read))
        return _prefer_complete(facts)

    def _facts(self, rule: ProseRule, hit: Hit, read: SentenceReading) -> list[Fact]:
        template, groups, text = read.template, hit.groups, read.template.text
        verb_end = hit.o_start if groups.get("o") else hit.end
        lead_in = _clause_before(hit.start, text) + text[hit.start : verb_end]
        if rule.status is None and _NEGATION.search(lead_in):
            return []
        if hit.carried:
            subjects = [(self.subject, False)]
        else:
            mentions = self._mentions(groups.get("s"), template)
            if rule.first_subject:
                mentions = [m for m in template.mentions if _org(m)][:1]
            subjects = [
                (e, m.members) for m in mentions
                if (rule.members_ok or not m.members)
                and (e := self._entity(m, rule.subjects)) is not None
            ]
            if rule.first_subject and not mentions and read.topic:
                subjects = [(self.subject, False)]
        objects: list[Entity | None] = [None]
        if groups.get("o"):
            objects = [e for m in self._mentions(groups["o"], template)
                       if (e := self._entity(m, rule.objects)) is not None]
            if not objects:
                return []
        result = None
        if groups.get("r"):
            found = [self._entity(m, ORGANISATION_CLASSES) for m in self._mentions(groups["r"], template)]
            result = found[0] if found and found[0] else None
            if result is None:
                return []
        period = self._period(rule, hit, read.periods, text)
        if period is None and rule.cls in INHERIT and self._running is not None:
            value = self._running
            period = Period(text=value.text, start=value, end=value, instant=True)
        if rule.date_required and period is None:
            return []
        quantity = self._quantity(rule, groups, text)
        window = _clause_before(hit.start, text) + text[hit.start : hit.end]
        statuses = [
            s for s in interpret([_PLACEHOLDER.sub(" ", window)], tables=self.resolver.tables).statuses
            if s not in rule.ignore_statuses
        ]
        if rule.status and rule.status not in statuses:
            statuses = [rule.status, *[s for s in statuses if s != "Formal"]]
        former = self._name(groups.get("former"), template)
        new = self._name(groups.get("new"), template)
        sentence = read.sentence
        attestation = Attestation(
            source=self.source, evidence=sentence.text, line=sentence.line, section=read.section,
            field=None, cites=sentence.cites,
        )
        facts = []
        for subject, _members in subjects:
            for obj in objects:
                if result is not None:
                    pairs = [(subject, result), (obj, result)] if obj is not None else [(subject, result)]
                else:
                    pairs = [(subject, obj)]
                for s, o in pairs:
                    if s is None or (o is not None and o.key == s.key):
                        continue
                    if rule.swap and o is not None:
                        s, o = o, s
                    facts.append(Fact(
                        relation=rule.cls,
                        subject=s.key,
                        object=o.key if o is not None else None,
                        period=period,
                        attestation=attestation,
                        quantity=quantity,
                        statuses=tuple(statuses),
                        disputed_by=(o.key,) if rule.disputed_by_object and o is not None else (),
                        former_name=former,
                        new_name=new,
                    ))
        return facts

    # -- parts -----------------------------------------------------------------------------

    def _mentions(self, group: str | None, template: Template) -> list[Mention]:
        if not group:
            return []
        return [template.mentions[int(i)] for i in _PLACEHOLDER.findall(group)]

    def _entity(self, mention: Mention, accepts: frozenset[str]) -> Entity | None:
        if mention.subject:
            entity = self.subject
        elif mention.entity is not None:
            entity = self.resolver.known(mention.entity, surface=mention.text, source=self.source)
        elif mention.typed is not None:
            found, _ = self.resolver.resolve(
                mention.typed[0], source=self.source, accepts=frozenset(), default_cls=mention.typed[1]
            )
            entity = found[0] if found else None
        else:
            return None
        return entity if entity is not None and entity.cls in accepts else None

    def _name(self, group: str | None, template: Template) -> str | None:
        if not group:
            return None
        placeholder = _PLACEHOLDER.fullmatch(group.strip())
        return template.mentions[int(placeholder.group(1))].text if placeholder else group.strip()

    def _quantity(self, rule: ProseRule, groups: Mapping[str, str | None], text: str) -> Quantity | None:
        if groups.get("q"):
            return parse_quantity(groups["q"] or "")
        if rule.quantity:
            count = _COUNT_RE.search(text)
            return parse_quantity(count.group(0)) if count else None
        return None

    def _period(
        self, rule: ProseRule, hit: Hit, periods: Sequence[tuple[int, int, Period]], text: str
    ) -> Period | None:
        """The date expression nearest the match in the same clause (inside it is nearest).
        An event may take a date from earlier in the sentence ("In February 2014, X captured");
        a standing relation only from its own words or right after them."""
        event = rule.cls in EVENTS or rule.date != "date"
        candidates = []
        for start, end, period in periods:
            if start >= hit.start and end <= hit.end:
                candidates.append(((0, 0), period))
            elif start >= hit.end:
                between = text[hit.end : start]
                if event or (not _CLAUSE_BREAK.search(between) and len(between) <= 40):
                    candidates.append(((start - hit.end, 0), period))
            elif event and end <= hit.start:
                candidates.append(((hit.start - end, 1), period))
        if not candidates:
            return None
        period = min(candidates, key=lambda c: c[0])[1]
        value = period.start or period.end
        if value is None:
            return period
        if rule.date == "start":
            return Period(text=period.text, start=value, end=None)
        if rule.date == "end":
            return Period(text=period.text, start=None, end=period.end or value)
        if period.start is not None and period.end is not None and not period.instant and (
            period.start != period.end
        ):
            return period
        if period.start is None or period.end is None:
            return period  # "until 2014", "from April 2018": keep the open side as the text says
        return replace(period, instant=True)


def _clause_before(start: int, text: str) -> str:
    """The words between the clause's start and a match at ``start`` ("reportedly" in "X
    reportedly defected" is inside the match; "Reportedly, X ..." is here)."""
    before = text[max(0, start - 40) : start]
    cut = max(before.rfind(","), before.rfind(";"), before.rfind("»"))
    return before[cut + 1 :]


def _to_template(position: int, template: Template) -> int:
    shift = 0
    for index, mention in enumerate(template.mentions):
        size = len(placeholder(index, mention))
        if position >= mention.end:
            shift += size - (mention.end - mention.start)
        elif position >= mention.start:
            return mention.start + shift
    return position + shift


def _prefer_complete(facts: list[Fact]) -> list[Fact]:
    """Of facts one sentence states twice (a general and a specific pattern), keep one; a
    fact with an object beats the same fact without one."""
    kept: dict[tuple[object, ...], Fact] = {}
    for fact in facts:
        key = (fact.relation, fact.subject, fact.object)
        if key in kept:
            continue
        if fact.object is None and any(
            k[0] == fact.relation and k[1] == fact.subject and k[2] for k in kept
        ):
            continue
        kept[key] = fact
    full = {(k[0], k[1]) for k in kept if k[2]}
    return [f for k, f in kept.items() if k[2] or (k[0], k[1]) not in full]
