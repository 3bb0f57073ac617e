"""The languages a site is published in, and which file translates which page.

data/site.yaml lists `languages` (the first is the default, served at the
root unless `default_language_in_url`); a site in one language says
`language` instead. A translation is a sibling file `<name>.<lang>.md`; for
the default language both `<name>.md` and `<name>.<default>.md` are the
original (Decap writes the suffix for every language). `translation_key`
pairs files whose names differ. A translation words its text itself and
takes its facts (dates, relations, status, images) from the original: see
`Field.words`.

Data files may give a text as a mapping of language to text; `in_language`
picks one language's text from the cleaned data, falling back to the
default language's with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from wgsite.content.language_codes import check_language
from wgsite.content.schema import ContentType, Field
from wgsite.content.validate import identity_key
from wgsite.content.sources import LANGUAGE_SUFFIX, SourceFile, split_language
from wgsite.content.yamlfile import LineDict, LineList
from wgsite.problems import Problems, did_you_mean



@dataclass(frozen=True)
class Languages:
    """The site's languages, the default first, and how their URLs are made."""

    codes: tuple[str, ...] = ("en",)
    in_url: bool = False  # the default language under /<code>/ too, and / a chooser
    own_only: frozenset[str] = frozenset()  # languages whose lists hide other languages' items

    @property
    def default(self) -> str:
        return self.codes[0]

    @property
    def several(self) -> bool:
        """Whether pages have translations, a switcher and alternates at all."""
        return len(self.codes) > 1

    def prefix(self, code: str) -> str:
        """The path segment a language's pages live under: "" or "fr"."""
        return "" if code == self.default and not self.in_url else code


def written_codes(listed: Any) -> list[str]:
    """The codes `languages` lists; `languages: en, fr`, which YAML reads as one text,
    gives the codes meant (site_languages says how to write it)."""
    items = [listed] if isinstance(listed, str) else list(listed or [])
    if len(items) == 1 and re.search(r"[,;\s]", str(items[0]).strip()):
        return [part for part in re.split(r"[,;\s]+", str(items[0])) if part]
    return [str(code) for code in items]


def site_languages(config: dict[str, Any], raw: Any, path: str, problems: Problems
                   ) -> Languages:
    """The languages data/site.yaml declares; mistakes are problems at their lines."""
    line_of = raw.line_of if isinstance(raw, LineDict) else (lambda key: None)
    listed = config.get("languages")
    single = config.get("language")
    if listed:
        codes = written_codes(listed)
        if codes != [str(code) for code in listed]:
            problems.error(path, line_of("languages"),
                           f"'languages' is '{listed[0]}', one text; write the codes as a "
                           f"list: languages: [{', '.join(codes)}]")
        if single and check_language(single)[0] != check_language(codes[0])[0]:
            problems.error(path, line_of("language"),
                           f"'language' is '{single}' but 'languages' starts with "
                           f"'{codes[0]}', the default language; remove 'language'")
    else:
        codes = [str(single or "en")]
    seen: list[str] = []
    lines = getattr(listed, "lines", None) or []
    for number, written in enumerate(codes):
        line = lines[number] if number < len(lines) else line_of("languages" if listed
                                                                else "language")
        code, message = check_language(written)
        if message:
            problems.error(path, line, f"'{'languages' if listed else 'language'}': {message}")
        elif code in seen:
            problems.error(path, line, f"'{code}' is listed twice in 'languages'")
        seen.append(code)
    codes = seen
    own_only = [check_language(code)[0] for code in config.get("own_language_only", [])]
    for code in own_only:
        if code not in codes:
            problems.error(path, line_of("own_language_only"),
                           f"'own_language_only' names '{code}', which is not one of the "
                           f"site's languages ({', '.join(codes)}){did_you_mean(code, codes)}")
    return Languages(tuple(dict.fromkeys(codes)), bool(config.get("default_language_in_url")),
                     frozenset(own_only))


@dataclass
class Translation:
    """One translation file, with the original it translates."""

    source: SourceFile
    original: SourceFile

    @property
    def language(self) -> str:
        return self.source.language


@dataclass
class Paired:
    """The site's pages sorted into originals (in the default language) and translations."""

    pages: list[SourceFile] = field(default_factory=list)
    home: SourceFile | None = None
    translations: list[Translation] = field(default_factory=list)


