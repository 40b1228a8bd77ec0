"""Hypothesis: hostile strings in every string field of a report, rendered as the second stage renders a
fork's report, and every output checked as GitHub would read it.

The fields are found generically: realistic reports (the samples, which reach every renderer's special
cases through their `data`) are walked side by side with the report JSON schema, and every string the
schema leaves free gets a hostile string (up to its maxLength); a string the schema constrains (enum,
pattern) gets a value of its own pattern. The report then goes the way `dataops-ci comment` takes it:
written to a file, `load_untrusted`, `trusted_report` with the trusted `workflow_run`, `markdown.render`.
The comment is put through cmark-gfm: no tag, link, image or mention we did not write, exactly one marker,
balanced `<details>`, under GitHub's limit. The same report goes through every other renderer too.
Shrinking is off (a failing example is printed as drawn) so the test stays bounded: 40 examples, ~20 s.
"""

from __future__ import annotations

import json
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dataops_ci.commands.comment import trusted_report
from dataops_ci.config import Config
from dataops_ci.github.env import GitHubEnv
from dataops_ci.github.report_schema import json_schema, load_untrusted
from dataops_ci.render import annotations, github, junit, sarif
from dataops_ci.render.markdown import MARKER_PREFIX, marker, render, render_step_summary
from dataops_ci.report import Report
from tests.github.fake_server import MAX_BODY, github_length
from tests.render import sample_reports as samples
from tests.render.cmark import ALLOWED_TAGS, REFERENCE, needs_cmark, to_html

pytestmark = needs_cmark

