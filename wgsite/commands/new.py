"""`new`: a correctly named content file with its type's front-matter skeleton.

The skeleton comes from the schema, so every field the type accepts is shown
with its help text on a line of its own (a comment after a value would become
part of it, or be refused); required ones are filled in, optional ones shown
commented out in the shape they take. A new file is a draft, so an empty
placeholder never reaches the published site; every skeleton builds as written.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import frontmatter
import yaml
from slugify import slugify as _transliterate

from wgsite.content.schema import CONTENT_TYPES, ContentType, Field
from wgsite.problems import did_you_mean

_SKIPPED = {"title", "slug", "layout", "draft", "publish_date", "expiry_date", "aliases",
            "weight"}
MAX_SLUG = 80  # a file name stays well under every file system's limit
DRAFT_NOTE = "a draft: `serve` shows it; delete its line 'draft: true' to publish it"
_DATA_IDS = {"organisation": ("organisations.yaml", None), "action_type": ("action_types.yaml", None),
             "person": ("people.yaml", None),
             "priority": ("priorities.yaml", "items")}

class ScaffoldError(Exception):
    """The file cannot be created (it exists, or the title makes no file name)."""


def slugify(title: str) -> str:
    """An ASCII slug for a file name, transliterated from any script and cut at a word:
    "Västra Götaland: news" -> "vastra-gotaland-news", "Ελληνικά μαθήματα" -> "ellenika-mathemata"."""
    return _transliterate(title, max_length=MAX_SLUG, word_boundary=True, save_order=True)


def _yaml_value(value: object) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True,
                          width=10_000).strip().removesuffix("\n...").strip()


def _block(name: str, value: object) -> list[str]:
    """`name: value` in block style, as an editor would write a list of mappings."""
    text = yaml.safe_dump({name: value}, default_flow_style=False, allow_unicode=True,
                          sort_keys=False, width=10_000)
    return text.rstrip("\n").split("\n")


def _site_facts(site_root: Path) -> tuple[ZoneInfo | None, dict[str, list]]:
    """The site's time zone and the ids its data files declare, read leniently: a
    broken file only means the skeleton falls back to the schema's examples."""
    def load(name: str) -> object:
        try:
            return yaml.safe_load((site_root / "data" / name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return None

    site = load("site.yaml")
    zone = None
    if isinstance(site, dict) and isinstance(site.get("timezone"), str):
        try:
            zone = ZoneInfo(site["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            zone = None
    ids: dict[str, list] = {}
    for target, (name, inside) in _DATA_IDS.items():
        items = load(name)
        items = items.get(inside) if inside and isinstance(items, dict) else items
        key = "number" if target == "priority" else "id"
        ids[target] = [i[key] for i in items or [] if isinstance(i, dict) and key in i] \
            if isinstance(items, list) else []
    for type_ in CONTENT_TYPES.values():
        if type_.folder:
            folder = site_root / "content" / type_.folder
            ids[type_.name] = sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []
    return zone, ids


def _value(spec: Field, today: date, zone: ZoneInfo | None, ids: dict[str, list]) -> object:
    """What the skeleton writes for a field: a real id where one exists, else the example."""
    if spec.name == "date":
        return today.isoformat()
    if spec.kind == "datetime" and spec.name in ("start", "end"):
        hour = time(9 if spec.name == "start" else 17)
        moment = datetime.combine(today, hour, tzinfo=zone or ZoneInfo("UTC"))
        return moment.isoformat()
    if spec.kind == "list" and spec.item is not None and spec.item.kind == "relation":
        known = ids.get(spec.item.target) or []
        return known[:1] or spec.example or []
    if spec.kind == "relation":
        known = ids.get(spec.target) or []
        return known[0] if known else spec.example
    if spec.kind == "object" and spec.example is None:
        return {f.name: _value(f, today, zone, ids) for f in spec.fields if f.example is not None}
    if spec.kind == "list" and spec.item is not None and spec.item.kind == "object":
        relations = {f.name: f for f in spec.item.fields if f.kind == "relation"}
        return [{key: _value(relations[key], today, zone, ids) if key in relations else value
                 for key, value in item.items()} for item in spec.example or []]
    return spec.example if spec.example is not None else ""


def _lines(spec: Field, today: date, zone: ZoneInfo | None, ids: dict[str, list]) -> list[str]:
    help_text = spec.help or spec.name
    lines = [f"# {help_text}{' (required)' if spec.required else ''}"]
    value = _value(spec, today, zone, ids)
    if spec.kind in ("list", "object") and (isinstance(value, dict) or (
            isinstance(value, list) and value and isinstance(value[0], dict))):
        body = _block(spec.name, value)
    elif spec.kind in ("date", "datetime"):  # as an editor types it, unquoted
        body = [f"{spec.name}: {value}"]
    else:
        body = [f"{spec.name}: {_yaml_value(value)}"]
    if not spec.required:
        body = ["# " + line for line in body]
    return lines + body


def skeleton(type_: ContentType, title: str, today: date, site_root: Path | None = None) -> str:
    """The text of a new file: a draft's front matter for every field, then a body hint."""
    zone, ids = _site_facts(site_root) if site_root else (None, {})
    lines = ["---", f"title: {_yaml_value(title)}",
             "# true keeps the page out of the published site: delete this line to publish it",
             "draft: true"]
    for spec in type_.fields:
        if spec.name in _SKIPPED:
            continue
        if spec.kind == "image":
            spec = Field(spec.name, spec.kind, spec.required, spec.help,
                         f"images/{type_.folder or 'pages'}/picture.jpg")
        lines += _lines(spec, today, zone, ids)
    lines += ["---", "", f"<!-- {type_.body_help} Write it in Markdown. -->", ""]
    return "\n".join(lines)


def _kinds(types: dict[str, ContentType] | None) -> dict[str, ContentType]:
    return {t.command: t for t in (types or CONTENT_TYPES).values() if t.name != "home"}


def _kind(type_name: str, kinds: dict[str, ContentType]) -> ContentType:
    if type_name not in kinds:
        raise ScaffoldError(f"there is no kind of content '{type_name}'; use one of: "
                            f"{', '.join(kinds)}{did_you_mean(type_name, kinds)}")
    return kinds[type_name]


def site_languages(site_root: Path) -> list[str]:
    """The site's languages from data/site.yaml, the default first (read leniently: a
    broken file is the build's to report)."""
    try:
        site = yaml.safe_load((site_root / "data" / "site.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    if not isinstance(site, dict):
        return []
    if isinstance(site.get("languages"), list):
        return [str(code) for code in site["languages"]]
    return [str(site["language"])] if site.get("language") else []


def _check_language(site_root: Path, lang: str) -> list[str]:
    languages = site_languages(site_root)
    if len(languages) < 2:
        raise ScaffoldError(f"--lang {lang}: the site is in one language; list its languages "
                            "in data/site.yaml first, e.g. 'languages: [en, fr]'")
    if lang not in languages:
        raise ScaffoldError(f"--lang {lang}: the site's languages are {', '.join(languages)} "
                            f"(data/site.yaml){did_you_mean(lang, languages)}")
    if lang == languages[0]:
        raise ScaffoldError(f"--lang {lang}: {lang} is the site's default language, which "
                            "a page is written in without --lang; --lang names the language "
                            "of a translation")
    return languages


def new_content(site_root: Path, type_name: str, title: str, today: date,
                types: dict[str, ContentType] | None = None, lang: str | None = None) -> Path:
    """Write a new content file of the kind `type_name` (`working-group`) and return its
    path; never overwrites. `lang` (not the default language) is an error that says how
    to write a translation: a page in another language translates an original."""
    type_ = _kind(type_name, _kinds(types))
    if lang is not None:
        _check_language(site_root, lang)
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"'{title}' gives no file name; use letters or digits in the title")
    stem = f"{today.isoformat()}-{slug}" if type_.dated_file_names else slug
    name = f"{stem}.{lang}.md" if lang else f"{stem}.md"
    folder = site_root / "content" / type_.folder if type_.folder else site_root / "content"
    path = folder / name
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(site_root).as_posix()} exists already; "
                            "choose another title or edit that file")
    if lang and (folder / f"{stem}.md").exists():
        original = (folder / f"{stem}.md").relative_to(site_root).as_posix()
        raise ScaffoldError(f"{original} exists: to translate it, add --translation-of "
                            f"{original}")
    if lang:  # a translation needs its original, which the build would ask for
        default = site_languages(site_root)[0]
        raise ScaffoldError(f"--lang {lang}: every page is first written in the default "
                            f"language ({default}), and a page in {lang} translates one; "
                            f"write it with `new {type_.command} \"{title}\"`, then its "
                            f"translation with --lang {lang} --translation-of <that file>")
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as file:
        file.write(skeleton(type_, title, today, site_root))
    return path


class _Literal(yaml.SafeDumper):
    """Text over several lines (Markdown) as a block, as an editor writes it."""


_Literal.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def _original(site_root: Path, given: Path) -> Path:
    for candidate in ([given] if given.is_absolute() else [site_root / given, given.resolve()]):
        if candidate.is_file():
            return candidate.resolve()
    raise ScaffoldError(f"--translation-of {given.as_posix()}: there is no such file; name "
                        "the original as content/<folder>/<name>.md")


def translation_skeleton(type_: ContentType, title: str, meta: dict, body: str,
                         lang: str, original: str) -> str:
    """A translation's text: its title, the original's words to translate (the other
    fields come from the original), and the original's text."""
    lines = ["---", f"# The translation into {lang} of {original}.",
             "# Translate each value below and the text; the other fields (dates, groups,",
             "# pictures...) come from the original.",
             f"title: {_yaml_value(title)}",
             "# true keeps this translation out of the published site: delete this line to "
             "publish it",
             "draft: true"]
    for spec in type_.fields:
        if spec.name == "title" or not spec.words or spec.name not in meta:
            continue
        if spec.help:
            lines.append(f"# {spec.help}")
        text = yaml.dump({spec.name: meta[spec.name]}, Dumper=_Literal, sort_keys=False,
                         allow_unicode=True, default_flow_style=False, width=10_000)
        lines += text.rstrip("\n").split("\n")
    lines += ["---", ""]
    return "\n".join(lines) + (body.strip("\n") + "\n" if body.strip() else
                                f"<!-- {type_.body_help} Write it in Markdown. -->\n")


def new_translation(site_root: Path, type_name: str, title: str, lang: str, of: Path,
                    types: dict[str, ContentType] | None = None) -> Path:
    """Write the translation into `lang` of the file `of`, beside it: `x.md` ->
    `x.<lang>.md`, with the words to translate only; never overwrites."""
    kinds = _kinds(types)
    type_ = _kind(type_name, kinds)
    languages = _check_language(site_root, lang)
    original = _original(site_root, of)
    content = (site_root / "content").resolve()
    if not original.is_relative_to(content) or original.suffix != ".md":
        raise ScaffoldError(f"--translation-of {of.as_posix()}: a translation is of a "
                            "Markdown file in content/")
    shown = original.relative_to(site_root.resolve()).as_posix()
    folder = original.parent.relative_to(content).as_posix()
    folder = "" if folder == "." else folder
    if folder != type_.folder:
        other = next((t for t in kinds.values() if t.folder == folder), None)
        what = (f"a {other.singular.lower()}, not a {type_.singular.lower()}; use `new "
                f"{other.command} \"{title}\" --lang {lang} --translation-of {shown}`"
                if other else f"not a {type_.singular.lower()}")
        raise ScaffoldError(f"--translation-of {shown}: it is {what}")
    stem, _, code = original.stem.rpartition(".")
    if not stem or code not in languages:
        stem = original.stem
    elif code != languages[0]:
        raise ScaffoldError(f"--translation-of {shown}: it is the translation into {code}; "
                            f"name the original, {shown.replace(f'.{code}.md', '.md')}")
    path = original.parent / f"{stem}.{lang}.md"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(site_root.resolve()).as_posix()} exists "
                            "already: the page has its translation into "
                            f"{lang}; edit that file")
    try:
        post = frontmatter.loads(original.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError, ValueError) as exc:
        raise ScaffoldError(f"{shown}: its front matter cannot be read ({exc}); `check` "
                            "says where") from None
    meta = post.metadata if isinstance(post.metadata, dict) else {}
    with path.open("x", encoding="utf-8", newline="\n") as file:
        file.write(translation_skeleton(type_, title, meta, post.content, lang, shown))
    return path


def run(site: Path, kind: str, title: str, today: date, lang: str | None = None,
        translation_of: Path | None = None) -> int:
    """`new` as the command line runs it; the exit status."""
    import sys

    from wgsite.content.site_schema import read_site_schema
    from wgsite.folders import SiteFolders
    from wgsite.problems import Problems, report

    problems = Problems()
    types = read_site_schema(SiteFolders.at(site), problems).kinds
    if problems.errors:
        report(problems)
        return 1
    try:
        if translation_of is not None:
            if lang is None:
                raise ScaffoldError("--translation-of needs --lang, the language of the "
                                    "translation")
            path = new_translation(site.resolve(), kind, title, lang, translation_of, types)
        else:
            path = new_content(site.resolve(), kind, title, today, types, lang)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Created {path.relative_to(site.resolve()).as_posix()}, {DRAFT_NOTE}",
          file=sys.stderr)
    return 0
