"""The intent summary (``rxp._explain._intent.summary``): one short sentence that names every
idiom found and the shape of the rest. Checked on the seed example of issue 11, on 20 patterns
of real log parsers, and on generated patterns (never empty, one sentence, every idiom named)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings

from rxp._analysis._idioms import idioms
from rxp._explain._intent import summary
from rxp._syntax._ast import Capture, walk
from rxp._syntax._parse import parse
from tests.syntax.strategies import flagged_patterns, patterns

# A word each summary must contain for an idiom it names (as a noun, a plural, or in "an
# IPv4 or IPv6 address").
KEYWORDS = {
    "phone-like": "phone-number-like",
    "ipv4": "IPv4",
    "ipv6": "IPv6",
    "mac-address": "MAC",
    "uuid": "UUID",
    "email": "email",
    "url": "URL",
    "hostname": "hostname",
    "iso-date": "ISO 8601 date",
    "time-of-day": "time",
    "iso-datetime": "ISO 8601 date-time",
    "syslog-timestamp": "syslog timestamp",
    "clf-timestamp": "log timestamp",
    "integer": "integer",
    "decimal": "decimal",
    "hex": "hex",
    "hex-color": "hex color",
    "quoted-string": "quoted string",
    "key-value": "key=value",
    "trailing-whitespace": "trailing whitespace",
    "log-level": "log level",
    "semver": "semantic version",
    "http-method": "HTTP method",
    "unix-path": "Unix path",
}

# Twenty patterns of real log parsers (sshd, nginx, apache, syslog), as their projects wrote
# them; Ruby's (?<name>...) is Python's (?P<name>...), Ruby's \z is Python's \Z.
LOG_PARSERS = {
    # fluentd, lib/fluent/plugin/parser_nginx.rb
    "fluentd nginx": r"""^(?P<remote>[^ ]*) (?P<host>[^ ]*) (?P<user>[^ ]*) \[(?P<time>[^\]]*)\] "(?P<method>\S+)(?: +(?P<path>[^\"]*?)(?: +\S*)?)?" (?P<code>[^ ]*) (?P<size>[^ ]*)(?: "(?P<referer>[^\"]*)" "(?P<agent>[^\"]*)"(?:\s+(?P<http_x_forwarded_for>[^ ]+))?)?$""",  # noqa: E501
    # fluentd, lib/fluent/plugin/parser_apache2.rb
    "fluentd apache2": r"""^(?P<host>[^ ]*) [^ ]* (?P<user>[^ ]*) \[(?P<time>[^\]]*)\] "(?P<method>\S+)(?: +(?P<path>(?:[^\"]|\\.)*?)(?: +\S*)?)?" (?P<code>[^ ]*) (?P<size>[^ ]*)(?: "(?P<referer>(?:[^\"]|\\.)*)" "(?P<agent>(?:[^\"]|\\.)*)")?$""",  # noqa: E501
    # fluentd, lib/fluent/plugin/parser_apache_error.rb
    "fluentd apache_error": r"""^\[[^ ]* (?P<time>[^\]]*)\] \[(?P<level>[^\]]*)\](?: \[pid (?P<pid>[^\]]*)\])? \[client (?P<client>[^\]]*)\] (?P<message>.*)$""",  # noqa: E501
    # fluentd, lib/fluent/plugin/parser_syslog.rb (RFC 3164 with priority)
    "fluentd syslog rfc3164": r"""^\<(?P<pri>[0-9]+)\>(?P<time>[^ ]* {1,2}[^ ]* [^ ]*) (?P<host>[^ ]*) (?P<ident>[^ :\[]*)(?:\[(?P<pid>[0-9]+)\])?(?:[^\:]*\:)? *(?P<message>.*)$""",  # noqa: E501
    # fluentd, lib/fluent/plugin/parser_syslog.rb (RFC 5424)
    "fluentd syslog rfc5424": r"""\A\<(?P<pri>[0-9]{1,3})\>[1-9]\d{0,2} (?P<time>[^ ]+) (?P<host>[!-~]{1,255}) (?P<ident>[!-~]{1,48}) (?P<pid>[!-~]{1,128}) (?P<msgid>[!-~]{1,32}) (?P<extradata>(?:\-|(?:\[.*?(?<!\\)\])+))(?: (?P<message>.+))?\Z""",  # noqa: E501
    # fluent-bit, conf/parsers.conf (syslog-rfc3164-local)
    "fluent-bit syslog-rfc3164-local": r"""^\<(?P<pri>[0-9]+)\>(?P<time>[^ ]* {1,2}[^ ]* [^ ]*) (?P<ident>[a-zA-Z0-9_\/\.\-]*)(?:\[(?P<pid>[0-9]+)\])?(?:[^\:]*\:)? *(?P<message>.*)$""",  # noqa: E501
    # Vector (VRL), src/stdlib/log_util.rs, REGEX_NGINX_COMBINED_LOG
    "vector nginx combined": r"""(?x)
        ^\s*                                    # Start with any number of whitespaces.
        (-|(?P<client>\S+))\s+                  # Match `-` or any non space character
        \-\s+                                   # Always a dash
        (-|(?P<user>\S+))\s+                    # Match `-` or any non space character
        \[(?P<timestamp>.+)\]\s+                # Match date between brackets
        "(?P<request>[^"]*)"\s+                 # Match any non double-quote character
        (?P<status>\d+)\s+                      # Match numbers
        (?P<size>\d+)\s+                        # Match numbers
        "(?P<referer>[^"]*)"\s+                 # Match any non double-quote character
        "(?P<agent>[^"]*)"                      # Match any non double-quote character
        (\s+"(-|(?P<compression>[^"]+))")?      # Match `-` or any non double-quote character
        \s*$                                    # Match any number of whitespaces (to be discarded).
    """,
    # Vector (VRL), src/stdlib/log_util.rs, REGEX_NGINX_ERROR_LOG
    "vector nginx error": r"""(?x)
        ^\s*
        (?P<timestamp>.+)\s+
        \[(?P<severity>\w+)\]\s+
        (?P<pid>\d+)\#
        (?P<tid>\d+):
        (\s+\*(?P<cid>\d+))?
        \s+(?P<message>.+?)
        (,\s+excess:\s+(?P<excess>[^\s,]+),?\sby\szone\s"(?P<zone>[^,]+)")?
        (,\s+client:\s+(?P<client>[^,]+))?
        (,\s+server:\s+(?P<server>[^,]*))?
        (,\s+request:\s+"(?P<request>[^"]*)")?
        (,\s+upstream:\s+"(?P<upstream>[^"]*)")?
        (,\s+host:\s+"(?P<host>[^"]*)")?
        (,\s+refer?rer:\s+"(?P<referer>[^"]*)")?
        \s*$
    """,
    # Vector (VRL), src/stdlib/log_util.rs, REGEX_INGRESS_NGINX_UPSTREAMINFO_LOG
    "vector ingress-nginx upstreaminfo": r"""(?x)
        ^\s*
        (-|(?P<remote_addr>\S+))\s+
        \-\s+
        (-|(?P<remote_user>\S+))\s+
        \[(?P<timestamp>[^\]]+)\]\s+
        "(?P<request>[^"]*)"\s+
        (?P<status>\d+)\s+
        (?P<body_bytes_size>\d+)\s+
        "(-|(?P<http_referer>[^"]*))"\s+
        "(-|(?P<http_user_agent>[^"]+))"\s+
        (?P<request_length>\d+)\s+
        (?P<request_time>\d+\.\d+)\s+
        \[(?P<proxy_upstream_name>[^\]]+)\]\s+
        \[(?P<proxy_alternative_upstream_name>[^\]]+)?\]\s+
        (?P<upstream_addr>\S+)\s+
        (-|(?P<upstream_response_length>\d+))\s+
        (-|(?P<upstream_response_time>\d+\.\d+))\s+
        (-|(?P<upstream_status>\d+))\s+
        (?P<req_id>\S+)
        \s*$
    """,
    # Vector (VRL), src/stdlib/log_util.rs, REGEX_APACHE_ERROR_LOG (threaded MPM format)
    "vector apache error": r"""(?x)
        ^\s*
        \[(?P<timestamp>[^\]]+)\]\s+
        \[(-|(?P<module>[^:]+)):(?P<severity>[^\]]+)\]\s+
        \[pid\s+(?P<pid>\d+)(:tid\s+(?P<thread>\d+))?\]\s+
        (?P<message1>[^\[]*?:\s+([^\[]*?:\s+)?)?
        (\[client\s+(?P<client>.+?):(?P<port>\d+)\]\s+)?
        (?P<message2>.*)
        (,\ referer\ .*)?
        \s*$
    """,
    # logstash-patterns-core: %{SYSLOGTIMESTAMP:timestamp} %{IPORHOST:host} %{DATA:program}
    # (?:\[%{POSINT:pid}\])?: %{GREEDYDATA:message}, expanded
    "grok syslog line": (
        r"(?P<timestamp>\b(?:[Jj]an(?:uary|uar)?|[Ff]eb(?:ruary|ruar)?|[Mm]ar(?:ch|z)?|"
        r"[Aa]pr(?:il)?|[Mm]a(?:y|i)?|[Jj]un(?:e|i)?|[Jj]ul(?:y|i)?|[Aa]ug(?:ust)?|"
        r"[Ss]ep(?:tember)?|[Oo](?:c|k)?t(?:ober)?|[Nn]ov(?:ember)?|[Dd]e(?:c|z)(?:ember)?)\b"
        r" +(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9]) (?!<[0-9])(?:2[0123]|[01]?[0-9])"
        r":(?:[0-5][0-9])(?::(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?))(?![0-9])) "
        r"(?P<host>(?:(?<![0-9])(?:(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]"
        r"{1,2}|2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.](?:[0-1]?"
        r"[0-9]{1,2}|2[0-4][0-9]|25[0-5]))(?![0-9]))|(?:\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})"
        r"(?:\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*(\.?|\b))) (?P<program>.*?)"
        r"(?:\[(?P<pid>\b(?:[1-9][0-9]*)\b)\])?: (?P<message>.*)"
    ),
    # DenyHosts, DenyHosts/regex.py, FAILED_ENTRY_REGEX
    "denyhosts failed entry": r"""Failed (?P<method>\S*) for (?P<invalid>invalid user |illegal user )?(?P<user>.*) from (::ffff:)?(?P<host>\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})( port \d+)?( ssh2)?$""",  # noqa: E501
    # fail2ban, config/filter.d/sshd.conf, with <HOST> as fail2ban expands it
    "fail2ban sshd": r"""^sshd\[[0-9]*\]:.*Failed (?:password|publickey) for .* from (?:::f{4,6}:)?(?P<host>[\w\-.^_]+)(?: port \d*)?(?: ssh\d*)?$""",  # noqa: E501
    # an SSH brute-force watcher's rules.py (named groups username and ip)
    "sshd failed password": r"""Failed password for (?P<username>\S+) from (?P<ip>[0-9a-fA-F:.]+)""",  # noqa: E501
    # ssh_metrics, regexes.py, MAIN_REGEX
    "sshd syslog prefix": r"""(?P<time>0?[0-23]+:0?[0-59]+:0?[0-59]+)\s(?P<hostname>[^\s]*)\s+sshd\[(\d+)\]:\s*(?P<message>.*)""",  # noqa: E501
    # a failed-login finder (re.findall over auth.log)
    "sshd failed logins": r"""(\d{2}:\d{2}:\d{2}).*?Failed password.*?from\s+((?:\d{1,3}\.){3}\d{1,3})""",  # noqa: E501
    # an ELK stack write-up, nginx_parse.md
    "elk nginx access": r"""(?P<ip>\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})?(?P<ip2>, \d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})?-? - ?\S* \[(?P<timestamp>\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} (\+|\-)\d{4})\]\s+\"(?P<method>\S{3,10}) (?P<path>\S+) HTTP\/1\.\d" (?P<response_status>\d{3}) (?P<bytes>\d+) "(?P<referer>(\-)|(.+))?" "(?P<useragent>.+)""",  # noqa: E501
    # OpenTelemetry collector filelog receiver, an apache access regex_parser
    "otel apache access": r"""(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) - - \[(?P<datetime>[^\]]+)] "(?P<method>\S+) (?P<path>\S+) (?P<protocol>\S+)" (?P<status>\d{3}) (?P<size>\d+) "(?P<referrer>[^"]*)" "(?P<user_agent>[^"]*)""",  # noqa: E501
    # a log watcher's regexes file, nginx-error-log
    "nginx error log": r"""(?P<timestamp>[(\d\/ \:]+) \[(?P<severity>[a-z]+)\] (\d+)\#(\d+): \*?(\d+)? ?(?P<description>.*)""",  # noqa: E501
    # mtail, examples/apache_combined.mtail (its pieces joined)
    "mtail apache combined": r"""^(?P<hostname>[0-9A-Za-z\.-]+) (?P<remote_logname>[0-9A-Za-z-]+) (?P<remote_username>[0-9A-Za-z-]+) \[(?P<timestamp>\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} (\+|-)\d{4})\] "(?P<request_method>[A-Z]+) (?P<URI>\S+) (?P<http_version>HTTP\/[0-9\.]+)" (?P<status>\d{3}) ((?P<response_size>\d+)|-) "[^"]*" "[^"]*"$""",  # noqa: E501
}


