"""A site's own additions to the schema: data/schema.yaml.

A site may add fields to a content type, or change a built-in field's
declaration (make `summary` required, say), without touching the engine:

    news:
      - name: subtitle
        kind: string
        help: A line under the title.
      - name: summary
        required: true

The file is checked like every other data file; the merged declarations then
drive validation and `new`. Values of added fields reach templates as
`page.extra.<name>`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timezone
from typing import TYPE_CHECKING, Any

from wgsite.problems import Problems
from wgsite.content.schema import CONTENT_TYPES, HOME, ContentType, Field
from wgsite.content.sources import read_text
from wgsite.content.validate import Relations, Validator
from wgsite.content.yamlfile import LineDict, load_yaml

if TYPE_CHECKING:
    from wgsite.folders import SiteFolders

KINDS = ("string", "text", "markdown", "bool", "int", "date", "datetime", "url", "email",
         "slug", "site_path", "image", "choice", "relation", "list")
TARGETS = ("working_group", "news", "project", "event", "organisation", "priority",
           "action_type")

FIELD_DECLARATION = Field("field", "object", fields=(
    Field("name", "key", True, "The key, in snake_case.", "subtitle"),
    Field("kind", "choice", help="What it holds.", choices=KINDS, example="string"),
    Field("required", "bool", help="Whether every page must have it.", example=False),
    Field("help", "string", help="What editors should write.", example="A line under the title."),
    Field("example", "string", help="An example value for `new` and the guide.",
          example="A line under the title"),
    Field("choices", "list", help="The allowed values, for kind choice.", example=["a", "b"],
          item=Field("choice", "string")),
    Field("target", "choice", help="What a relation names.", choices=TARGETS,
          example="project"),
    Field("item", "choice", help="What a list holds.", choices=KINDS, example="string"),
))
SCHEMA_FILE = Field("schema", "object", fields=tuple(
    Field(name, "list", help=f"Fields of {name.replace('_', ' ')} pages.", item=FIELD_DECLARATION)
    for name in (*CONTENT_TYPES, "home")))


def _field(spec: dict[str, Any], base: Field | None, path: str, line: int,
           problems: Problems) -> Field | None:
    kind = spec.get("kind", base.kind if base else "string")
    if base is not None and base.kind in ("list", "object") and kind != base.kind:
        problems.error(path, line, f"'{spec['name']}' is a built-in {base.kind}; only its "
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


def extend(types: dict[str, ContentType], declared: dict[str, list[dict[str, Any]]],
           raw: Any, path: str, problems: Problems) -> dict[str, ContentType]:
    """The content types with a site's declarations merged in (checked values of schema.yaml)."""
    merged = dict(types)
    for type_name, specs in declared.items():
        type_ = merged[type_name]
        fields = list(type_.fields)
        raw_specs = raw.get(type_name, []) if isinstance(raw, LineDict) else []
        for index, spec in enumerate(specs):
            if "name" not in spec:  # already reported
                continue
            line = raw_specs.line_of(index) if hasattr(raw_specs, "line_of") else 1
            position = next((i for i, f in enumerate(fields) if f.name == spec["name"]), None)
            base = fields[position] if position is not None else None
            new = _field(spec, base, path, line, problems)
            if new is None:
                continue
            if position is None:
                fields.append(new)
            else:
                fields[position] = new
        merged[type_name] = replace(type_, fields=tuple(fields))
    return merged


def builtin_names(type_name: str) -> set[str]:
    """The keys the engine itself knows for a type; the rest are a site's own."""
    type_ = HOME if type_name == "home" else CONTENT_TYPES[type_name]
    return {f.name for f in type_.fields}


def read_site_schema(folders: "SiteFolders", problems: Problems) -> dict[str, ContentType]:
    """The content types for this site: the engine's, extended by data/schema.yaml if any."""
    types = {**CONTENT_TYPES, "home": HOME}
    path = folders.data / "schema.yaml"
    if not path.is_file():
        return types
    rel = folders.relative(path)
    text = read_text(path, rel, problems, folders)
    raw = load_yaml(text, rel, problems) if text is not None else None
    if raw is None:
        return types
    checker = Validator(rel, problems, Relations(), timezone.utc, lambda _: True)
    declared = checker.check(raw, SCHEMA_FILE, getattr(raw, "line", 1), "") or {}
    return extend(types, declared, raw, rel, problems)
