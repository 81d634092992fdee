"""benchstat's filters and projections (``_benchparse``, ``_benchproc``, ``_benchunit``).

Oracle: the unit tests of golang.org/x/perf (BSD licence, tests/bench/benchstat/LICENSE),
ported case for case as data: ``benchproc/internal/parse/{filter,projection}_test.go``,
``benchproc/{filter,projection,sort,keyheader,nonsingular,extract,example}_test.go`` and
``benchunit``'s tidy and scale tests. A few hypothesis properties follow from the syntax's
definition (``A OR -A`` keeps everything; ``.fullname`` groups exactly equal names).
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rxp._bench._benchparse import ExprSyntaxError, parse_filter, parse_projection
from rxp._bench._benchproc import (
    BResult,
    Filter,
    Key,
    Projection,
    ProjectionParser,
    Value,
    extractor,
    fullname_extractor,
    key_header,
    non_singular_fields,
    parse_num,
    sort_keys,
)
from rxp._bench._benchunit import common_scale, is_binary, scale, tidy

# -- parse/filter_test.go ------------------------------------------------------------------------

FILTERS = [
    ("*", "*"), ("a:b", "a:b"), ("a :b", "a:b"), ("a : b", "a:b"),
    ('"a":"b c"', 'a:"b c"'), ('"a\\"":"b c"', '"a\\"":"b c"'), ('"a\\u2603":"b c"', 'a☃:"b c"'),
    ("a-b:c", "a-b:c"), ("a*b:c", "a*b:c"), ("(a:b)", "a:b"),
    ("a:b c:d e:f", "(a:b AND c:d AND e:f)"), ("-a:b", "-a:b"), ("-*", "-*"),
    ("a:b AND c:d", "(a:b AND c:d)"), ("-a:b AND c:d", "(-a:b AND c:d)"),
    ("-(a:b AND c:d)", "-(a:b AND c:d)"), ("a:b AND * AND c:d", "(a:b AND * AND c:d)"),
    ("a:b OR c:d", "(a:b OR c:d)"),
    ("a:b AND c:d OR e:f AND g:h", "((a:b AND c:d) OR (e:f AND g:h))"),
    ("a:b AND (c:d OR e:f) AND g:h", "(a:b AND (c:d OR e:f) AND g:h)"),
    ("a:/b[/](/)\\/c/", "a:/b[/](/)\\/c/"),
    ("a:(b OR c OR d)", "(a:b OR a:c OR a:d)"),
    ('a:(b OR "c " OR /d/)', '(a:b OR a:"c " OR a:/d/)'),
]  # fmt: skip
FILTER_ERRORS = [
    ("a", "expected key:value", 0), ("a :", "expected key:value", 0),
    ("a:", "expected key:value", 0), ("", "expected key:value or subexpression", 0),
    ("()", "expected key:value or subexpression", 1),
    ("AND", "expected key:value or subexpression", 0),
    ('"a\\z":"b c"', "bad escape sequence", 0), ('a "b', "missing end quote", 2),
    ("(a:b", 'missing ")"', 4), ("(a:b))", 'unexpected ")"', 5),
    ("a:/b", 'missing close "/"', 2),
    ("a:/[[:foo:]]/", "error parsing regexp: invalid character class range: `[:foo:]`", 2),
    ("a:/b/c", 'regexp must be followed by space or an operator (unescaped "/"?)', 5),
    ("a:(b c)", "value list must be separated by OR", 5),
    ("a:(b AND c)", "value list must be separated by OR", 5),
    ("a:(b OR AND)", "expected value", 8), ("a:()", "expected value", 3),
]  # fmt: skip


@pytest.mark.parametrize(("query", "want"), FILTERS)
def test_parse_filter(query: str, want: str) -> None:
    assert str(parse_filter(query)) == want


@pytest.mark.parametrize(("query", "msg", "off"), FILTER_ERRORS)
def test_parse_filter_errors(query: str, msg: str, off: int) -> None:
    with pytest.raises(ExprSyntaxError) as info:
        parse_filter(query)
    assert (info.value.msg, info.value.off) == (msg, off)


def test_a_syntax_error_shows_the_query_and_a_caret() -> None:
    with pytest.raises(ExprSyntaxError) as info:
        parse_filter("a:(b c)")
    assert (
        str(info.value) == "syntax error: value list must be separated by OR\n\ta:(b c)\n\t     ^"
    )


# -- parse/projection_test.go --------------------------------------------------------------------

PROJECTIONS = [
    ("", []), ("a,b", ["a", "b"]), ("a, b", ["a", "b"]), ("a b", ["a", "b"]),
    ("a,.name", ["a", ".name"]), ("a,/b", ["a", "/b"]),
    ("a@alpha, b@num", ["a@alpha", "b@num"]), ("a@(1 2), b@(3 4)", ["a@(1 2)", "b@(3 4)"]),
]  # fmt: skip
PROJECTION_ERRORS = [
    ("a,,b", "expected key", 2), ("a@", "expected named sort order or parenthesized list", 2),
    ("a@,b", "expected named sort order or parenthesized list", 2), ("a@(", "missing )", 3),
    ("a@(,", "missing )", 3), ("a@()", "nothing to match", 3),
]  # fmt: skip


@pytest.mark.parametrize(("query", "want"), PROJECTIONS)
def test_parse_projection(query: str, want: list[str]) -> None:
    assert [str(f) for f in parse_projection(query)] == want


@pytest.mark.parametrize(("query", "msg", "off"), PROJECTION_ERRORS)
def test_parse_projection_errors(query: str, msg: str, off: int) -> None:
    with pytest.raises(ExprSyntaxError) as info:
        parse_projection(query)
    assert (info.value.msg, info.value.off) == (msg, off)


# -- benchproc: results, projections and keys ----------------------------------------------------


def r(full_name: str, *config: str, values: tuple[Value, ...] = ()) -> BResult:
    """projection_test.go's ``r``: a name and file configuration as key/value pairs."""
    pairs = zip(config[::2], config[1::2], strict=True)
    return BResult(full_name, tuple((k, v, True) for k, v in pairs), values)


