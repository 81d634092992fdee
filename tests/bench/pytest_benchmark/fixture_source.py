import pytest


@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize("kind", ["list", "tuple"])
def test_build(benchmark, kind, size):
    benchmark(lambda: (list if kind == "list" else tuple)(range(size)))


@pytest.mark.benchmark(group="strings")
def test_join_words(benchmark):
    benchmark("".join, ["ab"] * 10)


class TestParser:
    def test_split_line(self, benchmark):
        benchmark("a b c".split)
