"""Escaping of untrusted text for GitHub-flavoured Markdown.

Everything in a Report may come from the pull request (values from data, file names, messages from tools,
even the whole report JSON in the two-stage workflow), so every string a renderer did not write itself goes
through one of these functions. What they prevent:

- raw HTML (`<script>`, `<img onerror=...>`, a copy of our hidden marker comment): `<`, `>`, `&` become
  entities, and in code (where entities are not decoded) `<!--` is broken with a zero-width joiner;
- `@mentions`, e-mail autolinks and `#123` / `GH-123` references, which GitHub links (and notifies) in text
  nodes: a zero-width joiner after every `@` / `#` breaks the pattern but reads the same;
- bare URLs, which GFM autolinks (`https://…`, `www.…`): a zero-width joiner after the `:` of `://` and
  after `www` breaks them the same way (inside code spans nothing is autolinked);
- Markdown structure: emphasis, links, images, table cells (`|`), line breaks; and code-fence break-out (the
  fence is always longer than any backtick run in the content);
- invisible direction overrides, zero-width characters and control characters ("trojan source" style file
  names), replaced by a visible U+FFFD in every output format.

The other formats have their own escapes here too, so that every renderer takes untrusted text from this
module only: `plain` (terminal and log lines), `workflow_data` / `workflow_property` (GitHub workflow
commands), `xml_text` (JUnit), `clean` (SARIF, whose JSON encoder does the rest), `mermaid_label` (the
text of a node in a Mermaid diagram).
"""

from __future__ import annotations

import re
from typing import Any

ZWJ = "\u200d"
ZWJ_ENTITY = "&#8205;"

# Control characters, bidirectional overrides and marks, zero-width and other invisible format characters
# (soft hyphen, Arabic letter mark, word joiner, BOM, line/paragraph separators, annotation anchors), shown
# as a visible replacement instead. U+200D (zero-width joiner) stays: emoji need it, and it only ever breaks
# a pattern, which is what we use it for ourselves. Lone surrogates (JSON `"\\ud800"`) cannot be encoded.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200e\u200f"
    "\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\ud800-\udfff]"
)
# Characters with Markdown meaning inside a line (`$` starts GitHub math). Line-start syntax (`#`, `-`, `>`)
# needs no escape because untrusted text never starts a line outside code.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~$])")
# What GitHub links in text: @user, @org/team, #123, GH-123 (also owner/repo#123, which contains #123).
# Every `@`: GFM links `x@_y.com` and `x@-y.com` as e-mail addresses, not just `@` before a letter.
_MENTION = re.compile("@")
# Bare URLs GFM autolinks: `scheme://` (the joiner goes after the colon) and `www.` (after `www`).
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?i:(?<=www)(?=\.))")
_REFERENCE = re.compile(r"((?<!&)#|\bGH-)(?=\d)", re.IGNORECASE)
_BACKTICK_RUN = re.compile(r"`+")
_BACKTICKED = re.compile(r"`([^`]+)`")  # a single-backtick pair with something between
_NEWLINES = re.compile(r"\r\n|\r|\n")


def clean(value: Any, max_len: int | None = None) -> str:
    """Any value as a single printable string: invisible controls replaced, optionally shortened."""
    text = value if isinstance(value, str) else repr(value) if isinstance(value, bytes) else str(value)
    text = _INVISIBLE.sub("\ufffd", text)
    if max_len is not None and len(text) > max_len:
        text = text[: max(max_len - 1, 0)] + "…"
    return text


def _defuse_links(text: str, joiner: str) -> str:
    # References first: the joiner entity itself contains "#8205".
    text = _REFERENCE.sub(lambda m: m.group(1) + joiner, text)
    return _AUTOLINK.sub(joiner, _MENTION.sub("@" + joiner, text))


def html_text(value: Any, max_len: int | None = None) -> str:
    """For text inside our own HTML (`<summary>`): entities only, on one line; no Markdown is parsed there."""
    text = _NEWLINES.sub(" ", clean(value, max_len)).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _defuse_links(text, ZWJ_ENTITY)


def md_text(value: Any, max_len: int | None = None) -> str:
    """For untrusted text inline in Markdown (paragraphs, list items, table cells): one line, literal."""
    return _literal(_NEWLINES.sub(" ", clean(value, max_len)).strip())