def parse(query: str) -> tuple[Projection, Filter]:
    flt = Filter("*")
    return ProjectionParser().parse(query, flt), flt


def key(proj: Projection, full_name: str, *config: str) -> Key:
    return proj.project(r(full_name, *config))


@pytest.mark.parametrize(
    ("projection", "result", "want"),
    [(".fullname", ("Name/a=1",), ".fullname:Name/a=1"), ("/a", ("Name/a=1",), "/a:1"),
     (".name", ("Name/a=1",), ".name:Name"), ("a", ("", "a", "1", "b", "2"), "a:1"),
     ("a", ("", "b", "2"), ""), ("a", ("", "a", "", "b", "2"), "")],
)  # fmt: skip
def test_projection_basic(projection: str, result: tuple[str, ...], want: str) -> None:
    assert str(key(parse(projection)[0], *result)) == want


def test_projection_of_config_grows_with_the_keys_seen() -> None:
    proj, _ = parse(".config")
    assert str(key(proj, "", "a", "1", "b", "2")) == "a:1 b:2"
    assert str(key(proj, "", "c", "3")) == "c:3"
    assert str(key(proj, "", "c", "3", "a", "2")) == "a:2 c:3"


def test_projection_intern() -> None:
    proj, _ = parse("a,b")
    c12 = key(proj, "", "a", "1", "b", "2")
    assert c12 == key(proj, "", "a", "1", "b", "2")
    assert c12 != key(proj, "", "a", "1", "b", "3")
    assert c12 == key(proj, "", "a", "1", "b", "2", "c", "3")


@pytest.mark.parametrize(
    ("projection", "fields", "flat"),
    [("a,b,c", "a b c", "a b c"), ("a,.config,c", "a .config c", "a c"),
     ("a,.fullname,c", "a .fullname c", "a .fullname c"), ("a,.name,c", "a .name c", "a .name c"),
     ("a,/b,c", "a /b c", "a /b c")],
)  # fmt: skip
def test_projection_parsing(projection: str, fields: str, flat: str) -> None:
    proj, _ = parse(projection)
    assert " ".join(f.name for f in proj.fields()) == fields
    assert " ".join(f.name for f in proj.flattened_fields()) == flat