def _outside_code(text: str) -> str:
    return re.sub(r"(`+).*?\1", "", text)


def _one_sentence(text: str) -> bool:
    plain = _outside_code(text).replace("e.g. ", "")
    return bool(text.strip()) and "\n" not in text and not re.search(r"[.!?](\s|$)", plain)


def _check(pattern: str, flavor: str = "re", flags: str = "") -> str:
    p = parse(pattern, flavor=flavor, flags=flags)  # type: ignore[arg-type]
    found = idioms(p)
    said = summary(p, found)
    assert _one_sentence(said), said
    for f in found:
        assert KEYWORDS[f.name] in said, (f.name, said)
    return said


def test_the_seed_example_reads_as_the_issue_asks() -> None:
    p = parse(r"\b\d{3}-\d{4}\b")
    assert summary(p, idioms(p), "555-1234") == (
        "a phone-number-like `DDD-DDDD` (3 digits, a hyphen, 4 digits) between word "
        "boundaries, e.g. `555-1234`"
    )
    assert summary(p, idioms(p)).endswith("between word boundaries")


@pytest.mark.parametrize("name", sorted(LOG_PARSERS))
def test_log_parsers_read_in_one_sentence_naming_their_idioms_and_fields(name: str) -> None:
    pattern = LOG_PARSERS[name]
    said = _check(pattern)
    assert len(said) < 400, said
    p = parse(pattern)
    names = [n.name for n in walk(p) if isinstance(n, Capture) and n.name is not None]
    for field in names[:5]:
        assert f"`{field}`" in said, (field, said)
    assert "\\" not in _outside_code(said)  # words, not regex tokens