def pair_translations(pages: list[SourceFile], home: SourceFile | None,
                      suffixed: list[SourceFile], languages: Languages,
                      problems: Problems) -> Paired:
    """Which file is an original and which a translation of it; every mistake reported.

    `suffixed` are the files whose names end in .<lang>.md."""
    paired = Paired(list(pages), home)
    plain = {(s.type.name, _unsuffixed(s.path)): s for s in pages + ([home] if home else [])}
    waiting: list[SourceFile] = []
    for source in suffixed:
        code = source.language
        if code not in languages.codes:
            hint = did_you_mean(code, languages.codes)
            problems.error(source.path, None,
                           f"this file is a translation into '{code}' (the .{code} before "
                           f".md), but data/site.yaml does not list '{code}' among the site's "
                           f"languages ({', '.join(languages.codes)}){hint}")
        elif code == languages.default:
            other = plain.get((source.type.name, _unsuffixed(source.path)))
            if other is not None:
                problems.error(source.path, None,
                               f"this file and {other.path} are both the "
                               f"{languages.default} original of one page; keep one of them")
                continue
            source.language = ""
            plain[(source.type.name, _unsuffixed(source.path))] = source
            if source.type.name == "home":
                paired.home = source
            else:
                paired.pages.append(source)
        else:
            waiting.append(source)
    originals = list(plain.values())
    by_key: dict[tuple[str, str], SourceFile] = {}
    for source in originals:
        key = source.meta.get("translation_key")
        if isinstance(key, str) and key:
            first = by_key.setdefault((source.type.name, key), source)
            if first is not source:
                problems.error(source.path, source.meta.line_of("translation_key"),
                               f"the translation_key '{key}' is also {first.path}'s; each "
                               "page has its own")
    taken: dict[tuple[int, str], SourceFile] = {}
    for source in waiting:
        key = source.meta.get("translation_key")
        if isinstance(key, str) and key:
            original = by_key.get((source.type.name, key))
            if original is None:
                problems.error(source.path, source.meta.line_of("translation_key"),
                               f"no page in the default language ({languages.default}) has "
                               f"the translation_key '{key}'; give the original the same key")
                continue
        else:
            original = plain.get((source.type.name, _unsuffixed(source.path)))
            if original is None:
                name = _unsuffixed(source.path)
                problems.error(source.path, None,
                               f"this is a translation into '{source.language}', but its "
                               f"original {name}.md (or {name}.{languages.default}.md) does "
                               "not exist; write the original first, or give both the same "
                               "translation_key")
                continue
        first = taken.setdefault((id(original), source.language), source)
        if first is not source:
            problems.error(source.path, None,
                           f"{first.path} already translates {original.path} into "
                           f"'{source.language}'; keep one of them")
            continue
        source.file_slug, source.file_date = original.file_slug, original.file_date
        source.file_date_text = original.file_date_text
        paired.translations.append(Translation(source, original))
    return paired


def _unsuffixed(path: str) -> str:
    """content/about.fr.md -> content/about; content/about.md -> content/about."""
    stem = path.rsplit(".", 1)[0]
    return split_language(stem)[0]


def translation_fields(type_: ContentType) -> tuple[Field, ...]:
    """What a translation's own front matter is checked against: every field, but facts
    are never required, at any depth (they come from the original: a translated
    meeting gives its title and its id, not its time again)."""
    return tuple(_relaxed(f) for f in type_.fields)


def _relaxed(spec: Field) -> Field:
    if spec.kind == "object":
        spec = replace(spec, fields=tuple(_relaxed(f) for f in spec.fields))
    elif spec.kind == "list" and spec.item is not None:
        spec = replace(spec, item=_relaxed(spec.item))
    return spec if spec.words else replace(spec, required=False)


