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

import difflib
import functools
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, Callable, Iterable

from wgsite.problems import Problems, did_you_mean
from wgsite.content.language_codes import check_language, language_name
from wgsite.content.schema import DOCUMENTS_FOLDER, Field
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
    "image": "an image path inside assets/",
    "file": f"a file path inside assets/, such as {DOCUMENTS_FOLDER}/minutes.pdf", "list": "a list", "object": "keys and values",
    "time": "a time of day (HH:MM, such as 09:30)",
    "time_zone": "a time zone name such as Europe/Brussels",
}
TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")


@dataclass
class Relations:
    """The ids each relation target offers; `aliases` maps other spellings to ids."""

    ids: dict[str, list[str]] = field(default_factory=dict)
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    # target -> "data/organisations.yaml:7", an item there without a usable id: an
    # unknown id elsewhere may only follow from it
    broken: dict[str, str] = field(default_factory=dict)
    # target -> the data file that lists its ids: "data/people.yaml"
    homes: dict[str, str] = field(default_factory=dict)

    def note_broken(self, target: str, items: Any, path: str) -> None:
        """Remember the first item of a data list whose id is missing or unusable."""
        for index, item in enumerate(items if isinstance(items, list) else []):
            ident = item.get("id") if isinstance(item, dict) else None
            if not (isinstance(ident, str) and SLUG.match(ident)):
                line = items.line_of(index) if isinstance(items, LineList) else None
                self.broken.setdefault(target, f"{path}:{line}" if line else path)
                return

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
    # a data file's: the site's languages, default first; its text may then be given
    # per language ({en: ..., fr: ...}). Front matter has none: a page translates by file.
    languages: tuple[str, ...] = ()
    any_language: bool = False  # while a listed code is wrong (reported as such)

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
        comments = value.comments if isinstance(value, LineDict) else {}
        for key, item in value.items():
            key_line = lines.get(key, own_line)
            spec = known.get(key)
            if spec is None:
                name = f"{where}.{key}" if where else str(key)
                self._error(key_line, f"unknown key '{name}'{_nearest(key, known)}"
                            f"{_allowed(fields)}")
                continue
            if item is None or key in comments and spec.kind in TEXT_KINDS:
                self._empty_or_cut(key_line, self._name(where, key), str(key), item,
                                   spec.kind, comments.get(key))
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
        if kind == "time" and isinstance(value, int) and not isinstance(value, bool):
            # YAML 1.1 reads an unquoted 10:00 as sexagesimal 600
            value = f"{value // 60:02d}:{value % 60:02d}" if 0 <= value < 24 * 60 else str(value)
        if isinstance(value, dict) and kind in TEXT_KINDS and self.languages and spec.words:
            return self._check_translated(value, spec, line, name)
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
        if kind == "time":
            if not TIME.match(value.strip()):
                return self._wrong(line, name, value, kind)
            hours, minutes = TIME.match(value.strip()).groups()
            return f"{int(hours):02d}:{minutes}"
        if kind == "time_zone":
            if (reason := unknown_zone(value)):
                self._error(line, f"'{name}' is '{value}', {reason}")
                return None
            return value
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
        if kind == "file":
            return self._check_file(value, line, name)
        if kind == "markdown":
            # a block scalar (|) starts on the line after its key
            return Text(value, line + (1 if "\n" in value else 0))
        return value

    def _check_translated(self, value: dict, spec: Field, line: int, name: str
                          ) -> LineDict | None:
        """A text given per language: {en: Mobility, fr: Mobilité}."""
        cleaned = LineDict()
        cleaned.line = value.line if isinstance(value, LineDict) else line
        lines = value.lines if isinstance(value, LineDict) else {}
        for code, text in value.items():
            text_line = lines.get(code, line)
            if code not in self.languages and not self.any_language:
                self._error(text_line, f"'{name}' gives a text in '{code}', which is not one "
                            f"of the site's languages ({', '.join(self.languages)})"
                            f"{did_you_mean(str(code), self.languages)}")
                continue
            checked = self.check(text, spec, text_line, f"{name}.{code}")
            if checked is not None:
                cleaned[code] = checked
                cleaned.lines[code] = text_line
        default = self.languages[0]
        if default not in value:
            self._error(cleaned.line or line, f"'{name}' has no text in the default language "
                        f"'{default}': add `{default}: ...`")
            return None
        return cleaned if default in cleaned else None
    def _check_file(self, value: str, line: int, name: str) -> str | None:
        """A document's file: a path inside assets/, in its documents/ folder, that exists."""
        folder = f"{DOCUMENTS_FOLDER}/"
        reason = unsafe_site_path("/" + value)
        if reason or not value.startswith(folder) or value == folder:
            self._error(line, f"'{name}' is {value!r}; documents are files in assets/{folder}: "
                        f"put the file there and write {folder}<file name>")
            return None
        if not self.image_exists(value):  # any file of assets/, not only pictures
            self._error(line, f"'{name}': there is no file assets/{value}; put the file "
                        "there, or correct the name")
            return None
        return value

    def _check_list(self, value: Any, spec: Field, line: int, name: str) -> list | None:
        if not isinstance(value, list):
            if isinstance(value, (dict, bool)) or value is None:
                return self._wrong(line, name, value, "list")
            value = [value]  # a single item where a list is expected
        lines = value.lines if isinstance(value, LineList) else []
        comments = value.comments if isinstance(value, LineList) else {}
        cleaned = LineList()
        cleaned.line = line
        first_line: dict[Any, int] = {}
        for index, item in enumerate(value):
            item_line = lines[index] if index < len(lines) else line
            if index in comments and spec.item.kind in TEXT_KINDS:
                self._empty_or_cut(item_line, name, "-", item, spec.item.kind, comments[index])
                continue
            checked = self.check(item, spec.item, item_line, name)
            if checked is None:
                continue
            identity = _identity(checked, spec.item)
            if identity is not None and identity in first_line:
                key = _identity_key(spec.item)
                shown = f"{key} {item.get(key)!r}" if isinstance(item, dict) else repr(item)
                first = first_line[identity]
                where = "" if first == item_line else f" (first on line {first})"
                if key == "id":
                    self._error(item_line, f"duplicate id {item.get(key)!r}{where}; give "
                                "each its own id, or keep one of the two")
                else:
                    self._error(item_line, f"'{name}' gives {shown} twice{where}; keep one "
                                "of the two")
                continue
            if identity is not None:
                first_line[identity] = item_line
            cleaned.append(checked)
            cleaned.lines.append(item_line)
        if spec.required and not cleaned and not value:
            self._error(line, f"'{name}' needs at least one item")
        return cleaned

    def _empty_or_cut(self, line: int, name: str, key: str, value: Any, kind: str,
                      comment: str | None) -> None:
        """An empty value, or text that a ' #' comment cut short: say how to write it."""
        if comment is None:
            self._error(line, f"'{name}' is empty; write its value after the colon, "
                        "or delete the line")
            return
        whole = f"{value or ''}{comment}".strip()
        if whole[:1] in CURLY_QUOTES:  # a word processor's quotes meant as YAML's
            whole = whole.strip(CURLY_QUOTES)
        quoted = f'"{whole}"' if '"' not in whole else "'" + whole.replace("'", "''") + "'"
        written = f"- {quoted}" if key == "-" else f"{key}: {quoted}"
        if value is None:
            what = "the colour" if kind == "colour" else "the value"
            self._error(line, f"'{name}' is empty: YAML reads '#' after a space as the start "
                        f"of a comment; put {what} in quotes: {written}")
            return
        self._error(line, f"'{name}' would be only {value!r}: YAML reads ' #' as the start "
                    "of a comment and leaves out the rest of the line; put the whole text "
                    f"in quotes: {written} (a comment goes on a line of its own)")

    def _check_relation(self, value: Any, spec: Field, line: int, name: str) -> Any:
        if isinstance(value, dict) and spec.inline is not None:
            return self.check_object(value, spec.inline.fields, line, name) or None
        if isinstance(value, (dict, list, bool)) or value is None:
            return self._wrong(line, name, value, "an id")
        resolved = self.relations.resolve(spec.target, value)
        if resolved is None:
            noun = spec.target.replace("_", " ")
            choices = self.relations.ids.get(spec.target, [])
            follows = self.relations.broken.get(spec.target)
            after = (f" (this may follow from the {noun} without a usable id at {follows}: "
                     "fix that first)") if follows else ""
            if not choices and spec.target in self.relations.homes:
                after = f" ({self.relations.homes[spec.target]} lists none)"
            self._error(line, f"unknown {noun} '{value}'{did_you_mean(value, choices)}{after}")
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


