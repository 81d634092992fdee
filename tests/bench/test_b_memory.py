"""``--benchmem``: allocs/op and B/op count what was allocated, never a net change.

Go's figures are deltas of cumulative counters (``MemStats.Mallocs``, ``TotalAlloc``), so
they cannot be negative, and an operation that allocates and frees still shows its
allocations. The bodies below have known allocation behaviour."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._bench import B, BenchTime

KEPT: list[object] = []


def probe(fn: Callable[[B], object]) -> tuple[int, int]:
    """What the meter reports for ``fn``'s second traced call, as the runner measures a
    short operation: the first traced run of a function makes line tables and caches (and,
    under ``pytest --cov``, coverage's own records of the lines it reaches) that are not the
    operation's."""
    memory = None
    for _ in range(2):
        b = B("BenchmarkX", measure_memory=True, benchtime=BenchTime(None, 1))
        b.run_n(fn, 1)
        memory = b.memory
    assert memory is not None
    return memory


def test_k_kept_objects_count_at_least_k() -> None:
    for k in (1, 10, 500):

        def keep(b: B, k: int = k) -> None:
            for _ in range(b.n):
                for _ in range(k):
                    KEPT.append(object())

        nbytes, allocs = probe(keep)
        assert allocs >= k and nbytes >= k * 16
    KEPT.clear()


def test_allocate_and_free_still_counts_and_is_not_negative() -> None:
    """The old figure (net getallocatedblocks) was 0 or below for these."""

    def churn(b: B) -> None:
        for _ in range(b.n):
            for i in range(100):
                x = [i] * 4
                del x

    def free_more_than_allocated(b: B) -> None:
        b.stop_timer()
        garbage = [[i] for i in range(2000)]
        b.start_timer()
        for _ in range(b.n):
            garbage.clear()  # frees 2000 lists: the net change is very negative
            y = [1]
            del y

    nbytes, allocs = probe(churn)
    assert allocs >= 100 and nbytes > 0
    nbytes, allocs = probe(free_more_than_allocated)
    assert allocs >= 1 and nbytes >= 0


def test_a_large_block_outside_pymalloc_counts_one_and_its_size() -> None:
    def big(b: B) -> None:
        for _ in range(b.n):
            data = bytearray(1_000_000)
            del data

    nbytes, allocs = probe(big)
    assert allocs >= 1 and 1_000_000 <= nbytes < 1_100_000


def test_untimed_set_up_does_not_count() -> None:
    def bench(b: B) -> None:
        b.stop_timer()
        setup = bytearray(4_000_000)
        kept = [object() for _ in range(1000)]
        b.start_timer()
        for _ in range(b.n):
            pass
        del setup, kept

    nbytes, allocs = probe(bench)
    assert nbytes < 10_000 and allocs < 20


def test_loop_probe_counts_the_body_not_the_set_up() -> None:
    def bench(b: B) -> None:
        setup = [object() for _ in range(1000)]  # before the first b.loop(): reset
        while b.loop():
            KEPT.append(object())
        del setup

    _, allocs = probe(bench)
    assert 1 <= allocs < 20
    KEPT.clear()


OPS = st.lists(
    st.sampled_from(["keep", "free", "big", "dict", "str", "clear", "nothing"]), max_size=40
)


@settings(max_examples=40, deadline=None)
@given(ops=OPS)
def test_memory_figures_are_never_negative(ops: list[str]) -> None:
    held: list[object] = [[i] for i in range(50)]

    def body(b: B) -> None:
        local: list[object] = []
        for op in ops:
            if op == "keep":
                local.append([op])
            elif op == "free" and local:
                local.pop()
            elif op == "big":
                local.append(bytearray(10_000))
            elif op == "dict":
                local.append({op: len(local)})
            elif op == "str":
                local.append(op * 100)
            elif op == "clear":
                held.clear()
                local.clear()

    nbytes, allocs = probe(body)
    assert nbytes >= 0 and allocs >= 0
    kept = sum(op in ("keep", "big", "dict", "str") for op in ops)
    if kept:
        assert allocs >= 1


def test_through_the_runner_an_empty_function_allocates_nothing() -> None:
    """The probe's second call is measured, and the hook's own work cancels out."""
    from tests.bench.test_harness import run

    def nothing(b: B) -> None:
        pass

    def loop_only(b: B) -> None:
        for _ in range(b.n):
            pass

    _, out = run(("BenchmarkNothing", nothing), ("BenchmarkLoop", loop_only),
                 benchtime=BenchTime(None, 1), benchmem=True)  # fmt: skip
    assert out.results[0].memory == (0, 0)
    assert out.results[1].memory is not None and out.results[1].memory[1] <= 2
