"""The content manager's configuration (Decap CMS at /admin/), made from the schema.

Decap reads config.yml to know every collection and field. Writing it by hand
would repeat the schema and drift from it; here it is derived from the same
declarations that validation reads (the engine's, merged with the site's
data/schema.yaml), so a field a site adds is editable in the CMS at once.
"""

from __future__ import annotations

from typing import Any

import yaml

from wgsite.content.schema import DATA_FILES, DOCUMENTS_FOLDER, ContentType, Field

# A data file whose top level is a list (organisations, action types) is read by
# admin/wgsite-cms.js as {LIST_KEY: [...]}: Decap's files collections edit objects only.
LIST_KEY = "list"
DATA_COLLECTION = "data"
DATA_FORMAT = "wgsite-yaml"  # the format admin/wgsite-cms.js registers
MEDIA_FOLDER = "assets/images"
PUBLIC_FOLDER = "images"  # content names an image by its path inside assets/

_DATA_LABELS = {"site": "Site settings", "priorities": "Strategic priorities",
                "action_types": "Action types", "organisations": "Organisations",
                "people": "People"}
# Where each relation target lives, the field stored, and the one shown. A priority is
# stored by number, as editors write it ("Strategic Priority 2"); wgsite takes either.
_DATA_TARGETS = {"organisation": ("organisations", "id", "name"),
                 "priority": ("priorities", "number", "title"),
                 "action_type": ("action_types", "id", "title"),
                 "person": ("people", "id", "name")}
# Fields an editor seldom needs: shown after the type's own fields and the text.
_ADVANCED = ("slug", "draft", "publish_date", "expiry_date", "weight", "aliases", "layout")
_STRINGS = ("string", "slug", "key", "email", "url", "path", "site_path")
# Facts a translation must not carry at all, so Decap hides them in the other languages:
# the original's old URLs are not the translation's, and two pages cannot claim one URL.
_NOT_CARRIED = ("aliases",)
# Facts each translation has of its own: a translation in progress is held back as a
# draft while the original is published (`new --lang` writes `draft: true` too).
_OWN = ("draft",)


def site_languages(site: Any) -> list[str]:
    """The codes of a site in several languages, the default first; [] for a site in one
    (`language: en`, or a `languages` list of one), whose CMS has no i18n at all."""
    languages = site.get("languages") if isinstance(site, dict) else None
    if not isinstance(languages, list):
        return []
    codes = list(dict.fromkeys(str(code) for code in languages))
    return codes if len(codes) > 1 else []


def label(name: str) -> str:
    """`working_groups` -> `Working groups`."""
    return name.replace("_", " ").capitalize()


def cms_config(types: dict[str, ContentType], site: dict[str, Any],
               backend: dict[str, str], data_files: dict[str, Field] | None = None
               ) -> dict[str, Any]:
    """Decap's whole configuration for a site: backend, media, one collection per type."""
    config: dict[str, Any] = {
        "backend": backend,
        "publish_mode": "editorial_workflow",  # drafts and reviews are branches, not live
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        # new file names as wgsite wants slugs: lowercase ASCII words joined by hyphens
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
    }
    if site.get("base_url"):
        config["site_url"] = config["display_url"] = str(site["base_url"])
    locales = site_languages(site)
    if locales:
        # One file per language beside the original, as wgsite names translations:
        # news/2026-01-10-x.fr.md. Decap names the default language's file with its code
        # too (x.en.md); wgsite-cms.js keeps such a file at x.md, the name wgsite's own
        # files have, when that is where it is or when it is new.
        config["i18n"] = {"structure": "multiple_files", "locales": locales,
                          "default_locale": locales[0]}
    config["collections"] = [folder_collection(t, types, locales) for name, t in types.items()
                             if name != "home"] + [data_collection(data_files or DATA_FILES,
                                                                   locales)]
    if locales:
        for collection in config["collections"]:
            for declared in [collection] + collection.get("files", []):
                _show_in_default_language(declared.get("fields", []), locales[0])
    return config


def _show_in_default_language(specs: list[dict[str, Any]], default: str) -> None:
    """Relations into data files show and search the name in the default language, now
    that each name is a value per language."""
    for spec in specs:
        if spec.get("widget") == "relation" and "file" in spec:
            for key in ("search_fields", "display_fields"):
                spec[key] = [path if path == spec["value_field"] else f"{path}.{default}"
                             for path in spec[key]]
        _show_in_default_language(spec.get("fields", []), default)
        if isinstance(spec.get("field"), dict):
            _show_in_default_language([spec["field"]], default)