def unknown_zone(name: str) -> str | None:
    """Why `name` is no IANA time zone, with the nearest one when there is; None if it is."""
    if name in available_zones():
        return None
    zones = available_zones()
    by_case = {zone.casefold(): zone for zone in zones}
    close = by_case.get(name.strip().replace(" ", "_").casefold())
    if close is not None:
        return f"which is not a time zone name (did you mean '{close}'?)"
    # "Stockholm" for Europe/Stockholm: the city part alone
    cities = {zone.rsplit("/", 1)[-1].casefold(): zone for zone in zones if "/" in zone}
    suggestion = did_you_mean(name, zones)
    if not suggestion:
        city = name.rsplit("/", 1)[-1].replace(" ", "_").casefold()
        found = cities.get(city) or cities.get(
            next(iter(difflib.get_close_matches(city, list(cities), 1, 0.75)), ""))
        suggestion = f" (did you mean '{found}'?)" if found else ""
    return (f"which is not a time zone name{suggestion}; use an IANA name such as "
            "Europe/Brussels or America/New_York")


@functools.cache
def available_zones() -> tuple[str, ...]:
    """The IANA time zones this system knows, sorted (tzdata's when installed)."""
    return tuple(sorted(zoneinfo.available_timezones() - {"localtime", "Factory"}))


