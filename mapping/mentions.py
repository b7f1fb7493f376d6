"""Finding named things in a sentence: known names from the alias table, names the sentence
types itself ("the town of Ma'an", "Hamas leader Khaled Mashal"), and references to the
article's subject ("the group", "the militia", "its").

A sentence becomes a template in which every mention is a placeholder «N:K» (N indexes the
mention list, K is its kind: O organisation, S state, H person, P place, C conflict,
I ideology, M a name used as a modifier: "Damascus-based"), so relation patterns read
"«0:O» defected to «1:O»" whatever the names were.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .names import normalise, skeleton, skeleton_prefixes
from .tables import KnownEntity, Tables

MAX_WORDS = 12
# "Free Syrian Army-allied", "Damascus-based": a name with a suffix that relates it.
_COMPOUND = re.compile(r"-(?:allied|backed|based|led|affiliated|aligned|linked|supported)$")
_WORD = re.compile(r"[^\s,;:()\"“”]+")
# Lowercase words a name may contain; a name found case-insensitively must not consist of
# these alone ("is", "us", "un" are words, not the Islamic State, the United States, the UN).
_FUNCTION_WORDS = frozenset("is us un it as at an in on of the and or to by".split())


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    entity: KnownEntity | None  # a known thing
    typed: tuple[str, str] | None = None  # (name, class) a sentence types: ("Ma'an", "Place")
    subject: bool = False  # a reference to the article's subject
    members: bool = False  # "fighters of X", "its members": the group's members, not the group
    modifier: bool = False  # "Free Syrian Army-allied": qualifies a noun, is no party itself


@dataclass(frozen=True)
class Template:
    text: str  # the sentence with mentions replaced by «N»
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class ProseTables:
    """What the prose mapping needs beyond the shared tables (from ``data/prose.toml``)."""

    subject_phrases: tuple[str, ...]  # regular expressions: "the (?:group|militia|...)"
    generic: Mapping[str, str]  # normalised phrase -> entity label ("government forces")
    # ("the town of (?P<name>...)", "Place", whole): whole = the cue's words are part of the
    # mention, not only the name
    type_cues: tuple[tuple[re.Pattern[str], str, bool], ...]
    enumeration: re.Pattern[str]  # a sentence that announces a list of member groups
    starts: frozenset[str]  # first words of the generic phrases (see Tables.starts)

    @cached_property
    def name_prefixes(self) -> frozenset[str]:
        """The skeleton prefixes of the generic phrases' keys (see names.skeleton_prefixes)."""
        return skeleton_prefixes(self.generic)


def find_mentions(
    sentence: str,
    *,
    tables: Tables,
    prose: ProseTables,
    subject: KnownEntity | None,
    subject_names: Sequence[str],
) -> Template:
    """``subject_names``: regular expressions for the subject's own names."""
    spans: list[Mention] = []
    taken = [False] * len(sentence)

    def add(mention: Mention) -> None:
        if any(taken[mention.start : mention.end]):
            return
        for i in range(mention.start, mention.end):
            taken[i] = True
        spans.append(mention)

    for pattern, cls, whole in prose.type_cues:
        for match in pattern.finditer(sentence):
            name = match.group("name").strip(" ,.'’")
            start = match.start() if whole else match.start("name")
            end = match.start("name") + len(name)
            known = tables.lookup(name)
            add(Mention(start, end, name, known, None if known else (name, cls)))
    for mention in _known(sentence, tables=tables, prose=prose):
        add(mention)
    # Both are regular expressions: the subject's names escaped, the phrases as written.
    own = sorted({*subject_names, *prose.subject_phrases}, key=len, reverse=True)
    lowered = sentence.lower() if sentence.isascii() else None
    for phrase in own:
        literal = _literal(phrase) if lowered is not None else None
        if literal is not None and lowered is not None:
            found = _literal_spans(lowered, literal)
        else:
            found = [(match.start(), match.end()) for match in _own_pattern(phrase).finditer(sentence)]
        for start, end in found:
            add(Mention(start, end, sentence[start:end], subject, subject=True))
    for match in _ITS.finditer(sentence):
        add(Mention(match.start(), match.end(), match.group(0), subject, subject=True))
    spans.sort(key=lambda m: m.start)
    spans = [_with_members(m, sentence) for m in spans]
    out, last = [], 0
    for index, mention in enumerate(spans):
        out.append(sentence[last : mention.start])
        out.append(placeholder(index, mention))
        last = mention.end
    out.append(sentence[last:])
    return Template(text="".join(out), mentions=tuple(spans))


