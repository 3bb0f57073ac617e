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


def new_content(site_root: Path, type_name: str, title: str, today: date,
                types: dict[str, ContentType] | None = None) -> Path:
    """Write a new content file of the kind `type_name` (`working-group`) and return its
    path; never overwrites."""
    kinds = {t.command: t for t in (types or CONTENT_TYPES).values() if t.name != "home"}
    if type_name not in kinds:
        raise ScaffoldError(f"there is no kind of content '{type_name}'; use one of: "
                            f"{', '.join(kinds)}{did_you_mean(type_name, kinds)}")
    type_ = kinds[type_name]
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"'{title}' gives no file name; use letters or digits in the title")
    name = f"{today.isoformat()}-{slug}.md" if type_.dated_file_names else f"{slug}.md"
    folder = site_root / "content" / type_.folder if type_.folder else site_root / "content"
    path = folder / name
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(site_root).as_posix()} exists already; "
                            "choose another title or edit that file")
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as file:
        file.write(skeleton(type_, title, today, site_root))
    return path


def run(site: Path, kind: str, title: str, today: date) -> int:
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
        path = new_content(site.resolve(), kind, title, today, types)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Created {path.relative_to(site.resolve()).as_posix()}, {DRAFT_NOTE}",
          file=sys.stderr)
    return 0