# Keys editors write for another one, by meaning rather than by spelling.
SYNONYMS = {"summary": "description", "description": "summary", "name": "title",
            "title": "name", "website": "url", "link": "url", "text": "description",
            "tag": "tags", "author": "chairs", "location": "country", "end_date": "end",
            "start_date": "start", "image_description": "image_alt", "alt": "image_alt"}


def _nearest(key: Any, known: dict[str, Field]) -> str:
    """A ` (did you mean 'x'?)` suffix by spelling, or else by meaning."""
    close = did_you_mean(key, known)
    if close or SYNONYMS.get(str(key)) not in known:
        return close
    return f" (did you mean '{SYNONYMS[str(key)]}'?)"


def _allowed(fields: tuple[Field, ...]) -> str:
    """The keys a small mapping (a data item, a chair) takes; a page's are in the reference."""
    if len(fields) > 12:
        return ""
    return f"; the keys allowed here are: {', '.join(f.name for f in fields)}"


CURLY_QUOTES = "“”„‟‘’‚‛«»"

# Kinds whose value is free text, so that a ' #' after it is more likely part of the text
# than a comment; after an id, a URL or a date it can only be a comment.
TEXT_KINDS = ("string", "text", "markdown")


def _identity_key(item: Field) -> str | None:
    """The key that identifies an object in a list: its id, or its first required relation."""
    if any(f.name == "id" for f in item.fields):
        return "id"
    return next((f.name for f in item.fields if f.kind == "relation" and f.required), None)


identity_key = _identity_key  # what content/languages.py pairs translated items by


def _identity(value: Any, item: Field) -> Any:
    """What makes two items of a list the same item, or None when nothing does."""
    if isinstance(value, dict):
        key = _identity_key(item)
        return value.get(key) if key else None
    if isinstance(value, str):
        return value.casefold() if item.kind in TEXT_KINDS else value
    return value if isinstance(value, (int, date)) else None


def _shape(value: Any) -> str:
    if isinstance(value, dict):
        return "keys and values"
    if isinstance(value, list):
        return "a list"
    return str(value)


# Hosts that documentation and the starter site use as stand-ins (RFC 2606).
PLACEHOLDER_HOSTS = {"example.org", "example.com", "example.net"}


def check_site_settings(config: dict[str, Any], site: Any, path: str,
                        languages: Iterable[str], production: bool,
                        problems: Problems) -> None:
    """Settings of data/site.yaml that are valid values but wrong for this build."""
    line_of = site.line_of if isinstance(site, LineDict) else (lambda key: None)
    key = "languages" if config.get("languages") else "language"
    written = config.get("languages") or [config.get("language", "en")]
    known = set(languages)
    for language in written:  # a code that is no language is content/languages.py's to say
        code, message = check_language(language)
        if not message and code not in known and code.split("-")[0] not in known:
            problems.warning(path, line_of(key),
                             f"'{key}' names '{code}' ({language_name(code)}), but there are "
                             f"no interface phrases for it: its menus and buttons are in "
                             f"English until data/i18n/{code}.yaml translates the ones of "
                             f"data/i18n/en.yaml (there are files for: "
                             f"{', '.join(sorted(known))})")
    host = re.sub(r"^https?://([^/:?#]*).*$", r"\1", str(config.get("base_url", ""))).lower()
    if production and host.removeprefix("www.") in PLACEHOLDER_HOSTS:
        problems.warning(path, line_of("base_url"),
                         f"'base_url' is {config['base_url']}, a placeholder: links in feeds, "
                         "the sitemap and shared pages would point there; write the address "
                         "where the site is published")