KEY = "data-ci:checks"
HEAD = "c0ffee" + "0" * 34
INVISIBLE = "\u200b\ufeff\u2060\u00ad\u061c\u202e\u2066\u2069\u200e"
PIECES = (
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "</details>", "<details><summary>x",
    "</summary>", "<a href=https://evil.example>x</a>", "<!--", "-->", "<!-- x -->",
    f"<!-- dataops-ci:summary key={KEY} -->", "<!-- dataops-ci:summary key=nightly:check -->",
    f"<!-- dataops-ci:head-sha={'d' * 40} -->", "@acme/secret-team", "@octocat", " @x", "x@evil.example",
    "https://evil.example/login", "http://evil.example", "HTTPS://EVIL.EXAMPLE", "www.evil.example",
    "WWW.evil.example/p", "ftp://evil.example", "mailto:x@evil.example", "[click](https://evil.example)",
    "![i](https://evil.example/i.png)", "[r]: https://evil.example", "<https://evil.example>",
    "`", "``", "```", "````js", "~~~", "\n```\n", "\n", "\r\n", "\n\n", "|", "\\|", "\\", "*", "_", "~~",
    "#123", "GH-7", "acme/data#9", ":+1:", "&amp;", "&#64;", "&lt;img&gt;", "# h", "> q", "---", "    code",
    "- [ ] task", "1. item", "<br>", "<b>", "</td>", "</table>", "<hr>",
    "graph TD; A-->B", 'click A href "javascript:alert(1)"', "%%{init: {'theme':'dark'}}%%",
    "A[\"<b>x</b>\"]",
    "::error::x", "%0A::add-mask::y", "::stop-commands::z", "]]>", "<![CDATA[", "\x00", "\x1b[31m", "\x7f",
    *INVISIBLE, "日本", "🌈", "é",
)  # fmt: skip
ATOM = st.sampled_from(PIECES) | st.text(alphabet="<>/@:.-_`|[]()!#&;= \nwxyz", max_size=8)
HOSTILE = st.lists(ATOM, min_size=1, max_size=6).map("".join)
TRUSTED_RUN = {"html_url": samples.RUN_URL, "head_sha": HEAD}
OUR_ATTRIBUTES = {("a", "href"), ("th", "align"), ("td", "align"), ("pre", "lang")}
OUR_LINKS = {(samples.RUN_URL, "workflow run"), (samples.RUN_URL, "the workflow run")}
HANDLE = re.compile(r"(?<![\w`])@[A-Za-z0-9][A-Za-z0-9/_.-]*")
TEAM_HANDLES = {"@acme/marketing", "@acme/data-platform", "@alice-gh"}
BASES = {
    name: getattr(samples, name)().to_dict() for name in ("failing", "hostile", "passing", "many_findings")
}
SCHEMA = json_schema()
COMMAND = re.compile(r"::(error|warning|notice) ([a-z]+=[^,:\n]*,)*title=[^,:\n]*::[^\n]*")


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def branch_for(value: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """The alternative of an anyOf that `value` is an instance of."""
    schema = resolve(schema)
    kinds = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array", dict: "object"}
    kind = kinds.get(type(value), "null")
    for option in schema.get("anyOf", [schema]):
        option = resolve(option)
        if option.get("type") == kind or (kind == "integer" and option.get("type") == "number"):
            return option
    return schema


def string_fields(value: Any, schema: dict[str, Any], path: tuple[Any, ...] = ()) -> Iterator[tuple]:
    """(path, schema) of every string in `value`, its schema found by walking the report schema."""
    schema = branch_for(value, schema)
    if isinstance(value, str):
        yield path, schema
    elif isinstance(value, dict):
        for key, item in value.items():
            props = schema.get("properties", {})
            sub = props.get(key, schema.get("additionalProperties", {}))
            yield from string_fields(item, sub if isinstance(sub, dict) else {}, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from string_fields(item, schema.get("items", {}), (*path, i))


def open_objects(value: Any, schema: dict[str, Any], path: tuple[Any, ...] = ()) -> Iterator[tuple]:
    """Paths of the free-form objects (`data`, `context`): there a fork also chooses the keys."""
    schema = branch_for(value, schema)
    if isinstance(value, dict):
        if "properties" not in schema and isinstance(schema.get("additionalProperties"), dict):
            yield path
        for key, item in value.items():
            sub = schema.get("properties", {}).get(key, schema.get("additionalProperties", {}))
            yield from open_objects(item, sub if isinstance(sub, dict) else {}, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from open_objects(item, schema.get("items", {}), (*path, i))


def value_for(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    if "enum" in schema or "const" in schema:
        return st.sampled_from(schema.get("enum", [schema.get("const")]))
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True)
    return HOSTILE.map(lambda s: s[: schema.get("maxLength", 100_000)])


def put(document: Any, path: tuple[Any, ...], value: str) -> None:
    for part in path[:-1]:
        document = document[part]
    document[path[-1]] = value


@st.composite
def hostile_reports(draw: st.DrawFn) -> dict[str, Any]:
    name = draw(st.sampled_from(sorted(BASES)))
    document = json.loads(json.dumps(BASES[name]))
    if name == "many_findings":
        document["checks"][0]["findings"] = document["checks"][0]["findings"][:12]
    fields = list(string_fields(document, SCHEMA))
    # Every free field is hostile in some examples; each example makes a random half of them hostile.
    for path, schema in fields:
        if "enum" in schema or "const" in schema or "pattern" in schema or draw(st.booleans()):
            put(document, path, draw(value_for(schema)))
    for path in open_objects(document, SCHEMA):
        if path and path[-1] != "metrics" and draw(st.integers(0, 3)) == 0:
            target = document
            for part in path:
                target = target[part]
            target[draw(HOSTILE)[:200]] = draw(HOSTILE)
    return document


def second_stage(document: dict[str, Any]) -> Report:
    """What `dataops-ci comment` makes of the fork's report: the same functions, in the same order."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        report = load_untrusted(path)
    config = Config.model_validate({"teams": dict(samples.TEAMS)})
    return trusted_report(report, GitHubEnv.from_environ({}, "GITHUB_TOKEN"), TRUSTED_RUN, config)


def assert_safe_comment(body: str, limit: int) -> None:
    assert body.startswith(marker(KEY))
    assert body.count(MARKER_PREFIX) == 1 and body.count("<!-- dataops-ci:head-sha=") == 1
    assert github_length(body) <= limit
    assert not set(INVISIBLE) & set(body)
    html = to_html(body)
    tags = [tag for tag, _ in html.tags]
    assert set(tags) <= ALLOWED_TAGS, set(tags) - ALLOWED_TAGS
    attributes = {(tag, name) for tag, attrs in html.tags for name in attrs}
    assert attributes <= OUR_ATTRIBUTES, attributes - OUR_ATTRIBUTES  # no src=, onerror=, ...
    assert set(html.links) <= OUR_LINKS, html.links
    assert not html.unbalanced and not html.stack, (html.unbalanced, html.stack)
    assert tags.count("details") == tags.count("summary")
    assert [c for c in html.comments if "dataops-ci" in c] == [
        f" dataops-ci:summary key={KEY} ",
        f" dataops-ci:head-sha={HEAD} ",
    ]
    prose = "".join(html.prose)
    assert set(HANDLE.findall(prose)) <= TEAM_HANDLES, HANDLE.findall(prose)
    assert not REFERENCE.search(prose), REFERENCE.findall(prose)
    assert all(len(set(rows)) == 1 for rows in html.tables)  # no cell split off by a stray |


def assert_safe_elsewhere(report: Report) -> None:
    """Annotations (alone and in `--format github`), SARIF, JUnit, text and the job summary."""
    commands = annotations.render(report).splitlines()
    assert len(commands) == len(annotations.select(report))  # one line each: nothing broke out
    assert all(COMMAND.match(line) for line in commands), commands
    assert not set(INVISIBLE + "\r") & set(annotations.render(report))
    console = github.render(report).splitlines()
    assert [line for line in console if line.startswith("::")] == commands  # text adds no command
    assert not set(INVISIBLE + "\x1b\r") & set("".join(console))
    json.loads(sarif.render(report))
    ET.fromstring(junit.render(report))
    html = to_html(render_step_summary(report, marker_key=KEY, run_url=samples.RUN_URL))
    assert {t for t, _ in html.tags} <= ALLOWED_TAGS and set(html.links) <= OUR_LINKS, html.links
    assert not html.unbalanced and not html.stack


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],
)
@given(document=hostile_reports(), limit=st.sampled_from([MAX_BODY, 6_000, 2_500]))
def test_hostile_strings_in_every_field_stay_inert_in_every_output(
    document: dict[str, Any], limit: int
) -> None:
    report = second_stage(document)
    body = render(report, marker_key=KEY, run_url=samples.RUN_URL, max_chars=limit, max_bytes=limit)
    assert_safe_comment(body, limit)
    assert_safe_elsewhere(report)


def test_the_walk_reaches_every_string_field_of_the_schema() -> None:
    """Not green on nothing: the samples hold a string at each string-typed field of the report model."""
    reached = {
        tuple(p for p in path if isinstance(p, str))
        for base in BASES.values()
        for path, _ in string_fields(base, SCHEMA)
    }
    top = [("base",), ("head",), ("status",), ("tool", "version"), ("checks", "name"), ("checks", "summary")]
    finding = [("checks", "findings", name) for name in ("message", "file", "path", "hint", "rule")]
    for wanted in top + finding:
        assert wanted in reached, wanted
    assert len(reached) >= 35, sorted(reached)


@pytest.mark.parametrize("piece", PIECES)
def test_each_hostile_piece_everywhere_at_once(piece: str) -> None:
    document = json.loads(json.dumps(BASES["hostile"]))
    for path, schema in string_fields(document, SCHEMA):
        if not ("enum" in schema or "const" in schema or "pattern" in schema):
            put(document, path, (piece * 3)[: schema.get("maxLength", 100_000)])
    report = second_stage(document)
    assert_safe_comment(render(report, marker_key=KEY, run_url=samples.RUN_URL), MAX_BODY)
    assert_safe_elsewhere(report)
