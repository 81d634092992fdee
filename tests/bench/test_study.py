"""The concurrency study's pure parts (``benchmarks/study.py`` and its ``_study_*`` helpers):
file naming that never overwrites, the stopping rule, the statistics, the document and the
chart, all on fake samples. Nothing here measures anything."""

from __future__ import annotations

import math
import random
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

import _study_doc as doc
import _study_files as files
import chart
import study
from _study_stats import (
    MIN_ROUNDS,
    STREAM,
    Case,
    Suite,
    agreement,
    bench_regex,
    bootstrap_ratio,
    compare,
    comparisons,
    samples,
    still_running,
)
from rxp._bench import Matcher

DAY = date(2026, 12, 6)

# -- results files ---------------------------------------------------------------------------


def test_results_are_named_by_date_machine_load_and_suite() -> None:
    name = files.results_name(DAY, "vm-3d1219c7", "quiet", "stream", smoke=False, seq=1)
    assert name == "2026-12-06-vm-3d1219c7-quiet-stream.txt"
    smoke = files.results_name(DAY, "vm-3d1219c7", "loaded", "fetch", smoke=True, seq=3)
    assert smoke == "2026-12-06-vm-3d1219c7-loaded-smoke-fetch-3.txt"
    with pytest.raises(ValueError):
        files.results_name(DAY, "vm", "busy", "fetch", smoke=False, seq=1)


def test_a_new_run_never_writes_over_an_existing_results_file(tmp_path: Path) -> None:
    committed = tmp_path / "2026-12-06-vm-quiet-stream.txt"
    committed.write_text("BenchmarkX 1 5 ns/op\n", encoding="utf-8")
    second = files.create_results(tmp_path, DAY, "vm", "quiet", "stream", smoke=False)
    third = files.create_results(tmp_path, DAY, "vm", "quiet", "stream", smoke=False)
    assert second.name == "2026-12-06-vm-quiet-stream-2.txt"
    assert third.name == "2026-12-06-vm-quiet-stream-3.txt"
    assert committed.read_text(encoding="utf-8") == "BenchmarkX 1 5 ns/op\n"
    assert second.read_text(encoding="utf-8") == ""


def test_machine_id_is_the_host_and_the_start_of_machine_id(tmp_path: Path) -> None:
    ident = tmp_path / "machine-id"
    ident.write_text("3d1219c7c4c5404aaa1f6d2a48adfda4\n", encoding="ascii")
    assert files.machine_id("Build_Host.local", ident) == "build-host-local-3d1219c7"
    assert files.machine_id("vm", tmp_path / "missing") == "vm"


