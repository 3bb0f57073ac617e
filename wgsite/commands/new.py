"""`new`: a correctly named content file with its type's front-matter skeleton.

The skeleton comes from the schema, so every field the type accepts is shown
with its help text; required ones are filled in or left for the editor.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import yaml

from wgsite.content.schema import CONTENT_TYPES, ContentType, Field
from wgsite.problems import did_you_mean

_SKIPPED = {"title", "slug", "layout", "draft", "publish_date", "expiry_date", "aliases",
            "weight"}


class ScaffoldError(Exception):
    """The file cannot be created (it exists, or the title makes no file name)."""


def slugify(title: str) -> str:
    """An ASCII slug for a file name: "Västra Götaland: news" -> "vastra-gotaland-news"."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _yaml_value(value: object) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True,
                          width=10_000).strip().removesuffix("\n...").strip()


def _line(spec: Field, today: date, required: bool) -> str:
    if spec.name == "date":
        value = today.isoformat()
    elif spec.name == "start" and spec.kind == "datetime":
        value = f"{today.isoformat()}T09:00:00"
    elif spec.kind == "list":
        value = "[]"
    else:
        value = _yaml_value(spec.example if spec.example is not None else "")
    text = f"{spec.name}: {value}"
    if not required:
        text = "# " + text
    return f"{text:<48} # {'required: ' if required else ''}{spec.help}".rstrip()


def skeleton(type_: ContentType, title: str, today: date) -> str:
    """The text of a new file: front matter for every field, then a body hint."""
    lines = ["---", f"title: {_yaml_value(title)}"]
    for spec in type_.fields:
        if spec.name in _SKIPPED:
            continue
        lines.append(_line(spec, today, spec.required))
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
        file.write(skeleton(type_, title, today))
    return path


def run(site: Path, kind: str, title: str, today: date) -> int:
    """`new` as the command line runs it; the exit status."""
    import sys

    from wgsite.content.site_schema import read_site_schema
    from wgsite.folders import SiteFolders
    from wgsite.problems import Problems, report

    problems = Problems()
    types = read_site_schema(SiteFolders.at(site), problems)
    if problems.errors:
        report(problems)
        return 1
    try:
        path = new_content(site.resolve(), kind, title, today, types)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Created {path.relative_to(site.resolve()).as_posix()}", file=sys.stderr)
    return 0
