"""The generated part of ``docs/concurrency.md``: tables and conclusions from two runs.

Every comparison is shown for the quiet and the loaded run side by side; a conclusion is
written only where both runs are significant in the same direction (or both find no
difference), and every other comparison is listed as one the runs do not settle. Nothing
here reads files: ``study.py`` hands in what it read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from _study_files import RunFile
from _study_stats import Case, Comparison, Suite, agreement, comparisons, samples
from rxp._bench._benchmath import Summary, summarize

BEGIN, END = "<!-- study:begin -->", "<!-- study:end -->"


@dataclass(frozen=True, slots=True)
class Run:
    """One results file, read: its run facts, the samples per case, the comparisons."""

    file: RunFile
    found: Mapping[str, Sequence[float]]
    comparisons: Sequence[Comparison]

    def find(self, case: Case) -> Comparison | None:
        return next((c for c in self.comparisons if c.case.name == case.name), None)


def read(file: RunFile, suite: Suite) -> Run:
    found = samples(file.path.read_text(encoding="utf-8").splitlines(), suite.unit)
    return Run(file, found, comparisons(suite, found))


def number(x: float) -> str:
    if not math.isfinite(x):
        return "∞"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def interval(s: Summary) -> str:
    if not s.bounded:
        return f"{number(s.center)} (±∞, n={s.n})"
    return f"{number(s.center)} ({number(s.lo)}–{number(s.hi)})"


def p_text(c: Comparison) -> str:
    if c.p is None:
        return "p=1 (all equal)"
    return "p<0.001" if c.p < 0.001 else f"p={c.p:.3f}"


def ratio_text(c: Comparison) -> str:
    return f"{c.ratio:.2f}× ({c.ratio_lo:.2f}–{c.ratio_hi:.2f})"


def vs_cell(c: Comparison | None) -> str:
    if c is None:
        return "–"
    word = "**significant**" if c.significant else "not significant"
    return f"{ratio_text(c)}, {p_text(c)}, n={c.base.n}+{c.this.n}, {word}"


def _median_cell(run: Run | None, case: Case) -> str:
    if run is None or not run.found.get(case.name):
        return "–"
    return interval(summarize(run.found[case.name]))


_BOTH = {
    "faster": "faster in both",
    "slower": "slower in both",
    "n.s.": "no difference found in either",
    "disagree": "**runs disagree**",
    "one run": "one run only",
}


def run_line(label: str, run: Run | None, doc_dir: str) -> str:
    if run is None:
        flag = " --load" if label == "loaded" else ""
        return f"- **{label} run**: none yet (`python benchmarks/study.py{flag}`)."
    s, e = run.file.start, run.file.end or {}
    rel = run.file.path.name
    smoke = " **SMOKE RUN: a pipeline check, not evidence.**" if run.file.smoke else ""
    journal = f", journal {s['journal-mib']} MiB" if s.get("journal-mib") else ""
    return (
        f"- **{label} run**: [`{rel}`]({doc_dir}/{rel}), {s.get('utc', '?')} on "
        f"`{s.get('machine', '?')}`, {s.get('cpus', '?')} CPUs{journal}, "
        f"{e.get('rounds', '?')} rounds (at most {s.get('max-rounds', '?')}) in "
        f"{e.get('seconds', '?')} s, stopped: {e.get('stop', '?')}; 1-minute load average "
        f"{s.get('load-before', '?')} before, {e.get('load-after', '?')} after"
        f"{'; one core kept busy by the study' if run.file.load == 'loaded' else ''}.{smoke}"
    )


def suite_table(suite: Suite, quiet: Run | None, loaded: Run | None) -> list[str]:
    u = suite.unit
    lines = [
        f"| case | backend | quiet: {u} (95% CI) | quiet: vs sync | "
        f"loaded: {u} (95% CI) | loaded: vs sync | both runs |",
        "|---|---|---|---|---|---|---|",
    ]
    for case in suite.cases:
        q = quiet.find(case) if quiet else None
        ld = loaded.find(case) if loaded else None
        both = "baseline" if not case.baseline else _BOTH[agreement(q, ld)]
        lines.append(
            f"| {case.group} | {case.label} | {_median_cell(quiet, case)} | "
            f"{'1 (baseline)' if not case.baseline else vs_cell(q)} | "
            f"{_median_cell(loaded, case)} | "
            f"{'1 (baseline)' if not case.baseline else vs_cell(ld)} | {both} |"
        )
    return lines


def conclusions(suite: Suite, quiet: Run | None, loaded: Run | None) -> list[str]:
    """Bullets: what both runs support, then what they leave open."""
    agreed, same_ns, open_ = [], [], []
    for case in suite.compared():
        q = quiet.find(case) if quiet else None
        ld = loaded.find(case) if loaded else None
        both = agreement(q, ld)
        what = f"{case.group}: `{case.label}` vs `sync`"
        if both in ("faster", "slower") and q and ld:
            agreed.append(
                f"- {what}: **{both}** in both runs, {ratio_text(q)} quiet ({p_text(q)}), "
                f"{ratio_text(ld)} loaded ({p_text(ld)})."
            )
        elif both == "n.s." and q and ld:
            same_ns.append(f"- {what}: {p_text(q)} quiet, {p_text(ld)} loaded.")
        elif both == "disagree" and q and ld:
            open_.append(
                f"- {what}: quiet says {q.verdict} ({ratio_text(q)}, {p_text(q)}), loaded "
                f"says {ld.verdict} ({ratio_text(ld)}, {p_text(ld)})."
            )
        else:
            open_.append(f"- {what}: only one run has it; no conclusion.")
    smoke = any(r is not None and r.file.smoke for r in (quiet, loaded))
    tag = ", smoke data: not findings" if smoke else ""
    out = [f"**Supported by both runs** ({len(agreed)} of {len(suite.compared())}{tag}):", ""]
    out += agreed or ["- none."]
    out += ["", "**No significant difference in either run** (not proof of equality):", ""]
    out += same_ns or ["- none."]
    out += ["", "**Not settled: the runs disagree or one is missing** (no conclusion drawn):", ""]
    out += open_ or ["- none."]
    return out


def render(
    suites: Sequence[tuple[Suite, Run | None, Run | None, str]], doc_dir: str = "concurrency"
) -> str:
    """The text between the markers. Each suite: (suite, quiet, loaded, chart path)."""
    parts: list[str] = []
    smoke = any(r is not None and r.file.smoke for _, q, ld, _ in suites for r in (q, ld))
    if smoke:
        parts += [
            "> **Smoke data.** At least one run below is a smoke run (small journal, few "
            "rounds, on a machine busy with other jobs): it shows that the pipeline works "
            "end to end, and its verdicts are not findings. Rerun the two commands above on "
            "an idle machine to replace it.",
            "",
        ]
    for suite, quiet, loaded, chart in suites:
        parts += [f"### {suite.title} (`{suite.file}`)", ""]
        parts += [run_line("quiet", quiet, doc_dir), run_line("loaded", loaded, doc_dir), ""]
        if chart:
            parts += [f"![{suite.title}: speed relative to sync, both runs]({chart})", ""]
        parts += suite_table(suite, quiet, loaded)
        parts += [""]
        parts += conclusions(suite, quiet, loaded)
        parts += [""]
    return "\n".join(parts).rstrip("\n")


def splice(text: str, body: str) -> str:
    """``text`` with what lies between the markers replaced by ``body``."""
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise ValueError(f"the document needs one {BEGIN} before one {END}")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{body}\n{END}{tail}"