def folder_collection(type_: ContentType, types: dict[str, ContentType],
                      locales: list[str] | None = None) -> dict[str, Any]:
    """A folder of Markdown files with front matter: one entry per file, and, for a site
    in several `locales`, one file per language of it."""
    collection: dict[str, Any] = {
        "name": type_.collection,
        "label": type_.title,
        "label_singular": type_.singular,
        "folder": f"content/{type_.folder}" if type_.folder else "content",
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "slug": "{{year}}-{{month}}-{{day}}-{{slug}}" if type_.dated_file_names else "{{slug}}",
        "summary": "{{title}}",
        # Decap's preview shows raw values without the site's styles (ids, not names);
        # the form gets the whole width, and a deploy preview shows the real page.
        "editor": {"preview": False},
        "fields": [widget(f, types) for f in type_.fields if f.name not in _ADVANCED]
        + [{"label": "Text", "name": "body", "widget": "markdown", "required": False,
            **({"hint": type_.body_help} if type_.body_help else {})}]
        + [widget(f, types) for f in type_.fields if f.name in _ADVANCED],
    }
    if type_.field("date") is not None:
        collection["sortable_fields"] = ["date", "title"]
    if locales:
        collection["i18n"] = True
        declared = {f.name: f for f in type_.fields}
        for spec in collection["fields"]:
            field = declared.get(spec["name"])
            _translation(spec, True if field is None  # the body: words
                         else _i18n_setting(field, spec["widget"]))
    return collection


def _i18n_setting(field: Field, widget_name: str) -> bool | str:
    """How Decap treats a field in the other languages: words are translated (true);
    a fact is copied from the original and shown greyed out (duplicate), so that the
    translator sees the date or the groups the text is about. Decap's list and object
    widgets cannot be copied: a list or an object of facts (tags, chairs) and the few
    facts a translation must not carry are hidden in the other languages (false); the
    build takes them from the original."""
    if field.words or field.name in _OWN:
        return True
    if field.name in _NOT_CARRIED or widget_name in ("list", "object"):
        return False
    return "duplicate"


def _translation(spec: dict[str, Any], setting: bool | str) -> None:
    """Mark a widget and everything inside it. Decap needs a mark on every subfield (one
    without is hidden in the other languages), and copies nothing into the items of a
    list: inside a translated list or object every subfield is translated too, so that a
    translation can name, say, the priority its text is about (the build warns when
    such a fact differs from the original's)."""
    spec["i18n"] = setting
    for sub in spec.get("fields", []):
        _translation(sub, setting)
    if isinstance(spec.get("field"), dict):
        _translation(spec["field"], setting)


def data_collection(data_files: dict[str, Field], locales: list[str] | None = None
                    ) -> dict[str, Any]:
    """The YAML files of data/, one entry each, read and written by wgsite-cms.js. For a
    site in several `locales` each value that is words is edited once per language."""
    files = []
    for name, declaration in data_files.items():
        if declaration.kind == "list":
            top = [Field(LIST_KEY, "list", True, item=declaration.item)]
            fields = [widget(top[0], {}, label(name))]
        else:
            top = list(declaration.fields)
            fields = [widget(f, {}) for f in declaration.fields]
        if locales:
            fields = [_in_languages(spec, field, locales) for spec, field in zip(fields, top)]
        files.append({"name": name, "label": _DATA_LABELS.get(name, label(name)),
                      "file": f"data/{name}.yaml", "fields": fields})
    return {"name": DATA_COLLECTION, "label": "Shared data", "format": DATA_FORMAT,
            "extension": "yaml", "editor": {"preview": False}, "files": files}


def _in_languages(spec: dict[str, Any], field: Field, locales: list[str]) -> dict[str, Any]:
    """A data file's widget with each value that is words turned into one input per
    language: `title: {en: Mobility, fr: Mobilité}`, as wgsite reads it. wgsite-cms.js
    shows a value written as plain text as the default language's, and writes a value
    with no translation back as plain text, so a file in one language stays as it is."""
    if field.kind in ("string", "text", "markdown") and field.words:
        one = {k: v for k, v in spec.items() if k not in ("label", "name", "required", "hint")}
        languages = {"label": spec["label"], "name": spec["name"], "widget": "object",
                     "collapsed": False, "summary": "{{fields.%s}}" % locales[0],
                     "fields": [{"label": code, "name": code, **one,
                                 **({} if code == locales[0] and field.required
                                    else {"required": False})} for code in locales]}
        for key in ("required", "hint"):
            if key in spec:
                languages[key] = spec[key]
        return languages
    if field.kind == "object":
        spec["fields"] = [_in_languages(s, f, locales) for s, f in zip(spec["fields"],
                                                                        field.fields)]
    elif field.kind == "list" and field.item is not None:
        item = field.item
        if "fields" in spec and item.kind == "object":
            spec["fields"] = [_in_languages(s, f, locales) for s, f in zip(spec["fields"],
                                                                            item.fields)]
            shown = spec["summary"].removeprefix("{{fields.").removesuffix("}}")
            if item.field(shown) is not None and item.field(shown).words:
                spec["summary"] = "{{fields.%s.%s}}" % (shown, locales[0])
        elif isinstance(spec.get("field"), dict):
            spec["field"] = _in_languages(spec["field"], item, locales)
    return spec