@pytest.mark.parametrize(
    ("projection", "msg", "off"),
    [("a@foo", 'unknown order "foo"', 2),
     (".config@(1 2)", "fixed order not allowed for .config", 8),
     (".unit", ".unit is only allowed in filters", 0)],
)  # fmt: skip
def test_projection_parsing_errors(projection: str, msg: str, off: int) -> None:
    with pytest.raises(ExprSyntaxError) as info:
        parse(projection)
    assert (info.value.msg, info.value.off) == (msg, off)


@pytest.mark.parametrize(("value", "kept"), [("a", True), ("b", True), ("aa", False), ("z", False)])
def test_projection_filtering(value: str, kept: bool) -> None:
    _, flt = parse("a@(a b c)")
    assert (flt.apply(r("", "a", value, values=(Value(1, "x"),))) is not None) == kept


def test_projection_exclusion() -> None:
    pp, flt = ProjectionParser(), Filter("*")
    proj = pp.parse(".fullname,.config", flt)
    pp.parse(".name,/a,exc", flt)
    assert str(key(proj, "Name")) == ".fullname:*"
    assert str(key(proj, "Name/a=1")) == ".fullname:*"
    assert str(key(proj, "Name/a=1/b=2")) == ".fullname:*/b=2"
    assert str(key(proj, "Name", "exc", "1")) == ".fullname:*"
    assert str(key(proj, "Name", "exc", "1", "abc", "2")) == ".fullname:* abc:2"
    assert str(key(proj, "Name", "abc", "2")) == ".fullname:* abc:2"


@pytest.mark.parametrize(
    ("main", "want"),
    [("", "x:3 y:4 .fullname:Name/a=1/b=2"), (".config,.fullname", ""),
     ("x,/a", "y:4 .fullname:Name/b=2"), (".config", ".fullname:Name/a=1/b=2"),
     (".fullname", "x:3 y:4"), (".name", "x:3 y:4 .fullname:*/a=1/b=2")],
)  # fmt: skip
def test_projection_residue(main: str, want: str) -> None:
    pp = ProjectionParser()
    pp.parse(main, Filter("*"))
    assert str(key(pp.residue(), "Name/a=1/b=2", "x", "3", "y", "4")) == want


def test_projection_values() -> None:
    proj = ProjectionParser().parse_with_unit("x", None)
    assert proj.unit_field is not None
    result = r("Name", "x", "1", values=(Value(100, "ns/op"), Value(1.21, "gigawatts")))
    keys = proj.project_values(result)
    assert [str(k) for k in keys] == ["x:1 .unit:ns/op", "x:1 .unit:gigawatts"]
    assert [k.get(proj.unit_field) for k in keys] == ["ns/op", "gigawatts"]


def test_residue_example_warns_about_goarch() -> None:
    # projection_test.go's ExampleProjectionParser_Residue.
    pp = ProjectionParser()
    proj = pp.parse(".fullname,goos", None)
    residue = pp.residue()
    groups: dict[Key, list[Key]] = {}
    for goos, goarch in (("linux", "amd64"), ("linux", "arm64"), ("darwin", "amd64")):
        result = r("Alloc", "goos", goos, "goarch", goarch)
        groups.setdefault(proj.project(result), []).append(residue.project(result))
    report = [
        (str(k), [f.name for f in non_singular_fields(groups[k])]) for k in sort_keys(list(groups))
    ]
    assert report == [
        (".fullname:Alloc goos:linux", ["goarch"]),
        (".fullname:Alloc goos:darwin", []),
    ]


# -- filter_test.go --------------------------------------------------------------------------------

FILTER_RESULT = r(
    "Name/n1=v3", "f1", "v1", "f2", "v2",
    values=(Value(100, "ns/op", "sec/op"), Value(100, "B/op")),
)  # fmt: skip


