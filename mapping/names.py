"""Name normalisation shared by entity lookup and IRI minting."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʾ": "'", "ʿ": "'", "`": "'", "´": "'", "′": "'"})
_DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-", "−": "-"})
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_SPACED_HYPHEN = re.compile(r"\s*-\s*")
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")


# Both are pure and called for every word of every sentence, mostly on words seen before:
# caching them is a third of the mapping's time at scale.
@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Typographic folding: apostrophes, dashes and spaces, keeping case and letters."""
    if text.isascii():
        # The same, quicker, for most words and names: NFC and the dash table change nothing
        # in ASCII, and the backtick is the one ASCII apostrophe of the table.
        text = text.replace("`", "'")
    else:
        text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES).translate(_DASHES)
    # Split on whitespace and joined by one space: what collapsing every run of \s to one
    # space and stripping gives (both take whitespace as str.isspace does).
    return " ".join(text.split())


@lru_cache(maxsize=1 << 16)
def normalise(name: str) -> str:
    """The lookup key of a name: folded, diacritics stripped, case-folded, no leading "the"."""
    text = fold(name)
    if not text.isascii():  # ASCII has no decompositions and no combining marks
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    text = _LEADING_THE.sub("", text)
    if "-" in text:
        text = _SPACED_HYPHEN.sub("-", text)
    return text.casefold().strip(" .,;:")


def skeleton(text: str) -> str:
    """The letters and digits of a text, in order: all that normalise keeps of a lookup key
    but for a leading "the" (see mentions._most_words, which relies on it)."""
    return "".join(ch for ch in text if ch.isalnum())


def skeleton_prefixes(keys: Iterable[str]) -> frozenset[str]:
    """Every prefix (the empty one too) of the skeleton of each lookup key: a span of words
    whose skeleton is none of these starts no known name, nor does any longer span."""
    return frozenset(whole[:end] for whole in map(skeleton, keys) for end in range(len(whole) + 1))


def first_word(name: str) -> str:
    """The normalised first word of a name: what a sentence's word must be to start it."""
    key = normalise(name)
    return key.split(" ", 1)[0] if key else ""


def iri_local_name(label: str) -> str:
    """Wikipedia-title style: spaces to underscores, typographic variants folded.

    Characters that IRIs forbid are percent-encoded so the name is always a valid IRI path
    segment; letters of any script are kept as they are (IRIs allow them).
    """
    text = fold(label).replace(" ", "_")
    out = []
    for ch in text:
        if ch.isalnum() or ch in "_-.'(),!*~:@&+$;=":
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    return "".join(out)


def arabic_names(text: str) -> list[str]:
    """Arabic-script names in a name line or a lead's parenthesis ("Arabic: أكناف بيت المقدس,
    romanized: ...")."""
    names = []
    for part in re.split(r"[,;()\"“”]|\blit\.", text):
        part = re.sub(r"^\s*(?:Arabic|Kurdish|Syriac)\s*:\s*", "", part).strip(" -")
        if ARABIC.search(part) and not re.search(r"[A-Za-z]", part):
            names.append(part)
    return names
