"""Checking sources against the schema: every problem, with its file and line.

`Validator.check` walks a value against a `Field` declaration and returns the
cleaned value (dates as dates, a single id as a list of one, priorities by id).
Cleaned values keep their lines: mappings and lists as `LineDict` and
`LineList`, Markdown as `Text`, so no later stage reads the raw YAML again to
place a message.
Relations are checked against the ids every source declares, so validation
runs once everything has been read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, Callable, Iterable

from wgsite.problems import Problems, did_you_mean
from wgsite.content.schema import Field
from wgsite.urls import is_web_address, unsafe_site_path
from wgsite.content.yamlfile import LineDict, LineList, Text

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY = re.compile(r"^[a-z][a-z0-9_]*$")
INTEGER = re.compile(r"^[-+]?[0-9]+$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
BOOLEANS = {"true": True, "false": False}
# A hex colour, a name, or a function such as rgb(31 78 121) or color-mix(...): nothing
# that could end a CSS declaration or rule (; { } quotes, backslashes, comments).
CSS_COLOUR = re.compile(r"#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})|[a-z]+"
                        r"|[a-z-]+\([a-z0-9 ,.%+#()-]*\)", re.IGNORECASE)
EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")

TYPE_WORDS = {
    "string": "text", "text": "text", "markdown": "text", "bool": "true or false",
    "int": "a whole number", "date": "a date (YYYY-MM-DD)",
    "datetime": "a date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:MM:SS+01:00)",
    "url": "a web address (https://...)", "email": "an email address",
    "slug": "lowercase words joined by hyphens", "path": "a path such as /about/",
    "site_path": "a path such as /about/",
    "colour": "a CSS colour such as #1f4e79, rgb(31 78 121) or navy", "key": "a key in snake_case (lowercase_words)",
    "image": "an image path inside assets/", "list": "a list", "object": "keys and values",
}


@dataclass
class Relations:
    """The ids each relation target offers; `aliases` maps other spellings to ids."""

    ids: dict[str, list[str]] = field(default_factory=dict)
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)

    def resolve(self, target: str, value: Any) -> str | None:
        key = str(value)
        if key in self.ids.get(target, ()):
            return key
        return self.aliases.get(target, {}).get(key)


@dataclass
class Validator:
    """Checks values against declarations, reporting into `problems` for one file."""

    path: str
    problems: Problems
    relations: Relations
    timezone: tzinfo
    image_exists: Callable[[str], bool]

    def check_object(self, value: Any, fields: Iterable[Field], line: int, where: str = ""
                     ) -> dict[str, Any]:
        """Check a mapping: required keys present, no unknown keys, each value valid."""
        fields = tuple(fields)
        if not isinstance(value, dict):
            shown = repr(value) if isinstance(value, str) else _shape(value)
            self._error(line, f"'{where}' must be {TYPE_WORDS['object']}, not {shown}"
                        if where else f"this must be {TYPE_WORDS['object']}, not {shown}")
            return {}
        lines = value.lines if isinstance(value, LineDict) else {}
        own_line = value.line if isinstance(value, LineDict) else line
        known = {f.name: f for f in fields}
        cleaned = LineDict()
        cleaned.line = own_line
        for key, item in value.items():
            key_line = lines.get(key, own_line)
            spec = known.get(key)
            if spec is None:
                name = f"{where}.{key}" if where else str(key)
                self._error(key_line, f"unknown key '{name}'{did_you_mean(key, known)}")
                continue
            if item is None:
                if spec.required:
                    self._error(key_line, f"'{self._name(where, key)}' is empty")
                continue
            checked = self.check(item, spec, key_line, self._name(where, key))
            if checked is not None:
                cleaned[key] = checked
                cleaned.lines[key] = key_line
        for spec in fields:
            if spec.required and spec.name not in value:
                self._error(own_line, f"missing required key '{self._name(where, spec.name)}'")
        return cleaned

    def check(self, value: Any, spec: Field, line: int, name: str) -> Any:
        """One value against its declaration; returns the cleaned value or None."""
        kind = spec.kind
        if kind == "list":
            return self._check_list(value, spec, line, name)
        if kind == "object":
            return self.check_object(value, spec.fields, line, name) or None
        if kind == "relation":
            return self._check_relation(value, spec, line, name)
        if kind == "bool":
            if isinstance(value, str) and value.lower() in BOOLEANS:
                return BOOLEANS[value.lower()]
            return value if isinstance(value, bool) else self._wrong(line, name, value, kind)
        if kind == "int":
            if isinstance(value, str) and INTEGER.match(value):
                return int(value)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            return self._wrong(line, name, value, kind)
        if kind in ("date", "datetime"):
            return self._check_date(value, kind, line, name)
        if not isinstance(value, str):
            return self._wrong(line, name, value, kind)
        if kind == "url" and not is_web_address(value):
            return self._wrong(line, name, value, kind)
        if kind == "email" and not EMAIL.match(value):
            return self._wrong(line, name, value, kind)
        if kind == "slug" and not SLUG.match(value):
            return self._wrong(line, name, value, kind)
        if kind == "key" and not KEY.match(value):
            return self._wrong(line, name, value, kind)
        if kind == "colour" and not CSS_COLOUR.fullmatch(value):
            return self._wrong(line, name, value, kind)
        if kind == "path" and not (value.startswith("/") or is_web_address(value)):
            return self._wrong(line, name, value, kind)
        if kind == "site_path" and (reason := unsafe_site_path(value)):
            self._error(line, f"'{name}' {value!r} {reason}")
            return None
        if kind == "choice" and value not in spec.choices:
            allowed = ", ".join(spec.choices)
            self._error(line, f"'{name}' is '{value}'; use one of: {allowed}"
                        f"{did_you_mean(value, spec.choices)}")
            return None
        if kind == "image" and not self.image_exists(value):
            self._error(line, f"'{name}': there is no image assets/{value}")
            return None
        if kind == "markdown":
            # a block scalar (|) starts on the line after its key
            return Text(value, line + (1 if "\n" in value else 0))
        return value

    def _check_list(self, value: Any, spec: Field, line: int, name: str) -> list | None:
        if not isinstance(value, list):
            if isinstance(value, (dict, bool)) or value is None:
                return self._wrong(line, name, value, "list")
            value = [value]  # a single item where a list is expected
        lines = value.lines if isinstance(value, LineList) else []
        cleaned = LineList()
        cleaned.line = line
        for index, item in enumerate(value):
            item_line = lines[index] if index < len(lines) else line
            checked = self.check(item, spec.item, item_line, name)
            if checked is not None:
                cleaned.append(checked)
                cleaned.lines.append(item_line)
        if spec.required and not cleaned and not value:
            self._error(line, f"'{name}' needs at least one item")
        return cleaned

    def _check_relation(self, value: Any, spec: Field, line: int, name: str) -> str | None:
        if isinstance(value, (dict, list, bool)) or value is None:
            return self._wrong(line, name, value, "an id")
        resolved = self.relations.resolve(spec.target, value)
        if resolved is None:
            noun = spec.target.replace("_", " ")
            choices = self.relations.ids.get(spec.target, [])
            self._error(line, f"unknown {noun} '{value}'{did_you_mean(value, choices)}")
        return resolved

    def _check_date(self, value: Any, kind: str, line: int, name: str) -> date | None:
        if isinstance(value, str):
            text = value.strip()
            if not (DATE.match(text) or kind == "datetime" and DATETIME.match(text)):
                return self._wrong(line, name, value, kind)
            try:
                value = date.fromisoformat(text) if DATE.match(text) else \
                    datetime.fromisoformat(text)
            except ValueError as exc:  # 2024-02-30
                self._error(line, f"'{name}' is {text}, which does not exist ({exc})")
                return None
        if isinstance(value, datetime):
            if kind == "date":
                return self._wrong(line, name, value, kind)
            return value if value.tzinfo else value.replace(tzinfo=self.timezone)
        if isinstance(value, date):
            return value
        return self._wrong(line, name, value, kind)

    def _wrong(self, line: int, name: str, value: Any, kind: str) -> None:
        expected = TYPE_WORDS.get(kind, kind)
        shown = repr(value) if isinstance(value, str) else _shape(value)
        self._error(line, f"'{name}' must be {expected}, not {shown}")
        return None

    def _error(self, line: int | None, message: str) -> None:
        self.problems.error(self.path, line, message)

    @staticmethod
    def _name(where: str, key: Any) -> str:
        return f"{where}.{key}" if where else str(key)


def _shape(value: Any) -> str:
    if isinstance(value, dict):
        return "keys and values"
    if isinstance(value, list):
        return "a list"
    return str(value)