@pytest.mark.parametrize(
    ("query", "want"),
    [("f1:v1", 0b11), ("f1:v2", 0), ("/n1:v3", 0b11), (".name:Name", 0b11),
     (".fullname:Name/n1=v3", 0b11), (".unit:ns/op", 0b01), (".unit:sec/op", 0b01),
     (".unit:B/op", 0b10), (".unit:foo", 0), ("*", 0b11), ("f1:v1 OR f1:v2", 0b11),
     ("f1:v1 AND f1:v2", 0), ("f1:v1 f1:v2", 0), ("f1:v1 f2:v2", 0b11), ("-f1:v1", 0),
     ("--f1:v1", 0b11), (".unit:(ns/op OR B/op)", 0b11)],
)  # fmt: skip
def test_filter(query: str, want: int) -> None:
    got = Filter(query).matches(FILTER_RESULT)
    assert sum(1 << i for i, kept in enumerate(got) if kept) == want


def test_filter_on_many_units() -> None:
    result = r("Name/n1=v3", "f1", "v1", values=tuple(Value(0, f"u{i}") for i in range(100)))
    got = Filter("f1:v1 AND --(f1:v2 OR .unit:(u0 OR u99))").matches(result)
    assert [i for i, kept in enumerate(got) if kept] == [0, 99]


# -- sort_test.go ----------------------------------------------------------------------------------


def sorted_strings(
    projection: str, values: list[str], prepare: list[tuple[str, ...]] = ()
) -> list[str]:  # type: ignore[assignment]
    proj, _ = parse(projection)
    for config in prepare:
        key(proj, "", *config)
    keys = [key(proj, "", "a", v) for v in values]
    return [str(k) for k in sort_keys(keys)]


def test_sort_orders() -> None:
    assert sorted_strings("a", ["1", "3", "2"]) == ["a:1", "a:3", "a:2"]
    proj, _ = parse("a,b")
    for config in (("a", "1"), ("a", "2"), ("b", "1"), ("b", "2")):
        key(proj, "", *config)
    keys = [key(proj, "", "a", "2", "b", "1"), key(proj, "", "a", "1", "b", "2")]
    assert [str(k) for k in sort_keys(keys)] == ["a:1 b:2", "a:2 b:1"]
    assert sorted_strings("a@alpha", ["c", "b", "a"]) == ["a:a", "a:b", "a:c"]
    assert sorted_strings("a@num", ["100", "20", "3"]) == ["a:3", "a:20", "a:100"]
    assert sorted_strings("a@num", ["b", "a", "100", "20"]) == ["a:20", "a:100", "a:a", "a:b"]
    assert sorted_strings("a@(c b a)", ["a", "b", "c"]) == ["a:c", "a:b", "a:a"]


def test_numeric_sort_of_weird_values_is_stable_under_shuffles() -> None:
    values = ["1", "-inf", "-infinity", "inf", "infinity", "1.0", "NaN", "nan"]
    want = ["a:-inf", "a:-infinity", "a:1", "a:1.0", "a:inf", "a:infinity", "a:NaN", "a:nan"]
    rng = random.Random(0)
    for _ in range(10):
        rng.shuffle(values)
        assert sorted_strings("a@num", values) == want


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", 1), ("1B", 1), ("1b", 1), ("100.5", 100.5), ("1k", 1000), ("1K", 1000), ("1ki", 1024),
     ("1kiB", 1024), ("1M", 1e6), ("1Mi", 1 << 20), ("1G", 1e9), ("1T", 1e12), ("1P", 1e15),
     ("1E", 1e18), ("1Z", 1e21), ("1Y", 1e24)],
)  # fmt: skip
def test_parse_num(text: str, value: float) -> None:
    assert parse_num(text) == value


# -- keyheader_test.go and nonsingular_test.go -------------------------------------------------


def render_header(keys: list[Key]) -> str:
    fields = keys[0].proj.flattened_fields() if keys else []
    out = []

    def walk(nodes: list) -> None:  # type: ignore[type-arg]
        for n in nodes:
            out.append("\n" + "\t" * n.field + f"{fields[n.field].name}:{n.value}")
            walk(n.children)

    walk(key_header(keys))
    return "".join(out)


@pytest.mark.parametrize(
    ("configs", "want"),
    [([("a", "a1", "b", "b1"), ("a", "a1", "b", "b2")], "\na:a1\n\tb:b1\n\tb:b2"),
     ([("a", "a1", "b", "b1"), ("a", "a2", "b", "b1")], "\na:a1\n\tb:b1\na:a2\n\tb:b1"),
     ([("a", "a1"), ("a", "a1", "b", "b1"), ("a", "a1", "b", "b1", "c", "c1")],
      "\na:a1\n\tb:\n\t\tc:\n\tb:b1\n\t\tc:\n\t\tc:c1"),
     ([(), ()], "")],
)  # fmt: skip
def test_key_header(configs: list[tuple[str, ...]], want: str) -> None:
    proj, _ = parse(".config")
    assert render_header([key(proj, "", *c) for c in configs]) == want


