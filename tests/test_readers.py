"""Reader processes (conflict_ld.readers): a build that has its articles parsed and their prose
read in other processes maps exactly what one process maps, says the same progress, and fails
the same way; the reader pool hands results back in order, raises a reader's errors at their
turn, and stops its processes however it is left."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from conflict_ld.mapping.parse import parse_article
from conflict_ld.mapping.prose_facts import ProseMapper, ProseReading, read_prose, reading_subject
from conflict_ld.mapping.resolve import Resolver

from conflict_ld import readers
from conflict_ld.build import BuildError, map_folder
from conflict_ld.cli import main
from conflict_ld.resources import load_prose

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://localhost:8080/"


def _mapped(folder: Path, *, readers: int) -> tuple[object, ...]:
    messages: list[str] = []
    result, _ = map_folder(folder, base_uri=BASE, progress=messages.append, readers=readers)
    quads = sorted({str(q) for q in result.quads})
    key = result.subjects.get("00_subject")
    subject = result.entities[key].label if key else None
    return (quads, len(result.quads), result.facts, result.dropped, result.unmapped_labels,
            result.subjects, result.sources, messages, subject)


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus and the seeds (all three renderings), with a subject first met under another
    spelling: the reader, which has seen no other article, reads that article's prose for a
    label the mapping's resolver does not give, and the mapping must read it again."""
    folder = tmp_path_factory.mktemp("articles")
    for path in [*sorted((ROOT / "tests/corpus").glob("*.txt")), *sorted((ROOT / "seeds").glob("*.txt"))]:
        shutil.copy(path, folder / path.name)
    (folder / "00_mention.txt").write_text(
        "Liwa Zzyzx Test\n\nLiwa Zzyzx Test is a group. In 2015 it allied with the ZZYZX QWERTY Brigade.\n",
        encoding="utf-8")
    (folder / "00_subject.txt").write_text(
        "Zzyzx Qwerty Brigade\n\nZzyzx Qwerty Brigade is a group. The group was founded in 2013. "
        "In 2016 the group merged into the Zzyzx Test Front.\n", encoding="utf-8")
    return folder


def test_readers_map_what_one_process_maps(articles: Path) -> None:
    with_readers = _mapped(articles, readers=1)
    alone = _mapped(articles, readers=0)
    assert with_readers == alone
    assert len(with_readers[0]) > 10_000  # the corpus was mapped, not an empty folder
    assert with_readers[-1] == "ZZYZX QWERTY Brigade"  # the case of a reading made for another label


def test_the_reading_for_another_subject_is_not_used(articles: Path, tables) -> None:
    record = parse_article((articles / "00_subject.txt").read_text(encoding="utf-8"), tables=tables)
    rules, prose = load_prose()

    def facts(reading: ProseReading | None) -> list[object]:
        resolver = Resolver(tables)
        subject = resolver.subject(record.title, source="s")
        mapper = ProseMapper(resolver=resolver, source="s", subject=subject, rules=rules, prose=prose)
        return mapper.facts(record, reading=reading)

    own = facts(None)
    assert own, "the article's prose gives facts"
    subject = reading_subject(Resolver(tables).subject(record.title, source="s"))
    assert facts(read_prose(record, tables=tables, rules=rules, prose=prose, subject=subject)) == own
    # A reading for this subject is used as it is (an empty one gives nothing) ...
    assert facts(ProseReading(subject=subject, steps=())) == []
    # ... one for another subject is not: the prose is read again.
    assert facts(ProseReading(subject=("Another Group", ()), steps=())) == own


@pytest.mark.parametrize("bad", ["00_mention.txt", "zz_last.txt"])
def test_a_bad_article_fails_as_it_does_in_one_process(articles: Path, tmp_path: Path, bad: str) -> None:
    folder = tmp_path / "bad"
    shutil.copytree(articles, folder)
    (folder / bad).write_bytes(b"Title\n\nok line\n\xff\xfe broken\n")
    errors = []
    for count in (1, 0):
        with pytest.raises(BuildError) as caught:
            map_folder(folder, base_uri=BASE, progress=lambda _m: None, readers=count)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert errors[0].startswith(f"{folder / bad}:4: not UTF-8")


def _paths(tmp_path: Path, count: int) -> list[Path]:
    paths = []
    for number in range(count):
        path = tmp_path / f"{number:03d}.txt"
        path.write_text(str(number), encoding="utf-8")
        paths.append(path)
    return paths


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() + f"-{os.getpid()}"