def _run_file(folder: Path, name: str, start: str, stop: str | None) -> Path:
    path = folder / name
    lines = [files.fields_line("study-start", {"utc": start, "machine": "vm"})]
    if stop is not None:
        lines.append(files.fields_line("study-end", {"rounds": 6, "stop": stop}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_page_uses_the_newest_finished_run_and_a_full_run_before_a_smoke_run(
    tmp_path: Path,
) -> None:
    _run_file(tmp_path, "2026-12-05-vm-quiet-stream.txt", "2026-12-05T10:00Z", "max-rounds")
    _run_file(tmp_path, "2026-12-06-vm-quiet-smoke-stream.txt", "2026-12-06T09:00Z", "budget")
    _run_file(tmp_path, "2026-12-06-vm-quiet-stream.txt", "2026-12-06T10:00Z", "interrupted")
    _run_file(tmp_path, "2026-12-06-vm-quiet-stream-2.txt", "2026-12-06T11:00Z", None)
    _run_file(tmp_path, "2026-12-06-vm-loaded-smoke-stream.txt", "2026-12-06T12:00Z", "budget")
    (tmp_path / "notes.txt").write_text("not a run\n", encoding="utf-8")
    quiet = files.latest(tmp_path, "stream", "quiet")
    assert quiet is not None and quiet.path.name == "2026-12-05-vm-quiet-stream.txt"
    loaded = files.latest(tmp_path, "stream", "loaded")
    assert loaded is not None and loaded.smoke and loaded.start["utc"] == "2026-12-06T12:00Z"
    assert files.latest(tmp_path, "fetch", "quiet") is None


def test_study_lines_round_trip_with_spaces_in_values() -> None:
    line = files.fields_line("study-end", {"rounds": 7, "stop": "max-rounds", "note": "a b"})
    assert line == "# study-end: rounds=7 stop=max-rounds note=a_b"
    assert files.read_fields(["x", line], "study-end") == {
        "rounds": "7",
        "stop": "max-rounds",
        "note": "a_b",
    }


# -- reading results -------------------------------------------------------------------------

GO_OUTPUT = """\
# round 1: 2 cases
goos: linux
pkg: benchmarks/bench_fetch
BenchmarkFetch/client=sync/workers=1-2   1  1200000000 ns/op  41.7 req/s
--- BENCH: BenchmarkFetch/client=sync/workers=1-2
    bench_fetch.py:91: a log line: 3 req/s
BenchmarkFetch/client=thread/workers=16-2   12  90000000 ns/op  555.5 req/s
PASS
ok  \tbenchmarks/bench_fetch\t3.2s
--- FAIL: BenchmarkFetch/client=process/workers=16
    bench_fetch.py:120: bad response
FAIL
BenchmarkFetch/client=sync/workers=1   1  1100000000 ns/op  45.4 req/s
"""


def test_samples_ignore_go_trailers_logs_and_comments_and_the_cpu_suffix() -> None:
    found = samples(GO_OUTPUT.splitlines(), "req/s")
    assert found == {
        "BenchmarkFetch/client=sync/workers=1": [41.7, 45.4],
        "BenchmarkFetch/client=thread/workers=16": [555.5],
    }


def _every_stream_name() -> list[str]:
    names = []
    for bench in ("BenchmarkStream", "BenchmarkStreamExtract"):
        for backend in ("sync", "thread", "asyncio", "process"):
            for workers in (1, 2, 4):
                for pattern in ("literal-prefix", "inner-literal", "no-literal"):
                    names.append(f"{bench}/backend={backend}/workers={workers}/pattern={pattern}")
    return [*names, "BenchmarkStreamStartup/backend=sync/workers=1"]


@pytest.mark.parametrize("pick", [slice(None), slice(0, 1), slice(5, 17, 3)])
def test_the_bench_regex_selects_exactly_the_open_cases(pick: slice) -> None:
    chosen = STREAM.cases[pick]
    matcher = Matcher(bench_regex(chosen))
    selected = {n for n in _every_stream_name() if matcher.matches(n) == (True, False)}
    assert selected == {c.name for c in chosen}


# -- statistics ------------------------------------------------------------------------------

SMALL = Suite(
    "small",
    "benchmarks/bench_small.py",
    "1x",
    "MB/s",
    "small",
    (
        Case("BenchmarkS/backend=sync", "g", "sync"),
        Case("BenchmarkS/backend=fast", "g", "fast", "BenchmarkS/backend=sync"),
        Case("BenchmarkS/backend=same", "g", "same", "BenchmarkS/backend=sync"),
    ),
)
SYNC, FAST, SAME = (c.name for c in SMALL.cases)


def test_fully_separated_samples_give_the_exact_u_test_p_and_a_ratio_of_medians() -> None:
    base = [10.0, 11.0, 12.0, 13.0, 14.0, 15.0]
    this = [20.0, 21.0, 22.0, 23.0, 24.0, 25.0]
    c = compare(SMALL.cases[1], base, this)
    assert c.p == pytest.approx(2 / math.comb(12, 6))  # the most extreme of C(12, 6) orders
    assert c.ratio == pytest.approx(22.5 / 12.5)
    assert c.significant and c.verdict == "faster"
    assert c.ratio_lo <= c.ratio <= c.ratio_hi
    assert compare(SMALL.cases[1], this, base).verdict == "slower"


def test_the_bootstrap_interval_is_reproducible_and_holds_the_resampled_extremes() -> None:
    base, this = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2.0, 4.0, 6.0, 8.0, 10.0, 12.0]
    lo, hi = bootstrap_ratio(base, this, seed=7)
    assert (lo, hi) == bootstrap_ratio(base, this, seed=7)
    assert min(this) / max(base) <= lo <= 2.0 <= hi <= max(this) / min(base)
    assert bootstrap_ratio([5.0] * 6, [10.0] * 6, seed=1) == (2.0, 2.0)


def test_equal_samples_have_no_p_and_are_not_significant() -> None:
    c = compare(SMALL.cases[2], [3.0] * 6, [3.0] * 6)
    assert c.p is None and not c.significant and c.verdict == "n.s."


def test_agreement_of_the_two_runs() -> None:
    fast = compare(SMALL.cases[1], [1.0, 2, 3, 4, 5, 6], [11.0, 12, 13, 14, 15, 16])
    slow = compare(SMALL.cases[1], [11.0, 12, 13, 14, 15, 16], [1.0, 2, 3, 4, 5, 6])
    same = compare(SMALL.cases[1], [1.0, 3, 5, 7, 9, 11], [2.0, 4, 6, 8, 10, 12])
    assert agreement(fast, fast) == "faster"
    assert agreement(slow, slow) == "slower"
    assert agreement(same, same) == "n.s."
    assert agreement(fast, slow) == "disagree"
    assert agreement(fast, same) == "disagree"
    assert agreement(fast, None) == "one run"


# -- the stopping rule -----------------------------------------------------------------------


def _open(found: dict[str, list[float]], max_rounds: int = 12) -> set[str]:
    todo = still_running(SMALL, found, min_rounds=MIN_ROUNDS, max_rounds=max_rounds)
    return {c.name for c in todo}


def test_every_case_runs_until_the_minimum_rounds() -> None:
    found = {SYNC: [1.0] * 5, FAST: [9.0] * 5, SAME: [1.0] * 5}
    assert _open(found) == {SYNC, FAST, SAME}


def test_a_significant_case_stops_and_its_baseline_runs_for_the_others() -> None:
    found = {
        SYNC: [10.0, 11, 12, 13, 14, 15],
        FAST: [20.0, 21, 22, 23, 24, 25],
        SAME: [10.5, 11.5, 12.5, 13.5, 14.5, 15.5],
    }
    assert _open(found) == {SYNC, SAME}
    found[SAME] = [30.0, 31, 32, 33, 34, 35]
    assert _open(found) == set()


def test_the_group_closes_when_its_baseline_reaches_the_maximum() -> None:
    found = {SYNC: [float(i) for i in range(12)], FAST: [5.0] * 10, SAME: [5.5] * 12}
    assert _open(found, max_rounds=12) == set()
    assert _open(found, max_rounds=13) == {SYNC, FAST, SAME}


def _simulate(max_rounds: int, seed: int) -> tuple[int, dict[str, list[float]]]:
    """The study's loop with fake measurements: ``fast`` is twice ``sync``, ``same`` is
    drawn from the same distribution as ``sync``."""
    rng = random.Random(seed)
    mean = {SYNC: 100.0, FAST: 200.0, SAME: 100.0}
    found: dict[str, list[float]] = {}
    rounds = 0
    while todo := still_running(SMALL, found, min_rounds=MIN_ROUNDS, max_rounds=max_rounds):
        rounds += 1
        for case in todo:
            found.setdefault(case.name, []).append(rng.gauss(mean[case.name], 5.0))
    return rounds, found


@pytest.mark.parametrize("seed", range(5))
def test_the_loop_ends_within_max_rounds_and_stops_a_clear_difference_at_the_minimum(
    seed: int,
) -> None:
    rounds, found = _simulate(max_rounds=14, seed=seed)
    assert rounds <= 14
    assert len(found[FAST]) == MIN_ROUNDS
    assert len(found[SYNC]) == rounds
    if len(found[SAME]) < 14:  # stopped early: only by being significant (a false positive)
        assert compare(SMALL.cases[2], found[SYNC], found[SAME]).significant


def test_the_loop_ends_at_max_rounds_when_nothing_differs() -> None:
    found: dict[str, list[float]] = {}
    rounds = 0
    while todo := still_running(SMALL, found, min_rounds=MIN_ROUNDS, max_rounds=9):
        rounds += 1
        for case in todo:
            found.setdefault(case.name, []).append(7.0)
    assert rounds == 9 and all(len(v) == 9 for v in found.values())


# -- the document ----------------------------------------------------------------------------


def _run(load: str, found: dict[str, list[float]], *, smoke: bool = False) -> doc.Run:
    file = files.RunFile(
        Path(f"2026-12-06-vm-{load}-small.txt"),
        "small",
        load,
        smoke,
        {"utc": "2026-12-06T10:00Z", "machine": "vm", "cpus": "2", "max-rounds": "12"},
        {"rounds": "6", "seconds": "60", "stop": "all-significant", "load-after": "0.5"},
    )
    return doc.Run(file, found, comparisons(SMALL, found))


LOW, HIGH = [10.0, 11, 12, 13, 14, 15], [20.0, 21, 22, 23, 24, 25]


def test_conclusions_only_where_both_runs_agree() -> None:
    quiet = _run("quiet", {SYNC: LOW, FAST: HIGH, SAME: HIGH})
    loaded = _run("loaded", {SYNC: LOW, FAST: HIGH, SAME: [9.5, 10.5, 11.5, 12.5, 13.5, 14.5]})
    text = "\n".join(doc.conclusions(SMALL, quiet, loaded))
    supported, rest = text.split("**No significant difference", 1)
    assert "`fast` vs `sync`: **faster** in both runs, 1.80×" in supported
    assert "`same`" not in supported
    assert "`same` vs `sync`: quiet says faster" in rest and "loaded says n.s." in rest
    assert "(1 of 2)" in supported


def test_a_missing_loaded_run_settles_nothing() -> None:
    quiet = _run("quiet", {SYNC: LOW, FAST: HIGH, SAME: HIGH})
    text = "\n".join(doc.conclusions(SMALL, quiet, None))
    assert "(0 of 2)" in text and text.count("only one run has it") == 2
    table = "\n".join(doc.suite_table(SMALL, quiet, None))
    assert "one run only" in table


def test_the_table_sets_both_runs_side_by_side_with_intervals_and_p() -> None:
    quiet = _run("quiet", {SYNC: LOW, FAST: HIGH, SAME: HIGH})
    loaded = _run("loaded", {SYNC: LOW, FAST: HIGH, SAME: HIGH})
    rows = doc.suite_table(SMALL, quiet, loaded)
    fast = next(r for r in rows if "| fast |" in r)
    assert fast.count("p=0.002") == 2 and fast.count("**significant**") == 2
    assert "22.5 (20.0–25.0)" in fast and fast.endswith("| faster in both |")


def test_smoke_runs_are_labelled_as_such() -> None:
    quiet = _run("quiet", {SYNC: LOW, FAST: HIGH, SAME: HIGH}, smoke=True)
    body = doc.render([(SMALL, quiet, None, "concurrency/study-small.svg")])
    assert "**Smoke data.**" in body and "SMOKE RUN" in body
    assert "none yet (`python benchmarks/study.py --load`)" in body
    assert "smoke data: not findings" in body
    clean = doc.render([(SMALL, _run("quiet", {SYNC: LOW, FAST: HIGH, SAME: HIGH}), None, "")])
    assert "Smoke" not in clean and "SMOKE" not in clean


def test_splice_replaces_only_between_the_markers() -> None:
    text = f"intro\n{doc.BEGIN}\nold\n{doc.END}\nprose\n"
    assert doc.splice(text, "new") == f"intro\n{doc.BEGIN}\nnew\n{doc.END}\nprose\n"
    with pytest.raises(ValueError):
        doc.splice("no markers\n", "new")
    with pytest.raises(ValueError):
        doc.splice(f"{doc.END}\n{doc.BEGIN}\n", "new")


def test_the_study_chart_has_a_whisker_per_bar_and_a_sync_line() -> None:
    quiet = _run("quiet", {SYNC: LOW, FAST: HIGH, SAME: LOW})
    loaded = _run("loaded", {SYNC: LOW, FAST: HIGH, SAME: HIGH})
    svg = chart.render_study("t", [("quiet", quiet.comparisons), ("loaded", loaded.comparisons)])
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    whiskers = [e for e in root.iter(f"{ns}line") if e.get("class") == "whisker"]
    assert len(whiskers) == 4
    assert any(e.get("stroke-dasharray") for e in root.iter(f"{ns}line"))
    labels = [e.text or "" for e in root.iter(f"{ns}text")]
    assert "sync = 1" in labels and any(t.endswith("× ~") for t in labels)


# -- the loaded run's burner -----------------------------------------------------------------


def test_the_burner_runs_for_the_block_and_is_stopped_after_it() -> None:
    with study.burner(True) as busy:
        assert busy is not None and busy.poll() is None
    assert busy.poll() is not None
    with study.burner(False) as none:
        assert none is None


def test_the_burner_is_stopped_when_the_block_raises() -> None:
    with pytest.raises(KeyboardInterrupt), study.burner(True) as busy:
        assert busy is not None
        raise KeyboardInterrupt
    assert busy.poll() is not None