def test_key_header_of_no_keys() -> None:
    assert key_header([]) == []


@pytest.mark.parametrize(
    ("configs", "want"),
    [([], []), ([("1", "1")], []), ([("1", "1")] * 3, []), ([("1", "1"), ("2", "1")], ["a"]),
     ([("1", "1"), ("2", "1"), ("1", "2")], ["a", "b"])],
)  # fmt: skip
def test_non_singular_fields(configs: list[tuple[str, str]], want: list[str]) -> None:
    proj, _ = parse(".config")
    keys = [key(proj, "", "a", a, "b", b) for a, b in configs]
    assert [f.name for f in non_singular_fields(keys)] == want


# -- extract_test.go -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key_name", "name", "want"),
    [(".name", "Test", "Test"), (".name", "Test/a", "Test"), (".name", "Test-4", "Test"),
     (".name", "Test/a-4", "Test"), (".fullname", "Test-2", "Test-2"),
     ("/a", "Test", ""), ("/a", "Test/a=1", "1"), ("/a", "Test/aa=1", ""),
     ("/a", "Test/a=1/b=2", "1"), ("/a", "Test/b=1/a=2", "2"), ("/a", "Test/b=1/a=2-4", "2"),
     ("/gomaxprocs", "Test", ""), ("/gomaxprocs", "Test/gomaxprocs=4", "4"),
     ("/gomaxprocs", "Test-4", "4"), ("/gomaxprocs", "Test/a-4", "4")],
)  # fmt: skip
def test_extract_name_keys(key_name: str, name: str, want: str) -> None:
    assert extractor(key_name)(r(name)) == want


@pytest.mark.parametrize(
    ("exclude", "name", "want"),
    [(["/a"], "Test", "Test"), (["/a"], "Test/a=123", "Test"),
     (["/a"], "Test/b=123/a=123", "Test/b=123"), (["/a"], "Test/a=123/b=123", "Test/b=123"),
     (["/a"], "Test/a=123/a=123", "Test"), (["/a"], "Test/a=123-2", "Test-2"),
     ([".name"], "Test", "*"), ([".name"], "Test/a=123", "*/a=123"),
     ([".name", "/a"], "Test", "*"), ([".name", "/a"], "Test/a=123", "*"),
     ([".name", "/a"], "Test/a=123/b=123", "*/b=123"),
     (["/gomaxprocs"], "Test", "Test"), (["/gomaxprocs"], "Test/a=123", "Test/a=123"),
     (["/gomaxprocs"], "Test/a=123-2", "Test/a=123"),
     (["/gomaxprocs"], "Test/gomaxprocs=123", "Test")],
)  # fmt: skip
def test_extract_full_name_without_keys(exclude: list[str], name: str, want: str) -> None:
    assert fullname_extractor(exclude)(r(name)) == want


def test_extract_file_keys_and_a_bad_key() -> None:
    assert extractor("file-key")(r("Name", "file-key", "123", "other-key", "456")) == "123"
    assert extractor("file-key")(r("Name", "other-key", "456")) == ""
    with pytest.raises(ValueError, match="key must not be empty"):
        extractor("")


# -- example_test.go: the whole pipeline on suffixarray.bench ------------------------------------


