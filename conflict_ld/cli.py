"""``conflict-ld``: one command, subcommands that parse options and call plain functions."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import settings as cfg
from .validate import ENGINES

if TYPE_CHECKING:
    from .validate import Finding


def _add(parser: argparse.ArgumentParser, *names: str) -> None:
    for name in names:
        setting = cfg.BY_NAME[name]
        parser.add_argument(
            setting.option,
            dest=name,
            default=None,
            metavar=name.upper(),
            help=f"{setting.help} (default: {setting.default}; env {setting.env})",
        )


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import ValidationFailed, build

    values = cfg.resolve(["seeds", "out", "base_uri", "readers"], vars(args))
    try:
        report = build(seeds=values["seeds"], out=values["out"], base_uri=values["base_uri"],
                       progress=_progress, readers=values["readers"])
    except ValidationFailed as failure:
        _findings(failure.findings, limit=50)
        print(f"conflict-ld: {failure}", file=sys.stderr)
        return 1
    except OSError as error:  # the disk, not the input: a full disk, a folder not writable
        print(f"conflict-ld: error: {error}; the published releases are as they were", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # A release is renamed into place whole or not at all (see release.Staging).
        print("conflict-ld: interrupted; a release is only ever published whole, and `latest` "
              "points at the last one published", file=sys.stderr)
        return 130
    _summary(report)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    from .build import shapes_graph
    from .release import ReleaseError, read_release
    from .resources import prefixes, read_text
    from .serialize import to_graph
    from .validate import validate, validate_with_pyshacl, violations

    path = Path(args.path) if args.path else cfg.resolve(["out"], {})["out"]
    ontology = read_text("conflict_ld.ontology", "conflict.ttl").encode("utf-8")
    try:
        store, shapes = read_release(path, ontology=ontology)
    except ReleaseError as error:
        print(f"conflict-ld: error: {error}", file=sys.stderr)
        return 2
    if args.engine == "pyshacl":
        data = to_graph(q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        findings = validate_with_pyshacl(data, shapes=shapes or shapes_graph())
    else:
        findings = validate(store, shapes=shapes or shapes_graph(), cld=prefixes()["cld"])
    bad = violations(findings)
    _findings(bad if not args.verbose else findings, limit=None if args.verbose else 50)
    warnings = len(findings) - len(bad)
    print(f"{len(store)} triples (with the ontology): {len(bad)} violations, {warnings} warnings")
    return 1 if bad else 0


def _findings(findings: Sequence[Finding], *, limit: int | None) -> None:
    for finding in findings[:limit]:
        print(finding.render())
    if limit is not None and len(findings) > limit:
        print(f"... and {len(findings) - limit} more")


def cmd_parse(args: argparse.Namespace) -> int:
    from .build import read_article
    from .resources import load_tables

    article = read_article(Path(args.file), tables=load_tables(), urls={})
    json.dump(dataclasses.asdict(article.record), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from .score import describe, score

    folders = [Path(f) for f in (args.articles or ["seeds", "tests/corpus"])]
    result = score(annotations=Path(args.annotations), folders=folders)
    print(result.table())
    if args.verbose:
        print("\nfalse positives:")
        for item in result.false_positives:
            print("  " + describe(item))
        print("\nmissed:")
        for gold in result.false_negatives:
            print("  " + describe(gold))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    values = cfg.resolve(["out", "host", "port", "workers", "threads", *cfg.APP], vars(args))
    serve(data=values["out"], host=values["host"], port=values["port"], workers=values["workers"],
          threads=values["threads"], app_settings={name: values[name] for name in cfg.APP})
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from .load import LoadError, load, load_virtuoso_bulk

    values = cfg.resolve(["out", "into", "store_graph", "store_user", "store_password", "isql"], vars(args))
    common = {"out": values["out"], "graph": values["store_graph"], "user": values["store_user"],
              "password": values["store_password"], "progress": _progress}
    bulk = args.method == "virtuoso-bulk"
    if not bulk and not values["into"]:
        print("conflict-ld: error: into: give the Graph Store endpoint (--into URL or "
              f"{cfg.BY_NAME['into'].env})", file=sys.stderr)
        return 2
    try:
        loaded = (load_virtuoso_bulk(isql=values["isql"], **common) if bulk
                  else load(into=values["into"], **common))
    except LoadError as error:
        print(f"conflict-ld: error: {error}", file=sys.stderr)
        return 2
    where = f"through {values['isql']}" if bulk else f"into {values['into']}"
    print(f"loaded {loaded.graphs} graphs ({loaded.triples} triples) and their union "
          f"({loaded.union} triples) {where}")
    return 0


def _summary(report: dict[str, object]) -> None:
    entities = report["entities"]
    relations = report["relations"]
    assert isinstance(entities, dict) and isinstance(relations, dict)
    print(f"{report['triples']} triples, {entities['total']} entities, "
          f"{relations['total']} relation nodes, {len(report['dropped'])} values not mapped")  # type: ignore[arg-type]
    for cls, count in relations["by_class"].items():
        print(f"  {cls:<22} {count}")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="conflict-ld", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="map the articles in a folder to one RDF dataset")
    _add(build, "seeds", "out", "base_uri", "readers")
    build.set_defaults(func=cmd_build)
    parse = sub.add_parser("parse", help="print the neutral record a parser reads from one article")
    parse.add_argument("file", help="an article file")
    parse.set_defaults(func=cmd_parse)
    check = sub.add_parser("validate", help="check a release or a data file against the SHACL shapes "
                           "(exit 0 conforms, 1 violations, 2 error)")
    check.add_argument("path", nargs="?", help="a build folder, a release folder or an RDF file "
                       "(default: the --out folder's latest release)")
    check.add_argument("-v", "--verbose", action="store_true", help="list warnings too")
    check.add_argument("--engine", choices=ENGINES, default=ENGINES[0],
                       help="oxigraph: the shapes compiled to SPARQL (fast, the build's gate); "
                            "pyshacl: the reference engine (slow; for a second opinion)")
    check.set_defaults(func=cmd_validate)
    score = sub.add_parser("score", help="precision and recall of prose facts against annotations")
    score.add_argument("--annotations", default="tests/annotations", help="folder of annotation files")
    score.add_argument("--articles", action="append",
                       help="folder of articles (repeatable; default: seeds and tests/corpus)")
    score.add_argument("-v", "--verbose", action="store_true", help="list false positives and misses")
    score.set_defaults(func=cmd_score)
    serve = sub.add_parser("serve", help="serve a built dataset (SPARQL and linked data)")
    _add(serve, "out", "host", "port", "workers", "threads", *cfg.APP)
    serve.set_defaults(func=cmd_serve)
    put = sub.add_parser("load", help="put the latest release into a SPARQL 1.1 store, for `serve "
                         "--store` (exit 2 on error); credentials from CONFLICT_LD_STORE_USER / "
                         "CONFLICT_LD_STORE_PASSWORD")
    _add(put, "into", "out", "store_graph", "isql")
    put.add_argument("--method", choices=("gsp", "virtuoso-bulk"), default="gsp",
                     help="gsp: SPARQL 1.1 Graph Store HTTP Protocol, PUT per graph, any store; "
                          "virtuoso-bulk: Virtuoso's bulk loader through isql-vt at --isql (the "
                          "release folder must be readable by Virtuoso, in its DirsAllowed). "
                          "Both replace the graphs: loading again changes nothing")
    put.set_defaults(func=cmd_load)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from .build import BuildError

    try:
        return int(args.func(args))
    except (BuildError, cfg.SettingsError) as error:
        print(f"conflict-ld: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