def test_anchors_frame_the_sentence() -> None:
    assert _check(r"^\d+$").startswith("the whole text that is an integer")
    assert _check(r"(?m)^\d+$").startswith("a whole line that is an integer")
    assert _check(r"^\d+").endswith("at the start of the text")
    assert _check(r"\d+$").endswith("at the end of the text")
    assert _check(r"^$") == "an empty text"


def test_an_alternation_of_idioms_reads_as_one_noun() -> None:
    said = _check(r"^(?:\d+\.\d+\.\d+\.\d+|[0-9a-f:]+)$")
    assert said == "the whole text that is an IPv4 or IPv6 address"


def test_named_groups_are_mentioned() -> None:
    said = _check(r"^(?P<user>[\w.]+)@(?P<host>[\w-]+(?:\.[\w-]+)+)$")
    assert said.endswith("capturing `user` and `host`")


def test_without_idioms_the_shape_is_described_in_words() -> None:
    said = _check(r"[A-Za-z]+ = [^ ]+ ")
    assert said == "a word of letters, `=`, anything up to a space, then a space"
    assert _check(r"[a-z]+ - \d{3}") == (
        "text shaped like `a… - DDD` (a word of lowercase letters, a hyphen, 3 digits)"
    )
    shaped = _check(r"\d{2}/\d{2}/\d{4}")
    assert "`DD/DD/DDDD`" in shaped and "2 digits, a slash" in shaped
    assert "\\" not in _outside_code(_check(r"[A-Z]+ \(\w+\) .*"))


def test_an_example_is_quoted_at_the_end_and_escaped_when_invisible() -> None:
    p = parse(r"a\nb")
    assert summary(p, idioms(p), "a\nb").endswith(", e.g. `a\\nb`")


@settings(max_examples=150, deadline=None)
@given(patterns())
def test_any_pattern_gets_one_sentence_naming_every_idiom(pattern: str) -> None:
    _check(pattern)


@settings(max_examples=60, deadline=None)
@given(flagged_patterns("regex"))
def test_the_regex_flavour_too(case: tuple[str, str]) -> None:
    pattern, flags = case
    _check(pattern, flavor="regex", flags=flags)