def test_the_example_pipeline() -> None:
    from rxp._bench._gofmt import read_results

    read = read_results((Path(__file__).parent / "benchstat" / "suffixarray.bench").read_bytes())
    flt = Filter(".name:New /text:go")
    pp = ProjectionParser()
    proj = pp.parse("/bits,/size@num", flt)
    residue = pp.residue()
    by_key: dict[Key, list[float]] = {}
    residues = []
    for parsed in read.results:
        values = tuple(Value(*tidy(v, u)) for v, u in parsed.values)
        res = flt.apply(BResult(parsed.name, tuple((k, v, True) for k, v in parsed.config), values))
        if res is None:
            continue
        speed = next(v.value for v in res.values if v.unit == "sec/op")
        by_key.setdefault(proj.project(res), []).append(speed)
        residues.append(residue.project(res))
    lines = [f"{'config':<24} sec/op"]
    for k in sort_keys(list(by_key)):
        mean = sum(by_key[k]) / len(by_key[k])
        lines.append(f"{k!s:<24} {scale(mean, False)}")
    assert lines == [
        "config                   sec/op",
        "/bits:32 /size:100K      4.650m", "/bits:32 /size:500K      26.18m",
        "/bits:32 /size:1M        51.39m", "/bits:32 /size:5M        306.7m",
        "/bits:32 /size:10M       753.0m", "/bits:32 /size:50M       5.814",
        "/bits:64 /size:100K      5.081m", "/bits:64 /size:500K      26.43m",
        "/bits:64 /size:1M        55.60m", "/bits:64 /size:5M        366.6m",
        "/bits:64 /size:10M       821.2m", "/bits:64 /size:50M       6.390",
    ]  # fmt: skip
    assert non_singular_fields(residues) == []


# -- benchunit's tidy_test.go and scale_test.go -------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "tidied", "factor"),
    [("ns/op", "sec/op", 1e-9), ("x-ns/op", "x-sec/op", 1e-9), ("MB/s", "B/s", 1e6),
     ("x-MB/s", "x-B/s", 1e6), ("B/op", "B/op", 1), ("x-B/op", "x-B/op", 1),
     ("x-allocs/op", "x-allocs/op", 1), ("op/ns", "op/ns", 1), ("MB*MB/s", "B*B/s", 1e6 * 1e6),
     ("MB/MB", "B/MB", 1e6)],
)  # fmt: skip
def test_tidy(unit: str, tidied: str, factor: float) -> None:
    assert tidy(1, unit) == (factor, tidied)


