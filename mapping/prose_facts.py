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


class ProseMapper:
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
        self.subject_known = resolver.tables.lookup(subject.label)
        names = [subject.label, *(subject.aliases or ())]
        self.subject_names = [re.escape(n) for n in names if len(n) > 3]
        self.dropped: list[Dropped] = []
        self._running: DateValue | None = None  # the running date before this sentence
        self._ranks = _rank_pattern(resolver.tables.ranks)

    def facts(self, record: ArticleRecord) -> list[Fact]:
        out: list[Fact] = []
        for section in record.sections:
            title = section.title or LEAD
            context = _Context()
            enumeration: tuple[Entity, Period | None, Sentence] | None = None
            for paragraph in section.paragraphs:
                if paragraph and paragraph[0].item:
                    if enumeration is not None:
                        out.extend(self._member_item(paragraph[0], enumeration, title))
                    continue
                context = _Context(running=context.running)
                enumeration = None
                for sentence in paragraph:
                    out.extend(self._sentence(sentence, title, context))
                last = paragraph[-1]
                if self.prose.enumeration.search(last.plain):
                    enumeration = self._enumeration(last, context)
        return out

    def _clean(self, plain: str) -> str:
        """Drop what hides a name from the patterns: name parentheses of other scripts and
        ranks before a person's name ("founded by Col. Said al-Muragha")."""
        return self._ranks.sub("", _NAME_PARENS.sub("", plain))

    def _enumeration(
        self, sentence: Sentence, context: _Context
    ) -> tuple[Entity, Period | None, Sentence] | None:
        """"The alliance initially comprised the following 16 groups:" names who the list
        items below it are members of, and when."""
        template = find_mentions(self._clean(sentence.plain), tables=self.resolver.tables,
                                 prose=self.prose, subject=self.subject_known,
                                 subject_names=self.subject_names)
        parties = [m for m in template.mentions if self._org(m)]
        owner = self._entity(parties[0], ORGANISATION_CLASSES) if parties else self.subject
        if owner is None:
            return None
        value = context.running
        period = Period(text=value.text, start=value, end=None) if value is not None else None
        return owner, period, sentence

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

    def _sentence(self, sentence: Sentence, section: str, context: _Context) -> list[Fact]:
        plain = self._clean(sentence.plain)
        template = find_mentions(
            plain,
            tables=self.resolver.tables,
            prose=self.prose,
            subject=self.subject_known,
            subject_names=self.subject_names,
        )
        self._running = context.running
        periods = self._periods(plain, template, context)
        facts: list[Fact] = []
        text = template.text
        index = _rule_index(self.rules)
        # Which of the rules' required texts the sentence has: most rules need one it lacks.
        contains = text.__contains__
        present = set(filter(contains, index.texts))
        # In the table's order: which of two facts a sentence states twice is kept depends on it.
        candidates = sorted(index.always.union(*(index.by_text.get(t, ()) for t in present)))
        any_case = contains_any_case(text) if context.topic else None
        for position in candidates:
            rule, needs, carry_needs = index.rules[position]
            # _Needs.met, written out: this runs for every rule and sentence.
            runs = needs.texts <= present and (
                not needs.choices or all(any(map(contains, choice)) for choice in needs.choices)
            )
            carry = rule.carry_regex is not None and context.topic and carry_needs.met_any_case(any_case)
            if not runs and not carry:
                continue
            for match, carried in self._matches(rule, template, context, runs, carry):
                facts.extend(
                    self._facts(rule, match, carried, context.topic, template, periods, sentence, section)
                )
        context.topic = any(self._is_subject(m) for m in template.mentions) or (
            context.topic and not any(self._org(m) for m in template.mentions)
        )
        return _prefer_complete(facts)

    def _matches(
        self,
        rule: ProseRule,
        template: Template,
        context: _Context,
        runs: bool,
        carry: bool,
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
            if not any(self._org(template.mentions[int(i)]) for i in _PLACEHOLDER.findall(before)):
                yield match, True

    def _facts(
        self,
        rule: ProseRule,
        match: re.Match[str],
        carried: bool,
        topic: bool,
        template: Template,
        periods: list[tuple[int, int, Period]],
        sentence: Sentence,
        section: str,
    ) -> list[Fact]:
        groups = match.groupdict()
        verb_end = match.start("o") if groups.get("o") else match.end()
        lead_in = self._clause_before(match, template.text) + template.text[match.start() : verb_end]
        if rule.status is None and _NEGATION.search(lead_in):
            return []
        if carried:
            subjects = [(self.subject, False)]
        else:
            mentions = self._mentions(groups.get("s"), template)
            if rule.first_subject:
                mentions = [m for m in template.mentions if self._org(m)][:1]
            subjects = [
                (e, m.members) for m in mentions
                if (rule.members_ok or not m.members)
                and (e := self._entity(m, rule.subjects)) is not None
            ]
            if rule.first_subject and not mentions and topic:
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
        period = self._period(rule, match, periods, template.text)
        if period is None and rule.cls in INHERIT and self._running is not None:
            value = self._running
            period = Period(text=value.text, start=value, end=value, instant=True)
        if rule.date_required and period is None:
            return []
        quantity = self._quantity(rule, groups, template.text)
        window = self._clause_before(match, template.text) + match.group(0)
        statuses = [
            s for s in interpret([_PLACEHOLDER.sub(" ", window)], tables=self.resolver.tables).statuses
            if s not in rule.ignore_statuses
        ]
        if rule.status and rule.status not in statuses:
            statuses = [rule.status, *[s for s in statuses if s != "Formal"]]
        former = self._name(groups.get("former"), template)
        new = self._name(groups.get("new"), template)
        attestation = Attestation(
            source=self.source, evidence=sentence.text, line=sentence.line, section=section,
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

    @staticmethod
    def _clause_before(match: re.Match[str], text: str) -> str:
        """The words between the clause's start and the match ("reportedly" in "X reportedly
        defected" is inside the match; "Reportedly, X ..." is here)."""
        before = text[max(0, match.start() - 40) : match.start()]
        cut = max(before.rfind(","), before.rfind(";"), before.rfind("»"))
        return before[cut + 1 :]

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

    def _is_subject(self, mention: Mention) -> bool:
        return mention.subject or (
            mention.entity is not None and mention.entity.label == self.subject.label
        )

    @staticmethod
    def _org(mention: Mention) -> bool:
        if mention.subject:
            return True
        if mention.modifier:
            return False
        cls = mention.entity.cls if mention.entity else (mention.typed[1] if mention.typed else "")
        return cls in ORGANISATION_CLASSES

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
        self, rule: ProseRule, match: re.Match[str], periods: list[tuple[int, int, Period]], text: str
    ) -> Period | None:
        """The date expression nearest the match in the same clause (inside it is nearest).
        An event may take a date from earlier in the sentence ("In February 2014, X captured");
        a standing relation only from its own words or right after them."""
        event = rule.cls in EVENTS or rule.date != "date"
        candidates = []
        for start, end, period in periods:
            if start >= match.start() and end <= match.end():
                candidates.append(((0, 0), period))
            elif start >= match.end():
                between = text[match.end() : start]
                if event or (not _CLAUSE_BREAK.search(between) and len(between) <= 40):
                    candidates.append(((start - match.end(), 0), period))
            elif event and end <= match.start():
                candidates.append(((match.start() - end, 1), period))
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