_ITS = re.compile(r"(?<![\w-])(?:[Ii]ts|[Ii]t)(?![\w-])")


@lru_cache(maxsize=1 << 12)
def _own_pattern(phrase: str) -> re.Pattern[str]:
    """A subject name or phrase as a whole word, possessive or not."""
    return re.compile(rf"(?<![\w-])(?:{phrase})(?:'s|’s)?(?![\w-])", flags=re.IGNORECASE)


@lru_cache(maxsize=1 << 12)
def _literal(phrase: str) -> str | None:
    """The text an expression stands for, lowercased, when it is an escaped ASCII name (as the
    subject's names are); None for any other expression."""
    text = re.sub(r"\\(.)", r"\1", phrase, flags=re.DOTALL)
    return text.lower() if text and text.isascii() and re.escape(text) == phrase else None


def _literal_spans(lowered: str, literal: str) -> list[tuple[int, int]]:
    """Where _own_pattern of an escaped name matches an ASCII sentence (``lowered``: the
    sentence lowercased, which in ASCII is what matching regardless of case compares; the
    names are ASCII too): the same spans, found without compiling an expression per name
    (a subject's names are each compiled once, for 1,300 articles 0.1 s of the mapping)."""
    spans = []
    pos = 0
    while (start := lowered.find(literal, pos)) >= 0:
        end = start + len(literal)
        if start and _word_char(lowered[start - 1]):
            pos = start + 1
            continue
        if lowered.startswith("'s", end) and not _word_char(lowered[end + 2 : end + 3]):
            end += 2  # the possessive, as the expression takes it when a word boundary follows
        elif _word_char(lowered[end : end + 1]):
            pos = start + 1
            continue
        spans.append((start, end))
        pos = end
    return spans


def _word_char(char: str) -> bool:
    r"""What (?<![\w-]) and (?![\w-]) exclude, in ASCII; the empty string (an end) is none."""
    return char.isalnum() or char in ("_", "-") if char else False


KINDS = {
    "ArmedGroup": "O", "Coalition": "O", "PoliticalOrganization": "O", "GovernmentBody": "O",
    "State": "S", "Person": "H", "Place": "P", "Conflict": "C", "War": "C", "Campaign": "C",
    "Battle": "C", "Ideology": "I",
}


def mention_class(mention: Mention) -> str | None:
    if mention.subject:
        return "ArmedGroup"
    if mention.entity is not None:
        return mention.entity.cls
    return mention.typed[1] if mention.typed else None


def placeholder(index: int, mention: Mention) -> str:
    kind = "M" if mention.modifier else KINDS.get(mention_class(mention) or "", "X")
    return f"«{index}:{kind}»"