def widget(field: Field, types: dict[str, ContentType], shown: str = "") -> dict[str, Any]:
    """One field's Decap widget, with its label, hint and whether it must be filled;
    `types` are the content kinds that relations may name."""
    spec: dict[str, Any] = {"label": shown or label(field.name), "name": field.name}
    spec.update(_widget_options(field, types))
    if not field.required:
        spec["required"] = False
    if field.help:
        spec["hint"] = field.help
    return spec


def _widget_options(field: Field, types: dict[str, ContentType]) -> dict[str, Any]:
    kind = field.kind
    if kind in _STRINGS:
        return {"widget": "string"}
    if kind in ("text", "markdown"):
        return {"widget": kind}
    if kind == "bool":
        return {"widget": "boolean", "default": False}
    if kind == "int":
        return {"widget": "number", "value_type": "int"}
    if kind == "date":
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD",
                "time_format": False}
    if kind == "datetime":
        return {"widget": "datetime", "format": "YYYY-MM-DDTHH:mm:ssZ",
                "date_format": "YYYY-MM-DD", "time_format": "HH:mm"}
    if kind == "colour":
        return {"widget": "color", "allowInput": True}
    if kind == "time":  # a time of day alone, as HH:mm
        return {"widget": "datetime", "format": "HH:mm", "date_format": False,
                "time_format": "HH:mm"}
    if kind == "time_zone":
        return {"widget": "string",
                "pattern": [r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$",
                            "An IANA time zone name, such as Europe/Brussels"]}
    if kind == "image":
        return {"widget": "image", "choose_url": False}
    if kind == "file":
        # uploaded into assets/documents/, stored as documents/<name> (a path inside assets/)
        return {"widget": "file", "choose_url": False,
                "media_folder": f"/assets/{DOCUMENTS_FOLDER}", "public_folder": DOCUMENTS_FOLDER}
    if kind == "choice":
        return {"widget": "select", "options": list(field.choices)}
    if kind == "relation":
        return relation(field.target, types)
    if kind == "object":
        return {"widget": "object", "collapsed": False,
                "fields": [widget(f, types) for f in field.fields]}
    if kind == "list":
        return _list_options(field.item, types)
    raise ValueError(f"no CMS widget for the kind {kind!r}")


def _list_options(item: Field | None, types: dict[str, ContentType]) -> dict[str, Any]:
    if item is None:
        item = Field("item", "string")
    if item.kind in _STRINGS + ("text",):
        # one input per value: Decap's single comma-separated line would split a value
        # that holds a comma ("Skills, jobs and growth") in two
        return {"widget": "list", "field": {"label": label(item.name), "name": item.name,
                                            "widget": "string"}}
    if item.kind == "relation":
        options = relation(item.target, types)
        if options["widget"] == "relation":
            return {**options, "multiple": True}
        return {"widget": "list", "field": {"label": label(item.name), "name": item.name,
                                            **options}}
    if item.kind == "choice":
        return {"widget": "select", "multiple": True, "options": list(item.choices)}
    if item.kind == "object":
        names = [f.name for f in item.fields]
        shown = next((n for n in ("title", "name") if n in names), names[0])
        return {"widget": "list", "summary": "{{fields.%s}}" % shown,
                "fields": [widget(f, types) for f in item.fields]}
    return {"widget": "list", "field": widget(item, types)}


def relation(target: str, types: dict[str, ContentType]) -> dict[str, Any]:
    """A relation widget offering the ids that exist, shown by their titles.

    News files (and those of any dated kind) carry their date in the file name,
    which Decap would store, while relations name them by slug alone: a relation
    to such a kind stays a plain text field.
    """
    if target in _DATA_TARGETS:
        name, value, title = _DATA_TARGETS[target]
        key = "items" if DATA_FILES[name].kind == "object" else LIST_KEY
        return {"widget": "relation", "collection": DATA_COLLECTION, "file": name,
                "value_field": f"{key}.*.{value}",
                "search_fields": [f"{key}.*.{title}", f"{key}.*.{value}"],
                "display_fields": [f"{key}.*.{title}"]}
    if target not in types or types[target].dated_file_names:
        return {"widget": "string"}
    return {"widget": "relation", "collection": types[target].collection,
            "value_field": "{{slug}}", "search_fields": ["title"],
            "display_fields": ["title"]}


def config_yaml(config: dict[str, Any]) -> bytes:
    """The configuration as YAML: keys in the order written, the same bytes every build.
    LibYAML's emitter writes what PyYAML's own does, five times faster."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(config, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    return ("# Made by wgsite from its schema and data/schema.yaml: do not edit.\n"
            + text).encode("utf-8")
