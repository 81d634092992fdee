"""The value formats (``query_string``, ``url``, ``etld``, ``user_agent``) against oracles:
the web-platform-tests URL cases that Rust's ``url`` crate passes, ``urllib.parse`` on
generated URLs and query strings, the Public Suffix List's own test file and the Rust
``psl`` crate's cases, and the ``woothee`` / ``ua-parser`` libraries themselves on a
sample of user agents, combined by VRL's rules written out here."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp import RxpError, parse_line
from rxp._logparse._url import _bundled_list, build_list, public_suffix
from rxp._logparse._whatwg import UrlError
from rxp._logparse._whatwg import parse as parse_whatwg
from tests.helpers import run_rxp
from tests.logparse.helpers import META, fields

SETTINGS = settings(max_examples=150, deadline=None)
FIXTURES = Path(__file__).parent / "fixtures"


# --- url: the web-platform-tests cases ------------------------------------------------------

WPT = json.loads((FIXTURES / "wpt_urltestdata.json").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", WPT, ids=[repr(c["input"])[:60] for c in WPT])
def test_the_url_parser_passes_the_web_platform_tests(case: dict[str, str]) -> None:
    if case.get("failure"):
        with pytest.raises(UrlError):
            parse_whatwg(case["input"])
        return
    url = parse_whatwg(case["input"])
    got = {
        "protocol": url.scheme + ":",
        "username": url.username,
        "password": url.password,
        "hostname": url.host or "",
        "port": "" if url.port is None else str(url.port),
        "pathname": url.path,
        "search": "?" + url.query if url.query else "",
        "hash": "#" + url.fragment if url.fragment else "",
    }
    assert got == {k: case[k] for k in got}


def test_a_line_that_is_not_a_url_is_kept_with_the_reason() -> None:
    for line in ("not a url", "http://[::1", "https://exa mple.com/", "http://h:99999/"):
        record = parse_line(line, format="url")
        assert record["_error"].startswith("unable to parse url: "), record
        assert record["_raw"] == line


# --- url and query_string: urllib.parse renders, rxp reads back -----------------------------

label = st.builds(  # a letter first: a label like 0x1 would make the host an IPv4 address
    str.__add__,
    st.sampled_from(string.ascii_lowercase),
    st.text(string.ascii_lowercase + string.digits + "-", max_size=7),
)
hosts = st.lists(label, min_size=1, max_size=4).map(".".join)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
segments = texts.filter(lambda s: s not in (".", ".."))
pairs = st.lists(st.tuples(texts, texts), max_size=5)


@SETTINGS
@given(
    scheme=st.sampled_from(["http", "https", "ftp", "ws", "wss"]),
    user=texts,
    password=texts,
    host=hosts,
    port=st.none() | st.integers(0, 65535),
    path=st.lists(segments, max_size=4),
    query=pairs,
    fragment=st.none() | texts,
)
def test_a_url_urllib_renders_reads_back_to_its_parts(
    scheme: str,
    user: str,
    password: str,
    host: str,
    port: int | None,
    path: list[str],
    query: list[tuple[str, str]],
    fragment: str | None,
) -> None:
    userinfo = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
    netloc = (userinfo + "@" if userinfo else "") + host
    netloc += f":{port}" if port is not None else ""
    text = f"{scheme}://{netloc}/" + "/".join(quote(s, safe="") for s in path)
    text += "?" + urlencode(query) if query else ""
    text += "#" + quote(fragment, safe="") if fragment is not None else ""
    record = fields(parse_line(text, format="url"))
    split = urlsplit(text)
    default = {"http": 80, "https": 443, "ftp": 21, "ws": 80, "wss": 443}[scheme]
    assert record["scheme"] == split.scheme == scheme
    assert record["host"] == split.hostname == host
    assert record["port"] == (None if split.port == default else split.port)
    assert unquote(record["username"]) == unquote(split.username or "") == user
    assert unquote(record["password"]) == (password if user or password else "")
    assert [unquote(s) for s in record["path"].split("/")[1:]] == (path or [""])
    assert record["query"] == {k: v[-1] for k, v in parse_qs(split.query, True).items()}
    assert record["fragment"] == (None if fragment is None else split.fragment)
    assert unquote(record["fragment"] or "") == (fragment or "")
    known = fields(parse_line(text, format="url", options={"default_known_ports": True}))
    assert known["port"] == (default if port is None else port)


@SETTINGS
@given(query=pairs, mark=st.booleans())
def test_a_query_string_urlencode_renders_reads_back_to_its_pairs(
    query: list[tuple[str, str]], mark: bool
) -> None:
    text = ("?" if mark else "") + urlencode(query)
    record = fields(parse_line(text, format="query_string"))
    want: dict[str, Any] = {}
    for key, values in parse_qs(text.removeprefix("?"), keep_blank_values=True).items():
        want["_" + key if key in META else key] = values[0] if len(values) == 1 else values
    assert record == want


def test_a_query_string_is_decoded_as_form_urlencoded_is() -> None:
    assert fields(parse_line("a+b=c+d&&e=%zz&f=%E9&_line=1", format="query_string")) == {
        "a b": "c d",
        "e": "%zz",
        "f": "\ufffd",
        "__line": "1",
    }


# --- etld: the Public Suffix List's tests and the psl crate's ------------------------------

PSL_TESTS = (
    Path(__import__("publicsuffixlist").__file__).parent.joinpath("test_psl.txt").read_text()
)
CHECKS = re.findall(r"^checkPublicSuffix\((\S+), (\S+)\);", PSL_TESTS, re.M)


@pytest.mark.parametrize(("domain", "registrable"), CHECKS)
def test_etld_gives_the_registrable_domains_of_the_lists_own_tests(
    domain: str, registrable: str
) -> None:
    if domain == "null" or domain.startswith("'.") or ".." in domain:
        return  # the psl crate's test runner skips these too: no domain to look up
    name = domain.strip("'").lower()
    record = fields(parse_line(name, format="etld", options={"plus_parts": 1}))
    suffix_labels = record["etld"].count(".") + 1
    got = record["etld_plus"] if name.count(".") + 1 > suffix_labels else None
    assert got == (None if registrable == "null" else registrable.strip("'"))


@pytest.mark.parametrize(
    ("name", "suffix", "known"),
    [  # the psl crate's own cases (addr-rs/psl tests/list.rs)
        ("gp-id-ter-acc-1.to.gp-kl-cas-11-ses001-ses-1.wdsl.5m.za", "za", False),
        ("yokohama.jp", "jp", True),
        ("kobe.jp", "jp", True),
        ("foo.bar.platformsh.site", "bar.platformsh.site", True),
        ("bar.platformsh.site", "bar.platformsh.site", True),
        ("platform.sh", "sh", True),
        ("sh", "sh", True),
        (".", ".", False),
        ("example.com.", "com.", True),
        ("example.gafregsrse", "gafregsrse", False),
        ("www.食狮.中国", "中国", True),
        ("www.xn--85x722f.xn--55qx5d.cn", "xn--55qx5d.cn", True),
        ("a.b.example.uk.com", "uk.com", True),
        ("_tcp.example.com.", "com.", True),
    ],
)
def test_etld_agrees_with_the_psl_crate(name: str, suffix: str, known: bool) -> None:
    assert public_suffix(_bundled_list(), name) == (suffix, known)


def test_a_custom_list_is_read_as_the_publicsuffix_crate_reads_it() -> None:
    trie = build_list("ignored.before.section\n// ===BEGIN ICANN DOMAINS===\ncom.uk\n*.ck\n!www.ck")
    assert public_suffix(trie, "a.com.uk") == ("com.uk", True)
    assert public_suffix(trie, "uk") == ("uk", False)
    assert public_suffix(trie, "a.b.ck") == ("b.ck", True)
    assert public_suffix(trie, "a.www.ck") == ("ck", True)
    assert public_suffix(trie, "section") == ("section", False)
    for bad in ("{}", "// BEGIN ICANN DOMAINS\n!com", "// BEGIN ICANN DOMAINS\na..b"):
        with pytest.raises(ValueError):
            build_list(bad)


def test_a_psl_file_that_cannot_be_read_is_a_bad_request(tmp_path: Path) -> None:
    with pytest.raises(RxpError, match="unable to read psl file"):
        parse_line("vector.dev", format="etld", options={"psl": str(tmp_path / "nope.dat")})
    not_a_list = tmp_path / "groks.json"
    not_a_list.write_text('{"patterns": ["%{WORD:w}"]}\n')
    proc = run_rxp(
        "parse", "--format", "etld", "--option", f"psl={not_a_list}", stdin=b"vector.dev\n"
    )
    assert proc.returncode == 2
    assert proc.stderr.decode().startswith("rxp: error: format etld: option psl: unable to parse")


def test_an_empty_name_has_no_etld() -> None:
    record = parse_line("", format="etld")
    assert record["_error"].startswith("unable to determine eTLD for")


# --- user_agent: woothee and ua-parser themselves, combined by VRL's rules -------------------

SAMPLE = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.6045.163 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7; rv:120.0) Gecko/20100101 Firefox/120.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl/8.4.0",
    "python-requests/2.31.0",
    "Wget/1.21.4",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/118.0 Safari/537.36 Edg/118.0.2088.46",
    "Mozilla/5.0 (PlayStation 4 3.11) AppleWebKit/537.73 (KHTML, like Gecko)",
    "Opera/9.80 (Windows NT 6.1; U; en) Presto/2.10.289 Version/12.01",
    "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)",
    "Dalvik/2.1.0 (Linux; U; Android 9; SM-G960F Build/PPR1.180610.011)",
    "",
    "-",
    "w3m/0.5.3",
]


def _or(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return {k: a.get(k) if a.get(k) is not None else b.get(k) for k in {**a, **b}}


def _peers(line: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    import ua_parser
    import woothee

    w = {k: (None if v in ("", "UNKNOWN") else v) for k, v in woothee.parse(line).items()}
    fast = [
        {"family": w["name"], "version": w["version"]},
        {"family": w["os"], "version": w["os_version"]},
        {"category": w["category"]},
    ]
    basic = ua_parser.Parser(ua_parser.BasicResolver(ua_parser.load_builtins()))
    found = basic.parse(line)
    uap: list[dict[str, Any]] = [{}, {}, {}]
    if ua := found.user_agent:
        uap[0] = {"family": ua.family, "major": ua.major, "minor": ua.minor, "patch": ua.patch}
    if os := found.os:
        uap[1] = {"family": os.family, "major": os.major, "minor": os.minor}
        uap[1].update(patch=os.patch, patch_minor=os.patch_minor)
    if dev := found.device:
        uap[2] = {"family": dev.family, "brand": dev.brand, "model": dev.model}
    return fast, uap


@pytest.mark.parametrize("line", SAMPLE)
def test_user_agent_modes_combine_woothee_and_uap_as_vrl_does(line: str) -> None:
    fast, uap = _peers(line)
    names = ("browser", "os", "device")
    keys = (
        ("family", "version", "major", "minor", "patch"),
        ("family", "version", "major", "minor", "patch", "patch_minor"),
        ("category", "family", "brand", "model"),
    )
    got = fields(parse_line(line, format="user_agent"))
    assert got == dict(zip(names, fast, strict=True))
    reliable = fast
    if fast[0]["family"] is None or fast[1]["family"] is None:
        reliable = [_or(u, f) for u, f in zip(uap, fast, strict=True)]
    got = fields(parse_line(line, format="user_agent", options={"mode": "reliable"}))
    partial = [{k: part.get(k) for k in f} for part, f in zip(reliable, fast, strict=True)]
    assert got == dict(zip(names, partial, strict=True))
    both = [_or(u, f) for u, f in zip(uap, fast, strict=True)]
    got = fields(parse_line(line, format="user_agent", options={"mode": "enriched"}))
    full = [{k: part.get(k) for k in ks} for part, ks in zip(both, keys, strict=True)]
    assert got == dict(zip(names, full, strict=True))


def test_an_unknown_mode_is_a_bad_request() -> None:
    proc = run_rxp("parse", "--format", "user_agent", "--option", "mode=slow", stdin=b"x\n")
    assert proc.returncode == 2
    assert "fast, reliable, enriched" in proc.stderr.decode()