def merge_translation(translation: Translation, own: dict[str, Any],
                      original: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """The values a translation's page has: its own words, the original's facts (and words
    it does not give); a fact it sets differently is a warning at its line."""
    source = translation.source
    merged: dict[str, Any] = {}
    for spec in source.type.fields:
        name = spec.name
        if spec.words and name in own and _mixed_items(spec):
            merged[name] = _merge_items(spec, own[name], original.get(name, []), translation,
                                        problems)
        elif spec.words and name in own:
            merged[name] = own[name]
        elif name in original:
            merged[name] = original[name]
        if not spec.words and name in own and name in original \
                and own[name] != original[name]:
            problems.warning(source.path, source.meta.line_of(name),
                             f"'{name}' is a fact that translations take from the original "
                             f"({translation.original.path} says {_shown(original[name])}); "
                             f"this file's {_shown(own[name])} is not used: remove it")
        elif not spec.words and name in own and name not in original:
            problems.warning(source.path, source.meta.line_of(name),
                             f"'{name}' is a fact that translations take from the original, "
                             f"which does not set it; set it in {translation.original.path}")
    for name, value in own.items():
        if name not in merged and source.type.field(name) is None:
            merged[name] = value  # unknown keys were reported by validation
    return merged


def _mixed_items(spec: Field) -> bool:
    """Whether `spec` is a list of objects holding both words and facts (a group's texts
    under its priorities, its meetings): its items are translated one by one."""
    item = spec.item
    return spec.kind == "list" and item is not None and item.kind == "object" \
        and any(not f.words for f in item.fields) and identity_key(item) is not None


def _merge_items(spec: Field, own: list, original: list, translation: Translation,
                 problems: Problems) -> LineList:
    """A translated list of objects: the original's items, in its order, each with the
    words the translation gives for it (found by its id or its priority); a fact set
    differently, or an item the original does not have, is a warning at its line."""
    key = identity_key(spec.item)
    source, path = translation.source, translation.original.path
    given: dict[Any, dict] = {}
    for index, item in enumerate(own):
        line = own.line_of(index) if isinstance(own, LineList) else None
        ident = item.get(key) if isinstance(item, dict) else None
        if ident is None:
            problems.warning(source.path, line,
                             f"this item of '{spec.name}' has no '{key}', so it translates "
                             f"none of the original's: give the {key} of the one it words")
            continue
        other = next((o for o in original if isinstance(o, dict) and o.get(key) == ident),
                     None)
        if other is None:
            problems.warning(source.path, line,
                             f"'{spec.name}' gives the {key} '{ident}', which {path} does "
                             f"not have; a translation only words the original's items: "
                             f"add it to the original first")
            continue
        given[ident] = item
        for field_spec in spec.item.fields:
            name = field_spec.name
            if not field_spec.words and name in item and item[name] != other.get(name):
                at = item.line_of(name) if isinstance(item, LineDict) else line
                problems.warning(source.path, at,
                                 f"'{spec.name}.{name}' is a fact that translations take "
                                 f"from the original ({path} says {_shown(other.get(name))} "
                                 f"for {key} '{ident}'); this file's {_shown(item[name])} "
                                 "is not used: remove it")
    merged = LineList()
    merged.line = getattr(original, "line", 0)
    for other in original:
        mine = given.get(other.get(key)) if isinstance(other, dict) else None
        if mine is None:
            merged.append(other)  # not translated: shown as the original words it
            continue
        item = LineDict(other)
        item.line = getattr(mine, "line", 0)
        item.lines = dict(getattr(other, "lines", {}))
        for field_spec in spec.item.fields:
            if field_spec.words and field_spec.name in mine:
                item[field_spec.name] = mine[field_spec.name]
        merged.append(item)
    return merged


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "nothing"
    return str(value)


# -- data in several languages ------------------------------------------------

def is_translated_text(value: Any) -> bool:
    """Whether a data value is a mapping of language to text ({en: ..., fr: ...})."""
    return isinstance(value, dict) and bool(value) and all(
        isinstance(k, str) and LANGUAGE_SUFFIX.match(k) for k in value)


class DataLanguages:
    """Picks one language's text out of data values, reporting each missing text once."""

    def __init__(self, languages: Languages, problems: Problems, paths: dict[str, str]):
        self.languages, self.problems, self.paths = languages, problems, paths
        self.reported: set[tuple[str, int | None, str]] = set()

    def pick(self, name: str, value: Any, declaration: Field, code: str) -> Any:
        """`value` of data/`name`.yaml, as `declaration` declares it, in language `code`."""
        return self._pick(name, value, declaration, code, "")

    def _pick(self, name: str, value: Any, spec: Field, code: str, where: str) -> Any:
        if spec.kind in ("string", "text", "markdown") and isinstance(value, dict):
            return self._text(name, value, code, where or spec.name)
        if spec.kind == "list" and isinstance(value, list) and spec.item is not None:
            picked = LineList([self._pick(name, item, spec.item, code, where or spec.name)
                               for item in value])
            picked.line = getattr(value, "line", None)
            picked.lines = getattr(value, "lines", [])
            return picked
        if spec.kind == "object" and isinstance(value, dict):
            picked = LineDict()
            picked.line = getattr(value, "line", None)
            picked.lines = dict(getattr(value, "lines", {}))
            for key, item in value.items():
                inner = spec.field(key)
                inside = f"{where}.{key}" if where else str(key)
                picked[key] = self._pick(name, item, inner, code, inside) if inner else item
            return picked
        return value

    def _text(self, name: str, value: dict, code: str, key: str) -> Any:
        if code in value:
            return value[code]
        default = self.languages.default
        line = value.line_of(code) if isinstance(value, LineDict) else None
        line = line or getattr(value, "line", None)
        if (name, line, code) not in self.reported:
            self.reported.add((name, line, code))
            self.problems.warning(self.paths.get(name, f"data/{name}.yaml"), line,
                                  f"'{key}' has no text in '{code}'; pages in that language "
                                  f"show the {default} text: add `{code}: ...`")
        return value.get(default, next(iter(value.values())))


def data_in_language(data: dict[str, Any], declarations: dict[str, Field],
                     picker: DataLanguages, code: str) -> dict[str, Any]:
    """Every data file's cleaned value in language `code`."""
    return {name: picker.pick(name, value, declarations[name], code)
            for name, value in data.items() if name in declarations}