def _known(sentence: str, *, tables: Tables, prose: ProseTables, prune: bool = True) -> list[Mention]:
    """Longest known names first, at word boundaries, in the sentence's own casing.
    ``prune``: try no span longer than a known name can be (see _most_words); without it,
    every span of up to MAX_WORDS words (the same mentions, more slowly: for the tests)."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(sentence)]
    texts = [sentence[s:e] for s, e in words]
    firsts = [_word_key(text) for text in texts]
    found: list[Mention] = []
    i = 0
    while i < len(words):
        match = None
        # Only words that can start a known name open a search ("the" may precede one).
        lead = firsts[i + 1] if firsts[i] == "the" and i + 1 < len(words) else firsts[i]
        if lead not in tables.starts and lead not in prose.starts:
            i += 1
            continue
        most = min(MAX_WORDS, len(words) - i)
        if prune:
            # "the" followed by a space is dropped from the key of a longer span (normalise).
            the = firsts[i] == "the" and most > 1 and sentence[words[i][1]].isspace()
            most = _most_words(texts, i, most, the=the, prefixes=(tables.name_prefixes, prose.name_prefixes))
        for n in range(most, 0, -1):
            start, end = words[i][0], words[i + n - 1][1]
            surface = sentence[start:end].rstrip(".'’")
            end = start + len(surface)
            if surface.count("(") > surface.count(")") and sentence[end : end + 1] == ")":
                surface, end = surface + ")", end + 1  # "Battle of Yarmouk Camp (2015)"
            if not surface:
                continue
            compound = _COMPOUND.search(surface)
            if compound:
                surface, end = surface[: compound.start()], start + compound.start()
            key = normalise(surface)
            entity = tables.by_name.get(key)
            if entity is None and key in prose.generic:
                entity = tables.lookup(prose.generic[key])
            if entity is not None and (_name_like(surface) or entity.cls == "Ideology"):
                match = Mention(start, end, surface, entity, modifier=bool(compound))
                i += n
                break
        if match:
            found.append(match)
        else:
            i += 1
    return found


def _most_words(
    texts: Sequence[str], i: int, most: int, *, the: bool, prefixes: tuple[frozenset[str], ...]
) -> int:
    """How many words from ``texts[i]`` on (at most ``most``) a known name's key may span.

    Normalising a span of ASCII words keeps their letters and digits in order (lowercased),
    but for a leading "the" and a suffix such as "-backed" on the last word; what lies between
    words has neither (see _WORD). So the skeleton of the first m words (all but the last word
    of a longer span) begins the skeleton of every longer span's key: when it begins no known
    key's skeleton, no span of more than m words is a name. A word that is not ASCII (which
    NFKD and casefolding may change) ends the test: the spans it is in are all tried. For 1,300
    generated articles this leaves 34,600 spans to normalise and look up, of 134,900."""
    known = ""
    for m in range(1, most):
        word = texts[i + m - 1]
        if not word.isascii():
            return most
        if m > 1 or not the:
            known += skeleton(word.lower())
        if not any(known in p for p in prefixes):
            return m
    return most


@lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    """The lookup key of one word, as the first word of a name (pure; words recur)."""
    return normalise(_COMPOUND.sub("", word.rstrip(".'’")))


def _name_like(surface: str) -> bool:
    """A lowercase word is a word ("is", "us"), not a name ("IS", "US"); a capital or a second
    word makes it a candidate."""
    words = surface.split()
    if all(w in _FUNCTION_WORDS for w in words):
        return False
    return any(ch.isupper() for ch in surface) or len(words) > 1


# A name right before a plural noun qualifies it ("Syrian opposition factions affiliated with").
_BEFORE_PLURAL = re.compile(
    r"\s+(?:factions|groups|units|militias|brigades|battalions|rebels|fighters|forces|troops|"
    r"members|militants|insurgents|organizations|organisations)\b"
)


_MEMBERS_BEFORE = re.compile(
    r"\b(?:fighters|members|leaders|militants|commanders|remnants?)\s+(?:and\s+\w+\s+\w+\s+)?"
    r"of\s+(?:the\s+)?$"
)
_MEMBERS_AFTER = re.compile(r"(?:'s|’s)?\s+(?:fighters|members|militants|commanders)\b")


def _with_members(mention: Mention, sentence: str) -> Mention:
    """"fighters of X", "members of X", "its members", "X's fighters": the people, not X."""
    before = sentence[max(0, mention.start - 40) : mention.start]
    after = sentence[mention.end : mention.end + 30]
    if not mention.subject and _BEFORE_PLURAL.match(after):
        return Mention(mention.start, mention.end, mention.text, mention.entity, mention.typed,
                       mention.subject, modifier=True)
    if _MEMBERS_BEFORE.search(before) or _MEMBERS_AFTER.match(after):
        return Mention(mention.start, mention.end, mention.text, mention.entity, mention.typed,
                       mention.subject, members=True, modifier=mention.modifier)
    return mention
