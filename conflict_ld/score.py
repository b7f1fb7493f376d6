"""``conflict-ld score``: precision and recall of facts from prose against the annotated set.

Facts are counted as the graph holds them: a fact restated in several sentences of one
article is one fact (one relation node with several attestations). A predicted fact matches
an annotated one when they come from the same article, have the same relation class,
subject and object (and both are, or neither is, denied), and their dates do not contradict
(the intervals overlap, or one side gives no date); a prediction from the annotated sentence
is preferred. Each annotation matches at most one prediction and each prediction at most
one annotation.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from conflict_ld.mapping.dates import DateValue, parse_date
from conflict_ld.mapping.facts import Fact
from conflict_ld.mapping.graph import Article, map_articles
from conflict_ld.mapping.marks import strip_marks
from conflict_ld.mapping.names import fold, normalise
from conflict_ld.mapping.tables import Tables

from .build import BuildError, read_article, read_index
from .resources import load_prose, load_tables
from .vocabulary import ontology_graph, vocabulary


@dataclass(frozen=True)
class Gold:
    source: str  # file stem
    cls: str
    subject: str  # normalised label
    object: str | None
    low: date | None
    high: date | None
    evidence: str  # normalised sentence
    denied: bool = False


@dataclass(frozen=True)
class Predicted:
    source: str
    cls: str
    subject: frozenset[str]  # every normalised name of the entity: label, aliases, surfaces
    object: frozenset[str] | None
    low: date | None
    high: date | None
    evidences: frozenset[str]  # every sentence that states it
    fact: Fact
    denied: bool = False

    @property
    def evidence(self) -> str:
        return sorted(self.evidences)[0]


@dataclass
class Score:
    true_positives: Counter[str]
    predicted: Counter[str]
    gold: Counter[str]
    false_positives: list[Predicted]
    false_negatives: list[Gold]

    def precision(self, cls: str | None = None) -> float:
        tp, n = self._counts(cls, self.predicted)
        return tp / n if n else 1.0

    def recall(self, cls: str | None = None) -> float:
        tp, n = self._counts(cls, self.gold)
        return tp / n if n else 1.0

    def _counts(self, cls: str | None, total: Counter[str]) -> tuple[int, int]:
        if cls is None:
            return sum(self.true_positives.values()), sum(total.values())
        return self.true_positives[cls], total[cls]

    def table(self) -> str:
        classes = sorted(set(self.gold) | set(self.predicted))
        lines = [f"{'class':<20} {'gold':>5} {'pred':>5} {'match':>5} {'precision':>9} {'recall':>7}"]
        for cls in [*classes, None]:
            name = cls or "ALL"
            gold = sum(self.gold.values()) if cls is None else self.gold[cls]
            pred = sum(self.predicted.values()) if cls is None else self.predicted[cls]
            tp = sum(self.true_positives.values()) if cls is None else self.true_positives[cls]
            lines.append(f"{name:<20} {gold:>5} {pred:>5} {tp:>5} {self.precision(cls):>9.3f} "
                         f"{self.recall(cls):>7.3f}")
        return "\n".join(lines)


def _sentence_key(text: str) -> str:
    return normalise(strip_marks(fold(text))[0]).replace('"', "").replace("“", "").replace("”", "")


def _bounds(values: Iterable[str | None]) -> tuple[date | None, date | None]:
    parsed = [v for v in (parse_date(x) for x in values if x) if v is not None]
    lows = [v.earliest for v in parsed if v.earliest]
    highs = [v.latest for v in parsed if v.latest]
    return (min(lows) if lows else None, max(highs) if highs else None)


def load_gold(folder: Path, *, tables: Tables, generic: dict[str, str]) -> list[Gold]:
    """The annotations; a generic phrase ("Syrian government forces") names what the prose
    table says it names, as in the mapping."""
    gold = []
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise BuildError(f"not valid TOML: {error}", path=path) from None
        source = Path(data["source"]).stem
        for number, fact in enumerate(data.get("fact", []), start=1):
            try:
                low, high = _bounds([fact.get("date"), fact.get("start"), fact.get("end")])
                gold.append(Gold(
                    source=source,
                    cls=fact["class"],
                    subject=_label(fact["subject"], tables, generic),
                    object=_label(fact["object"], tables, generic) if fact.get("object") else None,
                    low=low,
                    high=high,
                    evidence=_sentence_key(fact["evidence"]),
                    denied=fact.get("status") == "Denied",
                ))
            except KeyError as error:
                raise BuildError(f"fact {number} has no {error.args[0]!r}", path=path) from None
    return gold


def _label(name: str, tables: Tables, generic: dict[str, str]) -> str:
    known = tables.lookup(name) or tables.lookup(generic.get(normalise(name), name))
    return normalise(known.label if known else name)


def predictions(
    facts: Sequence[Fact], names: Callable[[str], frozenset[str]], sources: set[str]
) -> list[Predicted]:
    """Prose facts of the annotated articles, one per distinct fact."""
    grouped: dict[tuple[object, ...], list[Fact]] = {}
    for fact in facts:
        if fact.attestation.field is not None or fact.attestation.source not in sources:
            continue  # infobox facts are not what this set measures
        key = (fact.attestation.source, fact.relation, fact.subject, fact.object,
               "Denied" in fact.statuses)
        grouped.setdefault(key, []).append(fact)
    out = []
    for (source, relation, subject, obj, denied), group in grouped.items():
        values: list[DateValue] = []
        for fact in group:
            if fact.period is not None:
                values.extend(v for v in (fact.period.start, fact.period.end) if v is not None)
        lows = [v.earliest for v in values if v.earliest]
        highs = [v.latest for v in values if v.latest]
        out.append(Predicted(
            source=source,
            cls=relation,
            subject=names(subject),
            object=names(obj) if obj else None,
            low=min(lows) if lows else None,
            high=max(highs) if highs else None,
            evidences=frozenset(_sentence_key(f.attestation.evidence) for f in group),
            fact=group[0],
            denied=denied,
        ))
    return out


def _same_sentence(a: str, b: str) -> bool:
    return a == b or a in b or b in a


def _same_object(gold: Gold, pred: Predicted) -> bool:
    if gold.object is None or pred.object is None:
        return gold.object is None and pred.object is None
    return gold.object in pred.object


def _dates_agree(gold: Gold, pred: Predicted) -> bool:
    if gold.low is None or pred.low is None:
        return True
    return gold.low <= (pred.high or pred.low) and pred.low <= (gold.high or gold.low)


def compare(gold: Sequence[Gold], predicted: Sequence[Predicted]) -> Score:
    used: set[int] = set()
    tp: Counter[str] = Counter()
    missed = []

    def candidates(g: Gold) -> list[int]:
        return [
            i for i, p in enumerate(predicted)
            if i not in used and p.source == g.source and p.cls == g.cls and g.subject in p.subject
            and _same_object(g, p) and p.denied == g.denied and _dates_agree(g, p)
        ]

    for g in gold:
        found = candidates(g)
        same = [i for i in found if any(_same_sentence(g.evidence, e) for e in predicted[i].evidences)]
        hit = (same or found or [None])[0]
        if hit is None:
            missed.append(g)
        else:
            used.add(hit)
            tp[g.cls] += 1
    return Score(
        true_positives=tp,
        predicted=Counter(p.cls for p in predicted),
        gold=Counter(g.cls for g in gold),
        false_positives=[p for i, p in enumerate(predicted) if i not in used],
        false_negatives=missed,
    )


def score(*, annotations: Path, folders: Sequence[Path], base_uri: str = "http://localhost:8080/") -> Score:
    tables = load_tables()
    prose = load_prose()
    gold = load_gold(annotations, tables=tables, generic=dict(prose[1].generic))
    sources = {g.source for g in gold} | {
        Path(tomllib.loads(p.read_text(encoding="utf-8"))["source"]).stem
        for p in annotations.glob("*.toml")
    }
    articles: list[Article] = []
    for folder in folders:
        urls = read_index(folder)
        articles.extend(read_article(p, tables=tables, urls=urls) for p in sorted(folder.glob("*.txt")))
    missing = sources - {a.source_id for a in articles}
    if missing:
        raise BuildError(f"annotated articles not found: {', '.join(sorted(missing))}", path=annotations)
    result = map_articles(
        articles, tables=tables, vocab=vocabulary(base_uri=base_uri, ontology=ontology_graph()),
        prose=prose,
    )
    names = {
        key: frozenset(
            normalise(n)
            for n in (entity.label, *entity.aliases, *(f for forms in entity.surface.values() for f in forms))
        )
        for key, entity in result.entities.items()
    }
    return compare(gold, predictions(result.facts, names.__getitem__, sources))


def describe(item: Gold | Predicted) -> str:
    dates = f" [{item.low}..{item.high}]" if item.low else ""
    return f"{item.source}: {item.cls}({item.subject} -> {item.object}){dates} | {item.evidence[:90]}"