def _literal(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    return _defuse_links(text, ZWJ_ENTITY)


def md_text_with_code(value: Any, max_len: int | None = None) -> str:
    """Like `md_text`, but `backticked` parts become code spans.

    Checks write commands and config keys in hints the plain-text way (`sqlfluff fix x.sql`); escaped by
    `md_text` the backticks would show literally. Each backticked part goes through `code`, the rest through
    the same escaping as `md_text`, so nothing in the text can become markup.
    """
    text = _NEWLINES.sub(" ", clean(value, max_len)).strip()
    parts: list[str] = []
    end = 0
    for span in _BACKTICKED.finditer(text):
        parts += [_literal(text[end : span.start()]), code(span.group(1), None)]
        end = span.end()
    return "".join(parts) + _literal(text[end:])


def _defuse_comment(text: str) -> str:
    # Inside code `<` cannot be an entity (it would show as "&lt;"), so a copy of our marker is broken.
    return text.replace("<!--", "<" + ZWJ + "!--")


def code(value: Any, max_len: int | None = 200, in_table: bool = False) -> str:
    """An inline code span holding any text literally, whatever backticks it contains."""
    text = _defuse_comment(_NEWLINES.sub(" ", clean(value, max_len)))
    if in_table:
        # GFM splits table cells on `|` before parsing code spans; `\|` is the escape that works there.
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in _BACKTICK_RUN.findall(text)), default=0)
    fence = "`" * (longest + 1)
    if not text.strip(" "):
        return "*(empty)*" if not text else f"{fence}{text}{fence}"
    # CommonMark strips one space from both ends, so pad when the content starts or ends with one (or a `).
    ends = (text[0], text[-1])
    pad = " " if "`" in ends or ends == (" ", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_block(value: Any, max_len: int | None = 4000, info: str = "") -> str:
    """A fenced code block whose fence no line of the content can close."""
    text = _defuse_comment(clean(value, max_len).replace("\r\n", "\n").replace("\r", "\n"))
    longest = max((len(run) for run in _BACKTICK_RUN.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text.rstrip(chr(10))}\n{fence}"


# -- the other output formats ----------------------------------------------------------------------------

_NOT_XML = re.compile("[\ufffe\uffff]")  # what XML 1.0 cannot hold beyond the controls


def plain(value: Any, max_len: int | None = None) -> str:
    """For a line of terminal or log output: one line, no escape sequences (ESC is a control), nothing
    that could start a line of its own (a GitHub workflow command like `::add-mask::` in the log)."""
    return _NEWLINES.sub(" ", clean(value, max_len))


def workflow_data(value: Any, max_len: int | None = None) -> str:
    """The message of a GitHub workflow command (`::error ...::message`): the runner's own escapes."""
    text = clean(value, max_len)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(value: Any, max_len: int | None = None) -> str:
    """A property value of a workflow command (`file=`, `title=`): also `:` and `,` escaped."""
    return workflow_data(value, max_len).replace(":", "%3A").replace(",", "%2C")


def xml_text(value: Any, max_len: int | None = None) -> str:
    """Text XML 1.0 can hold (JUnit): controls and invisibles as in `clean`, non-characters replaced."""
    return _NOT_XML.sub("\ufffd", clean(value, max_len))


# What may stay literal in a Mermaid label: letters, digits, and punctuation with no meaning to Mermaid's
# flowchart grammar, its Markdown strings or HTML. Everything else becomes a Mermaid entity code (`#60;`).
_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 _.,:/=+\-]")


def mermaid_label(value: Any, max_len: int | None = 60) -> str:
    """Text for inside a quoted Mermaid node label (`n1["..."]`): one line, and every character that could
    close the quotes or the node, start a directive (`%%{init}`), a Markdown string (a backtick), HTML
    (`<img>`), an entity or a link written as `#<code>;`, which Mermaid shows as the character itself."""
    text = _NEWLINES.sub(" ", clean(value, max_len))
    return "".join(ch if _MERMAID_SAFE.fullmatch(ch) else f"#{ord(ch)};" for ch in text)


def dot_label(value: Any, max_len: int | None = 120) -> str:
    """Text for inside a quoted Graphviz DOT string: one line, quotes and backslashes escaped."""
    text = _NEWLINES.sub(" ", clean(value, max_len))
    return text.replace("\\", "\\\\").replace('"', '\\"')


_MERMAID_UNSAFE = re.compile(r"[^A-Za-z0-9 _.,:/+()%-]")


def mermaid_string(value: Any, max_len: int | None = 60) -> str:
    """The inside of a double-quoted Mermaid string (a chart title or axis label): only letters, digits and
    plain punctuation survive, so nothing can end the string, the statement or the code fence around it."""
    return _MERMAID_UNSAFE.sub("_", plain(value, max_len))
