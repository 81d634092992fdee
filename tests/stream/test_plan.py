"""Pattern plans: read off the AST once, then kept in the cache directory, and a cache that
cannot be read or written only costs the work of computing the plan again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rxp._errors import PatternError
from rxp._stream import _plan
from rxp._stream._plan import MatcherSpec, cached_plan, plan_of


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RXP_CACHE_DIR", str(tmp_path))
    return tmp_path


SPECS = [
    MatcherSpec(r"Failed password for (\S+) from ([0-9.]+)"),
    MatcherSpec(r"(\w+) \1", ignore_case=True),
    MatcherSpec(r"a.b", fixed_strings=True),
    MatcherSpec(r"(?P<x>\p{Lu})", flavor="regex"),
]


@pytest.mark.parametrize("spec", SPECS)
def test_a_cached_plan_is_the_plan(cache: Path, spec: MatcherSpec) -> None:
    assert cached_plan(spec) == plan_of(spec)
    assert len(list((cache / "plans").iterdir())) == 1


def test_the_second_run_reads_the_plan_without_the_ast(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = SPECS[0]
    first = cached_plan(spec)

    def no_parsing(spec: MatcherSpec) -> _plan.Plan:
        raise AssertionError("the plan was computed again")

    monkeypatch.setattr(_plan, "plan_of", no_parsing)
    assert cached_plan(spec) == first


def test_specs_that_differ_get_their_own_plans(cache: Path) -> None:
    plans = {cached_plan(spec) for spec in SPECS}
    assert len(plans) == len(SPECS)
    assert len(list((cache / "plans").iterdir())) == len(SPECS)


def test_a_broken_cache_file_is_computed_again(cache: Path) -> None:
    spec = SPECS[0]
    plan = cached_plan(spec)
    (entry,) = (cache / "plans").iterdir()
    entry.write_bytes(b"not a plan")
    assert cached_plan(spec) == plan
    entry.write_bytes(b"")
    assert cached_plan(spec) == plan


def test_an_unwritable_cache_directory_only_means_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    monkeypatch.setenv("RXP_CACHE_DIR", str(blocked))
    assert cached_plan(SPECS[0]) == plan_of(SPECS[0])


def test_an_invalid_pattern_is_never_cached(cache: Path) -> None:
    with pytest.raises(PatternError):
        cached_plan(MatcherSpec("(unclosed"))
    assert not (cache / "plans").exists() or not os.listdir(cache / "plans")


def test_two_specs_sharing_a_file_name_never_get_each_others_plan(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = str(cache / "plans" / "same.plan")
    monkeypatch.setattr(_plan, "_plan_file", lambda key: shared)
    first, second = SPECS[0], SPECS[1]
    assert cached_plan(first) == plan_of(first)
    assert cached_plan(second) == plan_of(second)  # the stored key differs: computed again
    assert cached_plan(first) == plan_of(first)
