"""Reading a site's sources: Markdown files with front matter, and YAML data.

This stage only reads and parses; it knows file names and lines, not meaning.
Every mistake becomes a problem naming the file and line, and reading goes on,
so one run reports all unreadable files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

import frontmatter

from wgsite.folders import SiteFolders, forget_folders, is_editor_temp
from wgsite.problems import Problems, did_you_mean
from wgsite.content.language_codes import check_language, language_name, locale_of
from wgsite.content.schema import DATA_FILES, HOME, ContentType
from wgsite.content.yamlfile import LineDict, load_yaml

# Exactly three dashes, alone on the line (python-frontmatter's default also
# matches longer rules and swallows blank lines, which shifts line numbers).
_FRONT_MATTER = frontmatter.YAMLHandler(fm_boundary=re.compile(r"^---[ \t]*$", re.MULTILINE))
_DATED_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
# What may follow a file's name before .md as its language: fr, pt-BR, sr-Latn.
LANGUAGE_SUFFIX = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def split_language(stem: str) -> tuple[str, str]:
    """("about", "fr") for about.fr, ("about", "") for about."""
    name, dot, suffix = stem.rpartition(".")
    if dot and name and LANGUAGE_SUFFIX.match(suffix):
        return name, suffix
    return stem, ""


@dataclass
class SourceFile:
    """One Markdown file: its front matter, its body and where the body starts."""

    path: str  # relative to the site folder, with forward slashes
    type: ContentType
    meta: LineDict
    body: str
    body_line: int  # the file line of the body's first line
    file_slug: str  # the name without extension and date prefix
    file_date: date | None = None  # from a YYYY-MM-DD- prefix
    file_date_text: str = ""
    language: str = ""  # from a .<lang> before .md (about.fr.md); "" for an original


@dataclass
class Sources:
    """Everything read from one site folder, before any validation."""

    pages: list[SourceFile] = field(default_factory=list)
    home: SourceFile | None = None
    # files named <name>.<lang>.md: translations, or originals that name the default
    # language; content/languages.py tells which
    suffixed: list[SourceFile] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    data_paths: dict[str, str] = field(default_factory=dict)
    i18n: dict[str, dict[str, Any]] = field(default_factory=dict)


LINK_OUTSIDE = "this is a symbolic link that leads outside the site folder; copy the file in"


def read_text(path: Path, rel: str, problems: Problems,
              folders: SiteFolders | None = None) -> str | None:
    """A file's text as editors mean it: UTF-8, a BOM ignored, CRLF read as LF."""
    if folders is not None and not folders.contains(path):
        problems.error(rel, None, LINK_OUTSIDE)
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(rel, None, f"cannot read the file: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.error(rel, line, "the file is not UTF-8 text; save it as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Parses:
    """What YAML texts parsed to, kept by a long-lived process (serve) between builds,
    under the file, the first line and the text itself; see `parse`."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, int, str, bool], tuple[Any, list]] = {}
        self._used: set[tuple[str, int, str, bool]] = set()

    def of(self, key: tuple[str, int, str, bool],
           make: Callable[[], tuple[Any, list]]) -> tuple[Any, list]:
        self._used.add(key)
        if key not in self._kept:
            self._kept[key] = make()
        return self._kept[key]

    def forget_unused(self) -> None:
        """Drop what no build since the last call asked for (earlier texts of a file)."""
        self._kept = {key: value for key, value in self._kept.items() if key in self._used}
        self._used = set()


def parse(text: str, rel: str, problems: Problems, parses: Parses | None = None,
          first_line: int = 1) -> Any:
    """load_yaml, remembered in `parses` under the file and the text itself, with the
    problems it reported, which are reported again: a text parses the same way every
    time."""
    if parses is None:
        return load_yaml(text, rel, problems, first_line=first_line)

    def make() -> tuple[Any, list]:
        found = Problems(strict=problems.strict)
        return load_yaml(text, rel, found, first_line=first_line), found.items

    value, items = parses.of((rel, first_line, text, problems.strict), make)
    problems.items.extend(items)
    return value


def split_front_matter(text: str, rel: str, problems: Problems, parses: Parses | None = None
                       ) -> tuple[LineDict, str, int] | None:
    """Split a Markdown file into (front matter, body, body's first line)."""
    if not text.strip():
        problems.error(rel, 1, "the file is empty; a page needs front matter with a title")
        return None
    if not _FRONT_MATTER.detect(text):
        problems.error(rel, 1, "no front matter: a page starts with a line '---', "
                       "then its keys (title: ...), then another '---'")
        return None
    opening = _FRONT_MATTER.FM_BOUNDARY.match(text)
    closing = _FRONT_MATTER.FM_BOUNDARY.search(text, opening.end())
    if closing is None:
        problems.error(rel, 1, "the front matter is not closed: add a line '---' after its keys")
        return None
    fm_text, body = _FRONT_MATTER.split(text)
    meta = parse(fm_text, rel, problems, parses, first_line=1)
    if meta is None and fm_text.strip():
        return None
    if meta is None:
        meta = LineDict()
        meta.line = 1
    if not isinstance(meta, LineDict):
        problems.error(rel, 2, "the front matter must be keys and values (title: ...), "
                       f"not a {_yaml_kind(meta)}")
        return None
    body_line = text.count("\n", 0, closing.end()) + 2
    return meta, body.removeprefix("\n"), body_line


def _yaml_kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "single value"


def read_content_file(path: Path, folders: SiteFolders, type_: ContentType,
                      problems: Problems, parses: Parses | None = None) -> SourceFile | None:
    rel = folders.relative(path)
    text = read_text(path, rel, problems, folders)
    if text is None:
        return None
    parts = split_front_matter(text, rel, problems, parses)
    if parts is None:
        return None
    meta, body, body_line = parts
    stem, language = split_language(path.stem)
    file_date, date_text = None, ""
    dated = _DATED_NAME.match(stem)
    if dated:
        year, month, day, stem = dated.groups()
        date_text = f"{year}-{month}-{day}"
        try:
            file_date = date(int(year), int(month), int(day))
        except ValueError:
            problems.error(rel, None, f"the file name's date {date_text} does not exist")
    return SourceFile(rel, type_, meta, body, body_line, stem, file_date, date_text, language)


PAGE_SUFFIXES = (".md", ".markdown")


def _is_page(path: Path, folders: SiteFolders, problems: Problems) -> bool:
    """Whether a file under content/ is a page; any other file is named, not skipped silently."""
    if path.suffix in PAGE_SUFFIXES:
        return True
    if is_editor_temp(path.name):  # about.md~ while about.md is open: not the editor's doing
        return False
    rel = folders.relative(path)
    if path.suffix.lower() in PAGE_SUFFIXES:
        problems.error(rel, None, f"pages end in lowercase {path.suffix.lower()}; "
                       f"rename it to {path.stem}{path.suffix.lower()}")
    elif any(suffix.lower() in PAGE_SUFFIXES for suffix in path.suffixes[:-1]):
        page = path.name[: -len(path.suffix)]
        problems.warning(rel, None, f"this file ends in {path.suffix}, so it is not a page and "
                         f"is not published; rename it to {page}")
    else:
        problems.warning(rel, None, "this file is not a page (those end in .md) and is not "
                         "published; pictures and documents go in assets/")
    return False


def _content_type_of(path: Path, folders: SiteFolders, types: dict[str, ContentType]
                     ) -> ContentType | None:
    parts = path.relative_to(folders.content).parts
    if len(parts) == 1:
        return types["home"] if split_language(path.stem)[0] == "_index" else types["page"]
    if len(parts) == 2:
        return next((t for t in types.values() if t.folder == parts[0]), None)
    return None


def read_sources(folders: SiteFolders, types: dict[str, ContentType], problems: Problems,
                 parses: Parses | None = None) -> Sources:
    """Read every content and data file of the site, in a stable order; `types` are the
    site's content kinds (see site_schema), which say what each folder holds. `parses`
    keeps what each file's text parsed to, for the next build of a long-lived process."""
    forget_folders()
    sources = Sources()
    if not folders.content.is_dir():
        problems.error("content", None, "the site has no content/ folder")
    else:
        for path in sorted(folders.content.rglob("*")):
            if any(part.startswith(".") for part in path.relative_to(folders.content).parts):
                continue  # editors' lock and backup files (.#about.md), hidden folders
            if path.is_dir() or not _is_page(path, folders, problems):
                continue
            type_ = _content_type_of(path, folders, types)
            if type_ is None:
                known = ", ".join(f"content/{t.folder}/" for t in types.values() if t.folder)
                problems.error(folders.relative(path), None,
                               f"this folder is not a section of the site; use one of {known}, "
                               "or content/ itself for plain pages")
                continue
            source = read_content_file(path, folders, type_, problems, parses)
            if source is None:
                continue
            if source.language:
                sources.suffixed.append(source)
            elif type_.name == HOME.name:
                sources.home = source
            else:
                sources.pages.append(source)
    for name in DATA_FILES:
        path = folders.data / f"{name}.yaml"
        rel = folders.relative(path)
        sources.data_paths[name] = rel
        if not path.is_file():
            if DATA_FILES[name].required:
                problems.error(rel, None, f"the site needs data/{name}.yaml")
            continue
        text = read_text(path, rel, problems, folders)
        if text is not None and not text.strip():
            problems.error(rel, 1, f"the file is empty; see docs/reference.md for what "
                           f"data/{name}.yaml holds")
        elif text is not None:
            sources.data[name] = parse(text, rel, problems, parses)
    sources.i18n = read_i18n(folders, problems, parses)
    for layouts in folders.layered("layouts"):
        for path in sorted(layouts.rglob("*")):
            if path.is_file() and not folders.contains(path):
                problems.error(folders.relative(path), None, LINK_OUTSIDE)
    return sources


def read_i18n(folders: SiteFolders, problems: Problems, parses: Parses | None = None
              ) -> dict[str, dict[str, Any]]:
    """The interface phrases per language: the theme's, overlaid by the site's."""
    phrases: dict[str, dict[str, Any]] = {}
    for data_folder in reversed(folders.layered("data")):
        for path in sorted((data_folder / "i18n").glob("*.yaml")):
            rel = folders.relative(path)
            text = read_text(path, rel, problems, folders)
            value = parse(text, rel, problems, parses) if text is not None else None
            if value is None:
                continue
            if not isinstance(value, dict):
                problems.error(rel, 1, "an i18n file maps phrase keys to text")
                continue
            known = phrases.get(path.stem, {})
            check_phrase_file(value, rel, path.stem, known.get("locale"), problems)
            phrases.setdefault(path.stem, {}).update(value)
    return phrases


PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def check_phrase_file(table: dict[str, Any], rel: str, code: str, locale: str | None,
                      problems: Problems) -> None:
    """Warnings for a phrase file whose name is no language code, whose `locale` CLDR does
    not know, or whose plural phrases lack a form the language needs."""
    line_of = table.line_of if isinstance(table, LineDict) else (lambda key: None)
    normal, message = check_language(code)
    if message:
        problems.warning(rel, None, f"the file's name should be a language code: {message}")
        return
    if normal != code:
        problems.warning(rel, None, f"name the file {normal}.yaml, as the language is written "
                         "in site.yaml")
    if "locale" in table:
        locale, message = check_language(table["locale"])
        if message:
            problems.error(rel, line_of("locale"), f"'locale' (the CLDR locale of the dates): "
                           f"{message}")
            return
    needed = plural_categories(locale_of(str(locale or normal)))
    for key, value in table.items():
        if not isinstance(value, dict):
            if isinstance(value, list):
                problems.warning(rel, line_of(key), f"'{key}' is a list, but a phrase is a "
                                 "text, or a mapping of plural forms (one:, other:...)")
            continue
        unknown = [str(c) for c in value if c not in PLURAL_CATEGORIES]
        if unknown:
            problems.warning(rel, line_of(key), f"'{key}' has the plural form "
                             f"'{unknown[0]}'{did_you_mean(unknown[0], needed)}, which is not "
                             f"a CLDR category; {language_name(normal)} uses "
                             f"{', '.join(needed)}")
        lacking = [c for c in needed if c not in value]
        if lacking:
            problems.warning(rel, line_of(key), f"'{key}' lacks the plural form"
                             f"{'s' if len(lacking) > 1 else ''} {', '.join(lacking)}, which "
                             f"{language_name(normal)} needs (it uses {', '.join(needed)}); "
                             "a count that needs one shows the 'other' form")


def plural_categories(locale: Any) -> tuple[str, ...]:
    """The plural categories a language needs, in CLDR's order: ("one", "other")."""
    tags = set(locale.plural_form.tags) | {"other"}
    return tuple(category for category in PLURAL_CATEGORIES if category in tags)