_NEXT = math.nextafter
DECIMAL_SCALES = [
    (0, "0.000", "0.000"), (1, "1.000", "1.000"), (-1, "-1.000", "-1.000"),
    (9999500000000000, "9999.5T", "9999.5T"), (999950000000000, "1000.0T", "999.9T"),
    (99995000000000, "100.0T", "99.99T"), (9999500000000, "10.00T", "9.999T"),
    (999950000000, "1.000T", "999.9G"), (99995000000, "100.0G", "99.99G"),
    (9999500000, "10.00G", "9.999G"), (999950000, "1.000G", "999.9M"),
    (99995000, "100.0M", "99.99M"), (9999500, "10.00M", "9.999M"), (999950, "1.000M", "999.9k"),
    (99995, "100.0k", "99.99k"), (9999.5, "10.00k", "9.999k"), (999.95, "1.000k", "999.9"),
    (99.995, "100.0", "99.99"), (9.9995, "10.00", "9.999"), (0.99995, "1.000", "999.9m"),
    (0.099995, "100.0m", "99.99m"), (0.0099995, "10.00m", "9.999m"),
    (0.00099995, "1.000m", "999.9µ"), (0.000099995, "100.0µ", "99.99µ"),
    (0.0000099995, "10.00µ", "9.999µ"), (0.00000099995, "1.000µ", "999.9n"),
    (0.000000099995, "100.0n", "99.99n"), (0.0000000099995, "10.00n", "9.999n"),
    (0.00000000099995, "1.000n", "0.9999n"),
    (_NEXT(0.000000000099995, 1), "0.1000n", "0.09999n"),
    (0.0000000000099995, "0.01000n", "0.009999n"),
    (_NEXT(0.00000000000099995, 1), "0.001000n", "0.0009999n"),
    (0.000000000000099995, "0.0001000n", "0.00009999n"),
    (0.0000000000000099995, "0.00001000n", "0.000009999n"),
    (_NEXT(0.00000000000000099995, 1), "0.000001000n", "0.0000009999n"),
    (-99995000000000, "-100.0T", "-99.99T"), (-0.0000000099995, "-10.00n", "-9.999n"),
]  # fmt: skip
BINARY_SCALES = [
    (0, "0.000", "0.000"), (1, "1.000", "1.000"), (-1, "-1.000", "-1.000"),
    (0.99995 * (1 << 50), "1023.9Ti", "1023.9Ti"), (99.995 * (1 << 40), "100.0Ti", "99.99Ti"),
    (9.9995 * (1 << 40), "10.00Ti", "9.999Ti"), (0.99995 * (1 << 40), "1.000Ti", "1023.9Gi"),
    (99.995 * (1 << 30), "100.0Gi", "99.99Gi"), (9.9995 * (1 << 30), "10.00Gi", "9.999Gi"),
    (0.99995 * (1 << 30), "1.000Gi", "1023.9Mi"), (99.995 * (1 << 20), "100.0Mi", "99.99Mi"),
    (9.9995 * (1 << 20), "10.00Mi", "9.999Mi"), (0.99995 * (1 << 20), "1.000Mi", "1023.9Ki"),
    (99.995 * (1 << 10), "100.0Ki", "99.99Ki"), (9.9995 * (1 << 10), "10.00Ki", "9.999Ki"),
    (0.99995 * (1 << 10), "1.000Ki", "1023.9"), (99.995, "100.0", "99.99"),
    (9.9995, "10.00", "9.999"), (0.99995, "1.000", "0.9999"), (0.099995, "0.1000", "0.09999"),
    (0.0099995, "0.01000", "0.009999"), (0.00099995, "0.001000", "0.0009999"),
    (0.000099995, "0.0001000", "0.00009999"), (0.0000099995, "0.00001000", "0.000009999"),
    (0.00000099995, "0.000001000", "0.0000009999"),
    (0.00000009995, "0.0000001000", "0.0000000999"),
    (_NEXT(0.00000000995, 1), "0.0000000100", "0.0000000099"),
    (0.00000000095, "0.0000000010", "0.0000000009"),
    (0.00000000005, "0.0000000001", "0.0000000000"),
    (0.000000000009, "0.0000000000", "0.0000000000"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "binary", "want", "want_pred"),
    [(v, False, w, p) for v, w, p in DECIMAL_SCALES]
    + [(v, True, w, p) for v, w, p in BINARY_SCALES],
)
def test_scale(value: float, binary: bool, want: str, want_pred: str) -> None:
    # scale_test.go: the value, and the float just before it towards 0 (the crux of a scale).
    assert scale(value, binary) == want
    assert scale(_NEXT(value, 0), binary) == want_pred


def test_a_row_shares_the_scale_of_its_smallest_value() -> None:
    assert common_scale([1e-6, 1e-3], False).format(1e-3) == "1000.000µ"
    assert is_binary("B/s") and is_binary("text-bytes") and not is_binary("op/B")


# -- properties ------------------------------------------------------------------------------------

NAMES = st.sampled_from(["A", "A-4", "A/x=1", "A/x=2-4", "B/x=1/y=z", "B"])
CONFIGS = st.lists(
    st.tuples(st.sampled_from(["goos", "cpu", "note"]), st.sampled_from(["a", "b"])), max_size=3
)
RESULTS = st.builds(
    lambda name, config, units: BResult(
        name,
        tuple((k, v, True) for k, v in dict(config).items()),
        tuple(Value(1.0, u) for u in units),
    ),
    NAMES,
    CONFIGS,
    st.lists(st.sampled_from(["sec/op", "B/op", "allocs/op"]), min_size=1, max_size=3),
)
TERMS = st.sampled_from(
    ["goos:a", "/x:1", ".name:A", ".unit:B/op", "note:/b/", "cpu:(a OR b)", "*"]
)


@given(RESULTS, TERMS)
def test_a_filter_or_its_negation_keeps_every_value(result: BResult, term: str) -> None:
    assert all(Filter(f"{term} OR -{term}").matches(result))
    assert not any(Filter(f"{term} -{term}").matches(result))


@given(st.lists(RESULTS, min_size=1, max_size=8))
def test_fullname_groups_exactly_the_equal_names(results: list[BResult]) -> None:
    proj, _ = parse(".fullname")
    keys = [proj.project(x) for x in results]
    for a, ka in zip(results, keys, strict=True):
        for b, kb in zip(results, keys, strict=True):
            assert (ka == kb) == (a.name == b.name)