def _slow_here(main: int) -> Callable[[Path], str]:
    """``_digest``, taking 10 ms in a reader and 200 ms in this process."""

    def read(path: Path) -> str:
        time.sleep(0.2 if os.getpid() == main else 0.01)
        return _digest(path)

    return read


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_results_come_back_in_order_each_read_once(tmp_path: Path, processes: int) -> None:
    """Reading is slow here only in this process: the readers take the paths as they come,
    each exactly once; this process reads only while no reader has sent what it needs (at the
    start: a reader may not have started yet)."""
    paths = _paths(tmp_path, 24)
    with readers.read_in_processes(paths, read=_slow_here(os.getpid()), processes=processes) as results:
        got = list(results)
    assert [g.split("-")[0] for g in got] == [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]
    by = Counter(g.split("-")[1] for g in got)
    assert set(by) - {str(os.getpid())}, "readers read"
    assert by[str(os.getpid())] < len(paths) // 4


def test_the_mapping_reads_what_the_readers_are_too_slow_to_take(tmp_path: Path) -> None:
    """A reader on a busy core (here: asleep) holds up at most the one path it claimed: this
    process reads the others itself rather than wait."""
    main = os.getpid()

    def slow_in_readers(path: Path) -> str:
        if os.getpid() != main:
            time.sleep(1.0)
        return f"{path.stem}-{os.getpid()}"

    paths = _paths(tmp_path, 50)
    with readers.read_in_processes(paths, read=slow_in_readers, processes=2) as results:
        got = list(results)
    assert [g.split("-")[0] for g in got] == [p.stem for p in paths]
    assert sum(g.endswith(f"-{main}") for g in got) >= len(paths) - 2 * 2


def _fails_on_seven(path: Path) -> str:
    if path.stem == "007":
        raise ValueError(f"cannot read {path.name}")
    return path.stem


def test_an_error_is_raised_at_its_turn_and_the_readers_stop(tmp_path: Path) -> None:
    paths = _paths(tmp_path, 20)
    got = []
    with (pytest.raises(ValueError, match=r"cannot read 007\.txt"),
          readers.read_in_processes(paths, read=_fails_on_seven, processes=2) as results):
        processes = [process for process, _ in results.readers]
        got.extend(results)
    assert got == [f"{n:03d}" for n in range(7)]
    assert not any(process.is_alive() for process in processes)


class _Unpicklable(Exception):
    def __init__(self, message: str, *, handle: object) -> None:
        super().__init__(message)
        self.handle = handle


def _in_readers(action: Callable[[Path], str]) -> Callable[[Path], str]:
    """``action`` where a reader reads a path; here (slowly: 5 ms a path, so that the reader
    surely claims some) the path's name."""
    main = os.getpid()

    def read(path: Path) -> str:
        if os.getpid() != main:
            return action(path)
        time.sleep(0.005)
        return path.stem

    return read


def _raise_unpicklable(path: Path) -> str:
    raise _Unpicklable(f"odd failure on {path.name}", handle=lambda: None)


def test_an_exception_that_cannot_cross_is_told_by_its_traceback(tmp_path: Path) -> None:
    got: list[str] = []
    told = r"(?s)reader 1: .*_Unpicklable: odd failure on (\d+)\.txt"
    with (pytest.raises(RuntimeError, match=told) as caught,
          readers.read_in_processes(_paths(tmp_path, 400), read=_in_readers(_raise_unpicklable),
                                    processes=1) as results):
        got.extend(results)
    failed = re.search(r"odd failure on (\d+)", str(caught.value))
    assert failed is not None and got == [f"{n:03d}" for n in range(int(failed.group(1)))]


def _die(_path: Path) -> str:
    os._exit(7)


def test_a_reader_that_dies_is_named(tmp_path: Path) -> None:
    got: list[str] = []
    with (pytest.raises(RuntimeError, match=r"reader 1 stopped \(exit code 7\) before reading .*/(\d+)\.txt")
          as caught,
          readers.read_in_processes(_paths(tmp_path, 400), read=_in_readers(_die), processes=1) as results):
        got.extend(results)
    lost = re.search(r"(\d+)\.txt", str(caught.value))
    assert lost is not None and got == [f"{n:03d}" for n in range(int(lost.group(1)))]


def test_leaving_early_stops_the_readers(tmp_path: Path) -> None:
    with readers.read_in_processes(_paths(tmp_path, 500), read=_digest, processes=2) as results:
        processes = [process for process, _ in results.readers]
        next(iter(results))
    assert not any(process.is_alive() for process in processes)


