"""YAML's syntax errors in an editor's words: what happened on the line, and what to write.

The parser says "mapping values are not allowed in this context"; an editor who
wrote `title: Mobility: what next` needs to hear that a colon and a space start
a new key, and to see the line written with quotes. Each explanation looks at
the line the parser stopped on; an error none of them recognises keeps the
parser's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

_KEY_LINE = re.compile(r"^(?P<indent>[ ]*)(?P<dash>-[ ]+)?(?P<key>[^\s:#'\"][^:#]*?):[ ]+(?P<value>.*)$")
_CURLY = "“”„‟‘’‚‛«»"
_STARTERS = "@`%*!?&|>"  # characters YAML reserves at the start of a plain value


@dataclass(frozen=True)
class Explained:
    """Where to point (0-based line of the text, 1-based column or None) and what to say."""

    line: int
    column: int | None
    message: str


def explain(exc: yaml.MarkedYAMLError, lines: list[str]) -> Explained:
    """The editor's version of a YAML syntax error in `lines`."""
    mark = exc.problem_mark or exc.context_mark
    at = mark.line if mark else 0
    column = mark.column + 1 if mark else None
    text = lines[at] if 0 <= at < len(lines) else ""
    problem, context = exc.problem or "", exc.context or ""
    opened = exc.context_mark
    if "\t" in text[: len(text) - len(text.lstrip())] or "tab character" in problem:
        return Explained(at, None, "this line is indented with a tab; indent with spaces, "
                         "not tabs")
    if "while scanning a quoted scalar" in context and opened:
        quote = _at(lines, opened.line, opened.column)
        return Explained(opened.line, opened.column + 1,
                         f"the {quote} that opens this value is never closed; end the value "
                         f"with {quote} on the same line")
    if context.startswith("while parsing a flow") and opened and "expected ','" in problem:
        bracket = _at(lines, opened.line, opened.column)
        closing = "]" if bracket == "[" else "}"
        return Explained(opened.line, opened.column + 1,
                         f"the {bracket} here is never closed; add {closing} where the list "
                         f"ends, or put the whole value in quotes if the {bracket} is part of "
                         "the text")
    if "mapping values are not allowed" in problem:
        return _colon_in_value(at, text, lines) or _fallback(at, column, problem)
    if "did not find expected key" in problem or "expected '-' indicator" in problem \
            or "expected <block end>" in problem:
        return _quotes_end_early(at, text) or _misaligned(at, text)
    if opened and mark and opened.line == mark.line:  # an alias: point at its *
        column = opened.column + 1
    starter = _at(lines, at, column - 1 if column else 0)
    if ("cannot start any token" in problem or "while scanning an alias" in context
            or "mapping keys are not allowed" in problem
            or "could not determine a constructor" in problem) and starter and starter in _STARTERS:
        if "could not determine a constructor" in problem and text[column - 1:].startswith("!!"):
            return Explained(at, column, "YAML tags such as !!python/... are not allowed; "
                             "write plain values")
        return Explained(at, column, f"a value cannot start with {starter} in YAML; put the "
                         f"value in quotes{_suggest(text)}")
    if "could not determine a constructor" in problem:
        return Explained(at, column, "YAML tags such as !!python/... are not allowed; "
                         "write plain values")
    return _fallback(at, column, problem or context)


def _fallback(at: int, column: int | None, reason: str) -> Explained:
    return Explained(at, column, f"YAML syntax: {reason or 'not valid YAML'}")


def _at(lines: list[str], line: int, column: int) -> str:
    return lines[line][column:column + 1] if 0 <= line < len(lines) else ""


def _suggest(text: str, value: str | None = None) -> str:
    """': key: "value"', the line written with quotes, or nothing when it has no key."""
    found = _KEY_LINE.match(text)
    if not found:
        return ""
    value = (value if value is not None else found["value"]).strip()
    value = re.sub(r"\s+#.*$", "", value) if value[:1] not in _CURLY else value
    value = value.strip(_CURLY)
    quoted = f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"
    return f": {found['dash'] or ''}{found['key']}: {quoted}"


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _previous(lines: list[str], at: int) -> str | None:
    for line in reversed(lines[:at]):
        if line.strip() and not line.lstrip().startswith("#"):
            return line
    return None


def _colon_in_value(at: int, text: str, lines: list[str]) -> Explained | None:
    found = _KEY_LINE.match(text)
    before = _previous(lines, at)
    if found and before is not None and _indent(text) > _indent(before) \
            and not before.rstrip().endswith(":") and not found["dash"]:
        return Explained(at, 1, "this line is indented more than the one above, so YAML "
                         f"reads '{found['key']}' as part of the value above; start it in the "
                         "same column as the other keys")
    if not found:
        return None
    curly = any(c in found["value"] for c in _CURLY)
    note = " (curly quotes “ ” do not count as quotes in YAML; type straight ones)" if curly else ""
    return Explained(at, None, f"a colon followed by a space starts a new key, so the value of "
                     f"'{found['key']}' cannot hold one; put the value in quotes"
                     f"{_suggest(text)}{note}")


def _quotes_end_early(at: int, text: str) -> Explained | None:
    found = _KEY_LINE.match(text)
    if not found or found["value"][:1] not in "'\"":
        return None
    value = found["value"].rstrip()
    quote = value[0]
    inner = value[1:-1] if value.endswith(quote) and len(value) > 1 else value[1:]
    other = "'" if quote == '"' else '"'
    fixed = f"{other}{inner}{other}" if other not in inner else \
        quote + inner.replace(quote, quote * 2 if quote == "'" else "\\" + quote) + quote
    return Explained(at, None, f"the value of '{found['key']}' starts with {quote}, so it ends "
                     f"at the next {quote} and the rest of the line is left over; write it as "
                     f"{found['dash'] or ''}{found['key']}: {fixed}")


def _misaligned(at: int, text: str) -> Explained:
    found = _KEY_LINE.match(text)
    what = f"'{found['key']}'" if found else "this line"
    if text.lstrip().startswith("- ") or text.strip() == "-":
        return Explained(at, None, "a list item ('- ') stands among keys here; indent it under "
                         "the key it belongs to, or give it a key of its own")
    return Explained(at, None, f"{what} does not line up with the lines above it; keys of one "
                     "group start in the same column (count the spaces)")
