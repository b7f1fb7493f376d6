"""Benchmark: the two mapping parts that stay in the build's main process, alone: the quad
emission of the facts (``_Emitter.facts``) and the infobox mapping of every article.

    .venv/bin/python bench/generate.py --articles 1300 --out /tmp/articles --seed 0
    .venv/bin/python bench/run_emit.py /tmp/articles --repeat 5

Prints CPU seconds of each run. The emission is timed on a fresh emitter each run (its min is
the figure to read); the infobox mapping's first run is the build's (its caches of pure
readings, such as the date fields', are warm in later runs). Run two trees back to back on a
shared machine and compare within the pair. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from pathlib import Path

from conflict_ld.mapping.graph import _Emitter, map_articles
from conflict_ld.mapping.infobox_facts import InfoboxMapper
from conflict_ld.mapping.resolve import Resolver

from conflict_ld.build import read_articles
from conflict_ld.resources import load_prose, load_tables
from conflict_ld.vocabulary import ontology_graph, vocabulary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", type=Path, help="a folder of articles (bench/generate.py)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each part")
    args = parser.parse_args()
    gc.disable()  # as the build maps (see build.cycle_collection_paused)
    tables = load_tables()
    vocab = vocabulary(base_uri="http://localhost:8080/", ontology=ontology_graph())
    articles = read_articles(args.articles, tables=tables, progress=lambda _message: None)
    infobox = []
    for _ in range(args.repeat):
        resolver = Resolver(tables)
        started = time.process_time()
        for article in sorted(articles, key=lambda a: a.source_id):
            subject = resolver.subject(article.record.title, source=article.source_id)
            InfoboxMapper(resolver=resolver, source=article.source_id, subject=subject).facts(article.record)
        infobox.append(time.process_time() - started)
    facts = map_articles(articles, tables=tables, vocab=vocab, prose=load_prose()).facts
    emit = []
    for _ in range(args.repeat):
        emitter = _Emitter(vocab=vocab, articles={a.source_id: a for a in articles})
        started = time.process_time()
        emitter.facts(facts)
        emitter.finish()
        emit.append(time.process_time() - started)
        del emitter
        gc.collect()
    code = Path(_Emitter.__init__.__code__.co_filename).parent.parent  # which tree was measured
    print(json.dumps({
        "code": str(code), "articles": len(articles), "facts": len(facts),
        "emit_cpu_seconds": [round(s, 3) for s in emit], "emit_min": round(min(emit), 3),
        "infobox_cpu_seconds": [round(s, 3) for s in infobox], "infobox_first": round(infobox[0], 3),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