def test_reader_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    assert readers.reader_count(readers.READERS_FROM - 1) == 0
    assert readers.reader_count(readers.READERS_FROM) == 1  # two cores: this process and one reader
    assert readers.reader_count(3, wanted=2) == 2  # asked for: as asked
    assert readers.reader_count(1000, wanted=0) == 0
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(8)))
    assert readers.reader_count(1000) == readers.MAX_READERS
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0})
    assert readers.reader_count(1000) == 0


@pytest.mark.parametrize(("given", "readers_used"), [("0", 0), ("2", 2), ("auto", 0)])
def test_the_readers_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str,
                             readers_used: int) -> None:
    """`conflict-ld build --readers N` (or CONFLICT_LD_READERS) reaches the mapping; auto has
    none for the three seeds (fewer than READERS_FROM)."""
    used: list[int] = []
    real = readers.reader_count

    def counting(articles: int, *, wanted: int | None = None) -> int:
        used.append(real(articles, wanted=wanted))
        return used[-1]

    monkeypatch.setattr("conflict_ld.build.reader_count", counting)
    out = tmp_path / "out"
    assert main(["build", "--seeds", str(ROOT / "seeds"), "--out", str(out), "--readers", given]) == 0
    assert used == [readers_used]
    monkeypatch.setenv("CONFLICT_LD_READERS", given)
    assert main(["build", "--seeds", str(ROOT / "seeds"), "--out", str(out)]) == 0
    assert used == [readers_used, readers_used]


@pytest.mark.parametrize("bad", ["-1", "two", ""])
def test_a_bad_readers_setting_is_named(tmp_path: Path, bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", "--seeds", str(ROOT / "seeds"), "--out", str(out), "--readers", bad]) == 2
    assert "readers" in capsys.readouterr().err


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""  # gone


def _same_command(pid: int) -> list[int]:
    """Processes running the command line of ``pid`` (a forked reader has its parent's)."""
    wanted = _cmdline(pid)
    return [int(e.name) for e in Path("/proc").iterdir()
            if e.name.isdigit() and int(e.name) != pid and _cmdline(int(e.name)) == wanted]


def test_an_interrupted_build_stops_its_readers_and_keeps_the_release(tmp_path: Path) -> None:
    """Ctrl-C in the middle of mapping (readers running): exit 130 with a message, no reader
    left behind, the previous release still the latest."""
    generated = tmp_path / "articles"
    subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), "--articles", "400", "--out",
                    str(generated), "--seed", "3"], check=True, capture_output=True)
    out = tmp_path / "out"
    assert main(["build", "--seeds", str(ROOT / "seeds"), "--out", str(out)]) == 0
    before = (out / "latest").resolve()
    build = subprocess.Popen([sys.executable, "-m", "conflict_ld.cli", "build", "--seeds", str(generated),
                              "--out", str(out), "--readers", "1"],
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert build.stderr is not None
    readers_seen: list[int] = []
    command = b""
    for line in build.stderr:
        if line.startswith("[100/400]"):
            command, readers_seen = _cmdline(build.pid), _same_command(build.pid)
            os.killpg(build.pid, signal.SIGINT)
            break
    rest = build.stderr.read()
    assert build.wait(timeout=60) == 130
    assert "interrupted; a release is only ever published whole" in rest
    assert "Traceback" not in rest
    assert readers_seen, "the build had a reader process when it was interrupted"
    assert not [pid for pid in readers_seen if _cmdline(pid) == command]
    assert (out / "latest").resolve() == before


def test_files_whose_order_is_not_their_ids_order(tmp_path: Path) -> None:
    """"a.b.txt" sorts before "a.txt" but its source id "a.b" after "a": the mapping still goes
    in source-id order (here it waits for every article), with readers or without."""
    folder = tmp_path / "articles"
    folder.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for name, seed in zip(("a.b.txt", "a.txt", "b.txt"), seeds, strict=True):
        shutil.copy(seed, folder / name)
    assert _mapped(folder, readers=1) == _mapped(folder, readers=0)


def test_articles_said_in_order_must_be(tables) -> None:
    from conflict_ld.mapping.graph import Article, Vocabulary, map_articles

    from conflict_ld.resources import prefixes

    record = parse_article("Some Group\n\nSome Group is a group.\n", tables=tables)
    articles = [Article(source_id=s, file_name=f"{s}.txt", sha256="0", record=record) for s in ("b", "a")]
    vocab = Vocabulary(base=BASE, prefixes=prefixes(), shortcuts={})
    assert map_articles(articles, tables=tables, vocab=vocab).sources.keys() == {"a", "b"}
    with pytest.raises(ValueError, match="out of source-id order: a after b"):
        map_articles(articles, tables=tables, vocab=vocab, in_order=True)
