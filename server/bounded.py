"""Queries whose cost is bounded by their shape: they read the triples of a few named subjects
and nothing else, so they cannot run long, whatever the data, once those subjects are known
to have few triples. The server answers them in its own process (``pool.PooledBackend``);
every other query goes to a killable query process.

The shapes, and only these (anything else, however cheap, is not recognised):

- ``SELECT [DISTINCT|REDUCED] (?v ... | *) [WHERE] { S P O [.] } [LIMIT n] [OFFSET n]``
- ``ASK [WHERE] { S P O [.] }``
- ``DESCRIBE S ...`` (up to ``MAX_DESCRIBED`` IRIs, no WHERE)

with any ``PREFIX`` declarations first, where S is an absolute IRI (written in full or as a
prefixed name), P an IRI, ``a`` or a variable, and O an IRI, a variable or a literal. One
triple pattern with a fixed subject is one scan of that subject's triples; a DESCRIBE of fixed
IRIs is their triples (and the blank nodes they lead to). A query this module accepts and
Oxigraph refuses is still a syntax error: the engine, not this reader, decides validity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_DESCRIBED = 8

_PN = r"[A-Za-z][\w\-.]*"  # a conservative subset of the grammar's prefix and local names
_TOKENS = re.compile(
    rf"""
      (?P<space>(?:\s|\#[^\r\n]*)+)
    | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    | (?P<pname>(?:{_PN})?:(?:[\w\-]+(?:[\w\-.]*[\w\-])?)?)
    | (?P<var>[?$]\w+)
    | (?P<string>"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<datatype>\^\^)
    | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
    | (?P<word>[A-Za-z]+)
    | (?P<punct>[{{}}.*])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ABSOLUTE = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:[^>]*>")


class _NotBounded(Exception):
    pass


def _tokens(query: str) -> list[tuple[str, str]]:
    tokens = [(m.lastgroup or "", m.group()) for m in _TOKENS.finditer(query)]
    if any(kind == "other" for kind, _ in tokens):
        raise _NotBounded
    return [(kind, text.lower() if kind == "word" else text) for kind, text in tokens if kind != "space"]


@dataclass(frozen=True)
class Lookup:
    form: str  # select, ask or describe
    subjects: tuple[str, ...]

    @property
    def one_pattern(self) -> bool:
        """A SELECT or ASK: at most one solution per triple of its subject."""
        return self.form != "describe"


class _Reader:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0
        self.prefixes: dict[str, str] = {}

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, *kinds: str) -> str:
        kind, text = self.peek()
        if kind not in kinds:
            raise _NotBounded
        self.at += 1
        return text

    def expect(self, kind: str, text: str) -> None:
        if self.peek() != (kind, text):
            raise _NotBounded
        self.at += 1

    def word(self, *words: str) -> bool:
        if self.peek() in [("word", w) for w in words]:
            self.at += 1
            return True
        return False

    def iri(self) -> str:
        """An absolute IRI, written in full or as a prefixed name; its value."""
        kind, text = self.peek()
        if kind == "iri" and _ABSOLUTE.fullmatch(text):
            self.at += 1
            return text[1:-1]
        if kind == "pname":
            prefix, _, local = text.partition(":")
            if prefix in self.prefixes:
                self.at += 1
                return self.prefixes[prefix] + local
        raise _NotBounded

    def term(self) -> None:
        """A pattern's object: an IRI, a variable or a literal."""
        kind, _ = self.peek()
        if kind in ("var", "number"):
            self.at += 1
            return
        if self.word("true", "false"):
            return
        if kind == "string":
            self.at += 1
            if self.peek()[0] == "lang":
                self.at += 1
            elif self.peek()[0] == "datatype":
                self.at += 1
                self.iri()
            return
        self.iri()

    def pattern(self) -> str:
        """``{ S P O [.] }``; the subject."""
        self.word("where")
        self.expect("punct", "{")
        subject = self.iri()
        if not self.word("a"):
            if self.peek()[0] == "var":
                self.at += 1
            else:
                self.iri()
        self.term()
        if self.peek() == ("punct", "."):
            self.at += 1
        self.expect("punct", "}")
        return subject


def bounded_lookup(query: str) -> Lookup | None:
    """The query's form and the subjects whose triples are all it reads, or None when the
    query is not of a bounded shape."""
    try:
        reader = _Reader(_tokens(query))
        while reader.word("prefix"):
            name = reader.take("pname")
            if not name.endswith(":") or reader.peek()[0] != "iri":
                return None
            iri = reader.take("iri")
            if not _ABSOLUTE.fullmatch(iri):
                return None
            reader.prefixes[name[:-1]] = iri[1:-1]
        form = reader.peek()[1]
        if reader.word("describe"):
            subjects = [reader.iri()]
            while reader.peek()[0] in ("iri", "pname"):
                subjects.append(reader.iri())
            if len(subjects) > MAX_DESCRIBED:
                return None
        elif reader.word("ask"):
            subjects = [reader.pattern()]
        elif reader.word("select"):
            reader.word("distinct", "reduced")
            if reader.peek() == ("punct", "*"):
                reader.at += 1
            else:
                reader.take("var")
                while reader.peek()[0] == "var":
                    reader.at += 1
            subjects = [reader.pattern()]
            for modifier in ("limit", "offset", "limit"):
                if reader.word(modifier):
                    number = reader.take("number")
                    if not number.isdigit():
                        return None
        else:
            return None
        if reader.peek()[0] != "end":
            return None
        return Lookup(form, tuple(subjects))
    except _NotBounded:
        return None
