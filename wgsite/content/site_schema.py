"""A site's own additions to the schema: data/schema.yaml.

A site may add fields to a content type, or change a built-in field's
declaration (make `summary` required, say), without touching the engine:

    news:
      - name: subtitle
        kind: string
        help: A line under the title.
      - name: summary
        required: true

and it may declare content kinds of its own, which get everything the
engine's kinds get (a folder, item pages, a paginated list, relations both
ways, search, the CMS, `new`, the reference):

    kinds:
      - name: publication
        title: Publications
        singular: Publication
        fields:
          - name: working_groups
            kind: list
            item: relation
            target: working_group

The file is checked like every other data file; the merged declarations then
drive everything that the kinds drive. Values of added fields reach templates
as `page.extra.<name>`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timezone
from typing import TYPE_CHECKING, Any

from wgsite.problems import Problems, did_you_mean
from wgsite.urls import PATTERNS
from wgsite.content.schema import (COMMON_FIELDS, CONTENT_TYPES, DATA_FILES, HOME, ContentType,
                                   Field, data_entry)
from wgsite.content.sources import read_text
from wgsite.content.validate import Relations, Validator
from wgsite.content.yamlfile import load_yaml

if TYPE_CHECKING:
    from wgsite.folders import SiteFolders

KINDS = ("string", "text", "markdown", "bool", "int", "date", "datetime", "url", "email",
         "slug", "site_path", "image", "file", "choice", "relation", "list")
# What a relation may name besides the content kinds: the records of data/.
DATA_TARGETS = ("organisation", "priority", "action_type", "person")

FIELD_DECLARATION = Field("field", "object", fields=(
    Field("name", "key", True, "The key, in snake_case.", "subtitle"),
    Field("kind", "choice", help="What it holds.", choices=KINDS, example="string"),
    Field("required", "bool", help="Whether every page must have it.", example=False),
    Field("help", "string", help="What editors should write.", example="A line under the title."),
    Field("example", "string", help="An example value for `new` and the guide.",
          example="A line under the title"),
    Field("choices", "list", help="The allowed values, for kind choice.", example=["a", "b"],
          item=Field("choice", "string")),
    Field("target", "key", help="What a relation names: a content kind (working_group, "
          "news, project, event, page or a kind of the site's own), organisation, priority, "
          "action_type or person.", example="project"),
    Field("item", "choice", help="What a list holds.", choices=KINDS, example="string"),
))
KIND_DECLARATION = Field("kind", "object", fields=(
    Field("name", "key", True, "The kind's name, in snake_case and in the singular; "
          "relations name it as their target.", "publication"),
    Field("folder", "slug", help="Its folder under content/ (default: the name in the "
          "plural, with hyphens).", example="publications"),
    Field("title", "string", True, "What its list is called.", "Publications"),
    Field("singular", "string", True, "What one item is called.", "Publication"),
    Field("dated", "bool", help="true names its files YYYY-MM-DD-slug.md and requires a "
          "date, as news does.", example=False),
    Field("page_size", "int", help="Items per page of its list (default: all on one page).",
          example=10),
    Field("help", "string", help="What the text below the front matter holds.",
          example="What the publication says, in a few paragraphs."),
    Field("fields", "list", help="Its fields besides the common ones (title, date, "
          "summary, tags...).", item=FIELD_DECLARATION),
))
SCHEMA_FILE = Field("schema", "object", fields=(
    *(Field(name, "list", help=f"Fields of {name.replace('_', ' ')} pages.",
            item=FIELD_DECLARATION) for name in (*CONTENT_TYPES, "home")),
    Field("kinds", "list", help="Content kinds of the site's own.", item=KIND_DECLARATION),
    Field("data", "object", help="Fields added to the entries of the data files.", fields=tuple(
        Field(name, "list", help=f"Fields of each entry of data/{name}.yaml"
              + (" (its top-level keys)." if name == "site" else "."), item=FIELD_DECLARATION)
        for name in DATA_FILES)),
))


@dataclass(frozen=True)
class SiteSchema:
    """What a site's files may hold: its content kinds, and its data files' declarations."""

    kinds: dict[str, ContentType]
    data_files: dict[str, Field]


def _field(spec: dict[str, Any], base: Field | None, path: str, line: int,
           problems: Problems, targets: tuple[str, ...]) -> Field | None:
    kind = spec.get("kind", base.kind if base else "string")
    target = spec.get("target")
    if target is not None and target not in targets:
        problems.error(path, line, f"'{spec['name']}' names the target '{target}', which is "
                       f"not a kind of record; use one of: {', '.join(targets)}"
                       f"{did_you_mean(target, targets)}")
        return None
    if base is not None and kind != base.kind:
        # the engine reads a built-in field as its own kind (dates sort, ids are keys)
        what = base.kind if base.kind in ("list", "object") else f"{base.kind} field"
        problems.error(path, line, f"'{spec['name']}' is a built-in {what}; only its "
                       "'required', 'help' and 'example' can change")
        return None
    if kind == "choice" and not spec.get("choices", base.choices if base else ()):
        problems.error(path, line, f"'{spec['name']}' is a choice; list its 'choices'")
        return None
    if kind == "relation" and not spec.get("target", base.target if base else ""):
        problems.error(path, line, f"'{spec['name']}' is a relation; name its 'target'")
        return None
    item = base.item if base else None
    if kind == "list" and "item" in spec:
        item = Field(spec["name"], spec["item"], target=spec.get("target", ""),
                     choices=tuple(spec.get("choices", ())))
        if spec["item"] == "relation" and not spec.get("target"):
            problems.error(path, line, f"'{spec['name']}' lists relations; name their 'target'")
            return None
    elif kind == "list" and item is None:
        item = Field(spec["name"], "string")
    changes = {key: spec[key] for key in ("required", "help", "example", "target") if key in spec}
    if "choices" in spec:
        changes["choices"] = tuple(spec["choices"])
    if base is not None:
        return replace(base, kind=kind, item=item, **changes)
    return Field(spec["name"], kind, item=item, **changes)


def extend(types: dict[str, ContentType], declared: dict[str, Any], path: str,
           problems: Problems) -> dict[str, ContentType]:
    """The content types with a site's declarations merged in (checked values of
    schema.yaml, which keep their lines)."""
    merged = dict(types)
    kinds = declared.get("kinds", [])
    for index, spec in enumerate(kinds):
        kind = _kind(spec, merged, path, _line(kinds, index), problems)
        if kind is not None:
            merged[kind.name] = kind
    targets = relation_targets(merged)
    for spec in kinds:
        if spec.get("name") in merged and not merged[spec["name"]].builtin:
            merged[spec["name"]] = _with_fields(merged[spec["name"]], spec.get("fields", []),
                                                path, problems, targets)
    for type_name, specs in declared.items():
        if type_name not in ("kinds", "data"):
            merged[type_name] = _with_fields(merged[type_name], specs, path, problems, targets)
    return merged


def relation_targets(types: dict[str, ContentType]) -> tuple[str, ...]:
    """What a relation may name: every content kind but the home page, and data records."""
    return (*(name for name in types if name != "home"), *DATA_TARGETS)


def extend_data(declared: dict[str, Any], targets: tuple[str, ...], path: str,
                problems: Problems) -> dict[str, Field]:
    """The data files' declarations with the fields a site adds to their entries."""
    merged = dict(DATA_FILES)
    for name, specs in declared.get("data", {}).items():
        file = merged[name]
        entry = data_entry(name, file)
        fields = _merged_fields(entry.fields, specs, path, problems, targets)
        entry = replace(entry, fields=fields)
        if name == "site" or file.kind == "list":
            merged[name] = entry if name == "site" else replace(file, item=entry)
        else:  # priorities: the entries are its items
            items = replace(file.field("items"), item=entry)
            merged[name] = replace(file, fields=tuple(
                items if f.name == "items" else f for f in file.fields))
    return merged