def check_moments(meta: dict[str, Any], source: LineDict, path: str,
                  problems: Problems) -> None:
    """A start and an end written in different forms: one would lose its time."""
    start, end = meta.get("start"), meta.get("end")
    if start is None or end is None or isinstance(start, datetime) == isinstance(end, datetime):
        return
    timed, dated = ("end", "start") if isinstance(end, datetime) else ("start", "end")
    problems.error(path, source.line_of("end"),
                   f"'{dated}' is a date but '{timed}' has a time, so the time would be "
                   f"lost; give both a time (e.g. {dated}: {meta[dated]}T09:00:00+01:00) "
                   "or both only a date")


def check_download(meta: dict[str, Any], source: LineDict, path: str,
                   problems: Problems) -> None:
    """A document is a file of the site or an address elsewhere: one of the two (a draft
    may have neither yet)."""
    given = [key for key in ("file", "url") if key in source]
    if len(given) == 2:
        problems.error(path, source.line_of("url"), "both 'file' and 'url' are given; a "
                       "document is either a file in assets/documents/ or an address "
                       "elsewhere: keep one of the two")
    elif not given and not meta.get("draft"):
        problems.error(path, source.line or 1, "a document needs its 'file' (a path such as "
                       "documents/minutes.pdf, the file in assets/documents/) or its 'url' "
                       "(where it is published elsewhere)")


# What editors write as an event's place when there is none but a screen.
ONLINE_WORDS = {"online", "virtual", "web", "webinar", "zoom", "teams", "internet", "remote",
                "online event", "online only", "online meeting"}


def check_online(meta: dict[str, Any], source: LineDict, path: str, problems: Problems) -> None:
    """An online-only event says so with `online_only` and its link, not with a place."""
    location = str(meta.get("location", "")).strip().casefold()
    if meta.get("online_only"):
        if "location" in meta:
            problems.error(path, source.line_of("location"),
                           "an event with 'online_only: true' takes place nowhere else: "
                           "remove 'location', or remove 'online_only' for one that is "
                           "in a place and online")
        if not meta.get("online_url"):
            problems.error(path, source.line_of("online_only"),
                           "an online-only event needs its 'online_url': where readers join")
    elif location in ONLINE_WORDS:
        problems.warning(path, source.line_of("location"),
                         f"'location: {meta['location']}' names no place: write "
                         "'online_only: true' with the event's 'online_url' instead, so that "
                         "the page and calendars show it as online with its link")


def check_slugs(pages: Iterable[Any], slug_of: Callable[[Any], str], problems: Problems) -> None:
    """Two pages of one kind with one slug: name the one that chose it, at its `slug` line."""
    claimed: dict[tuple[str, str], Any] = {}
    for source in pages:
        key = (source.type.name, slug_of(source).casefold())
        first = claimed.setdefault(key, source)
        if first is source:
            continue
        if "slug" in first.meta and "slug" not in source.meta:
            first, source = source, first
        url = source.type.url.format(slug=slug_of(source))
        if "slug" in source.meta:
            problems.error(source.path, source.meta.line_of("slug"),
                           f"the slug '{slug_of(source)}' is already taken by {first.path} "
                           f"(both would be {url}); choose another slug")
        else:
            problems.error(source.path, None,
                           f"this file's name gives the slug '{slug_of(source)}', which "
                           f"{first.path} already has (both would be {url}); rename the file, "
                           "or give it a 'slug'")


def _a(kind: Any) -> str:
    noun = (kind.singular or kind.name.replace("_", " ")).lower()
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def wrong_folder(meta: LineDict, here: Any, kinds: list[Any]) -> str | None:
    """Where a file belongs when its keys fit another kind and not its own folder's."""
    def names(kind: Any) -> set[str]:
        return {f.name for f in kind.fields}

    def fits(kind: Any) -> bool:
        return keys <= names(kind) and {f.name for f in kind.fields if f.required} <= keys

    keys = set(map(str, meta))
    if keys <= names(here) or not keys - set.intersection(*map(names, kinds)):
        return None  # only keys unknown here say that the file is in the wrong folder
    for kind in kinds:
        if kind.name != here.name and fits(kind):
            folder = f"content/{kind.folder}/" if kind.folder else "content/"
            return f"this looks like {_a(kind)}, not {_a(here)}: move the file to {folder}"
    return None
