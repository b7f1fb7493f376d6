"""What a query asks for, read before it runs: SERVICE (federation, refused) and SPARQL Update
(refused at a read-only endpoint).

A tokenizer, not a parser: it reads the query into the SPARQL grammar's tokens far enough to
tell a keyword from the same letters inside a string, an IRI, a comment, a variable or a
prefixed name (``"SERVICE"``, ``<http://x/SERVICE>``, ``?service``, ``ex:service`` are not the
keyword). Its name characters are a superset of the grammar's: it can only join what the
grammar would split where the query is not valid SPARQL anyway (Oxigraph then refuses it).
Queries without the letters ``service`` anywhere, nearly all, skip it.
"""

from __future__ import annotations

import re

# Name characters: ASCII letters, digits, '_', '-', and any non-ASCII character (the grammar's
# PN_CHARS are a subset of these; a non-ASCII character outside them is a syntax error).
_N = r"[\w\-\u0080-\U0010FFFF]"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_LOCAL = rf"(?:(?:{_N}|:|{_PLX})(?:(?:{_N}|[.:]|{_PLX})*(?:{_N}|:|{_PLX}))?)"
_PREFIX = rf"(?:[^\W\d_]|[\u0080-\U0010FFFF])(?:(?:{_N}|\.)*{_N})?"

_TOKENS = re.compile(
    rf"""
    (?P<skip>
        \#[^\r\n]*                                   # comment
      | '''(?:[^'\\]|\\[\s\S]|'(?!''))*'''           # long strings
      | \"\"\"(?:[^"\\]|\\[\s\S]|"(?!""))*\"\"\"
      | '(?:[^'\\\r\n]|\\[\s\S])*'                   # short strings
      | "(?:[^"\\\r\n]|\\[\s\S])*"
      | <[^<>"{{}}|^`\\\x00-\x20]*>                  # IRI reference
      | @[A-Za-z]+(?:-[A-Za-z0-9]+)*                 # language tag
      | [?$](?:[\w\u0080-\U0010FFFF])+               # variable
      | _:{_N}(?:(?:{_N}|\.)*{_N})?                  # blank node label
      | (?:{_PREFIX})?:{_LOCAL}?                     # prefixed name
    )
    | (?P<word>(?:[^\W\d_])\w*)                      # keyword
    | (?P<other>[\s\S])
    """,
    re.VERBOSE,
)
_SERVICE = re.compile("service", re.IGNORECASE)
UPDATE_KEYWORDS = frozenset(
    {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"})


def keywords(query: str):
    """The query's keyword tokens, lower-cased, in order."""
    for match in _TOKENS.finditer(query):
        if match.lastgroup == "word":
            yield match.group().lower()


def uses_service(query: str) -> bool:
    """Whether the query has a SERVICE clause (a request to another endpoint)."""
    if _SERVICE.search(query) is None:
        return False
    return "service" in keywords(query)


def is_update(text: str) -> bool:
    """Whether a text that is not a query reads as SPARQL Update: its first keyword after the
    prologue (BASE, PREFIX) starts an update operation."""
    for word in keywords(text):
        if word not in ("base", "prefix"):
            return word in UPDATE_KEYWORDS
    return False