def _line(values: Any, index: int) -> int:
    return values.line_of(index) if hasattr(values, "line_of") else 1


def _with_fields(type_: ContentType, specs: list[dict[str, Any]], path: str,
                 problems: Problems, targets: tuple[str, ...]) -> ContentType:
    """`type_` with the fields `specs` declares added, or changing its own."""
    return replace(type_, fields=_merged_fields(type_.fields, specs, path, problems, targets))


def _merged_fields(fields: tuple[Field, ...], specs: list[dict[str, Any]], path: str,
                   problems: Problems, targets: tuple[str, ...]) -> tuple[Field, ...]:
    result = list(fields)
    for index, spec in enumerate(specs):
        if "name" not in spec:  # already reported
            continue
        position = next((i for i, f in enumerate(result) if f.name == spec["name"]), None)
        base = result[position] if position is not None else None
        new = _field(spec, base, path, _line(specs, index), problems, targets)
        if new is None:
            continue
        if position is None:
            result.append(new)
        else:
            result[position] = new
    return tuple(result)


def _kind(spec: dict[str, Any], types: dict[str, ContentType], path: str, line: int,
          problems: Problems) -> ContentType | None:
    """A content kind a site declares, with the common fields; None when it cannot be one."""
    if "name" not in spec or "title" not in spec or "singular" not in spec:
        return None  # already reported
    name = spec["name"]
    folder = spec.get("folder", name.replace("_", "-") + "s")
    taken = {t.folder: t.name for t in types.values() if t.folder}
    # route names (url_for) that a kind's item or list would take over
    routes = {*PATTERNS, *(t.name for t in types.values()),
              *(t.list_route for t in types.values() if t.list_route),
              *(t.collection for t in types.values())}
    if name in types or name in DATA_TARGETS or name in ("kinds", "data") or name in routes:
        problems.error(path, line, f"there is already a kind '{name}'; give yours another name")
        return None
    if folder in taken:
        problems.error(path, line, f"content/{folder}/ already holds {taken[folder]} pages; "
                       "set another 'folder'")
        return None
    plural = folder.replace("-", "_")
    if plural in routes or plural == name:
        problems.error(path, line, f"the list /{folder}/ is taken; set another 'folder'")
        return None
    if spec.get("page_size", 1) < 1:
        problems.error(path, line, f"'page_size' is {spec['page_size']}; give how many items "
                       "a page of the list shows (1 or more), or leave it out for one page")
        return None
    common = COMMON_FIELDS
    if spec.get("dated"):
        common = tuple(replace(f, required=True) if f.name == "date" else f for f in common)
    return ContentType(
        name, folder, f"/{folder}/{{slug}}/", common, plural=plural, title=spec["title"],
        singular=spec["singular"], list_url=f"/{folder}/", list_route=plural,
        page_size=plural if spec.get("page_size") else "",
        default_page_size=spec.get("page_size", 0), dated_file_names=bool(spec.get("dated")),
        body_help=spec.get("help", ""), builtin=False)


def builtin_names(type_name: str) -> set[str]:
    """The keys the engine itself knows for a type; the rest are a site's own."""
    type_ = HOME if type_name == "home" else CONTENT_TYPES.get(type_name)
    return {f.name for f in (type_.fields if type_ else COMMON_FIELDS)}


def read_site_schema(folders: "SiteFolders", problems: Problems) -> SiteSchema:
    """The schema of this site: the engine's, extended by data/schema.yaml if any."""
    types = {**CONTENT_TYPES, "home": HOME}
    path = folders.data / "schema.yaml"
    if not path.is_file():
        return SiteSchema(types, dict(DATA_FILES))
    rel = folders.relative(path)
    text = read_text(path, rel, problems, folders)
    raw = load_yaml(text, rel, problems) if text is not None else None
    if raw is None:
        return SiteSchema(types, dict(DATA_FILES))
    checker = Validator(rel, problems, Relations(), timezone.utc, lambda _: True)
    declared = checker.check(raw, SCHEMA_FILE, getattr(raw, "line", 1), "") or {}
    kinds = extend(types, declared, rel, problems)
    return SiteSchema(kinds, extend_data(declared, relation_targets(kinds), rel, problems))
