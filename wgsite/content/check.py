"""Validation of a whole site: every source against its kind's schema, all problems at once.

`check_site` checks the data files and every page, with the ids every
relation may name collected first, and returns the cleaned values (which keep
their lines). `published` then leaves out what readers must not see yet, or
any more.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, tzinfo
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wgsite.clock import Clock, start_of_day
from wgsite.content.language_codes import check_language
from wgsite.content.languages import (DataLanguages, Languages, Translation,
                                      data_in_language, merge_translation, written_codes,
                                      pair_translations, site_languages, translation_fields)
from wgsite.content.schema import ContentType, Field
from wgsite.content.site_schema import SiteSchema
from wgsite.content.sources import SourceFile, Sources
from wgsite.content.meetings import check_meetings
from wgsite.content.validate import (SLUG, Relations, Validator, check_download, check_moments,
                                     check_online, check_site_settings, check_slugs,
                                     unknown_zone, wrong_folder)
from wgsite.content.yamlfile import LineDict
from wgsite.problems import Problems, did_you_mean


@dataclass
class CheckedSite:
    """The cleaned values of every source, ready to be linked."""

    config: dict[str, Any]  # data/site.yaml
    tz: tzinfo  # the site's time zone
    organisations: list[dict[str, Any]]
    action_types: list[dict[str, Any]]
    priorities: dict[str, Any]
    people: list[dict[str, Any]] = field(default_factory=list)
    pages: list[tuple[SourceFile, dict[str, Any]]] = field(default_factory=list)
    home: tuple[SourceFile, dict[str, Any]] | None = None
    types: dict[str, ContentType] = field(default_factory=dict)
    data_files: dict[str, Field] = field(default_factory=dict)  # their declarations
    languages: Languages = field(default_factory=Languages)
    # every translation, its values merged with its original's (see content/languages.py)
    translations: list[tuple[SourceFile, dict[str, Any]]] = field(default_factory=list)
    # the original each translation translates, by the translation's path
    originals: dict[str, SourceFile] = field(default_factory=dict)
    language: str = ""  # the language of this view of the site (see in_language)


def check_site(sources: Sources, schema: SiteSchema, image_exists: Callable[[str], bool],
               problems: Problems, production: bool = False) -> CheckedSite:
    """Check every data file and page; problems go into `problems`. A `production`
    build (for the published site, not a preview) also refuses placeholder settings."""
    types = schema.kinds
    checker = _SiteChecker(sources, image_exists, problems, types, production,
                           schema.data_files)
    config = checker.read_config()
    languages = site_languages(config, sources.data.get("site"), sources.data_paths["site"],
                               problems)
    paired = pair_translations(sources.pages, sources.home, sources.suffixed, languages,
                               problems)
    checker.pages = paired.pages
    checker.collect_ids()
    checked = CheckedSite(
        config=config, tz=checker.tz,
        organisations=checker.check_data("organisations") or [],
        action_types=checker.check_data("action_types") or [],
        priorities=checker.check_data("priorities") or {},
        people=checker.check_people(),
        types=types, data_files=schema.data_files, languages=languages,
    )
    checked.pages = [(source, checker.check_source(source)) for source in paired.pages]
    if paired.home:
        checked.home = (paired.home, checker.check_source(paired.home))
    check_document_meetings(checked.pages, problems)
    values = {id(source): meta for source, meta in checked.pages}
    if checked.home:
        values[id(checked.home[0])] = checked.home[1]
    for translation in paired.translations:
        own = checker.check_translation(translation)
        original = values.get(id(translation.original), {})
        merged = merge_translation(translation, own, original, problems)
        checked.translations.append((translation.source, merged))
        checked.originals[translation.source.path] = translation.original
    return checked


def published(checked: CheckedSite, clock: Clock, drafts: bool
              ) -> list[tuple[SourceFile, dict[str, Any]]]:
    """The pages readers get now: no drafts (unless asked for), none before its
    publish date or after its expiry date."""
    def shown(meta: dict[str, Any]) -> bool:
        if meta.get("draft") and not drafts:
            return False
        publish = meta.get("publish_date")
        if publish and not clock.reached(start_of_day(publish, checked.tz)):
            return False
        expiry = meta.get("expiry_date")
        return not (expiry and clock.reached(start_of_day(expiry, checked.tz)))

    return [(source, meta) for source, meta in checked.pages if shown(meta)]


def published_translations(checked: CheckedSite, shown: list[tuple[SourceFile, dict[str, Any]]],
                           drafts: bool) -> list[tuple[SourceFile, dict[str, Any]]]:
    """The translations readers get: of a published original, and not drafts themselves
    (a translation keeps the original's publish and expiry dates)."""
    originals = {id(source) for source, _ in shown}
    if checked.home:
        originals.add(id(checked.home[0]))
    return [(source, meta) for source, meta in checked.translations
            if id(checked.originals[source.path]) in originals
            and (drafts or not meta.get("draft"))]


class _SiteChecker:
    def __init__(self, sources: Sources, image_exists: Callable[[str], bool],
                 problems: Problems, types: dict[str, ContentType], production: bool,
                 data_files: dict[str, Field]):
        self.data_files = data_files
        self.sources = sources
        self.kinds = [t for t in types.values() if t.name != "home"]
        self.production = production
        self.image_exists = image_exists
        self.problems = problems
        self.tz: tzinfo = ZoneInfo("UTC")
        self.relations = Relations()
        self.pages = sources.pages
        # a data file may give texts per language: the codes site.yaml lists, as written
        listed = sources.data.get("site", {}).get("languages") \
            if isinstance(sources.data.get("site"), dict) else None
        self.language_codes = tuple(written_codes(listed)) \
            if isinstance(listed, (list, str)) else ()
        # while a listed code is wrong (reported as such), texts in any language pass
        self.any_language = not all(check_language(code)[1] is None
                                    for code in self.language_codes)

    def validator(self, path: str, data: bool = False) -> Validator:
        return Validator(path, self.problems, self.relations, self.tz, self.image_exists,
                         self.language_codes if data else (), data and self.any_language)

    def check_data(self, name: str) -> Any:
        value = self.sources.data.get(name)
        if value is None:
            return None
        spec = self.data_files[name]
        path = self.sources.data_paths[name]
        line = getattr(value, "line", 1) or 1
        expected = dict if spec.kind == "object" else list
        if not isinstance(value, expected):
            shape = "keys and values" if expected is dict else "a list"
            self.problems.error(path, line, f"this file must hold {shape}, not "
                                f"{'a list' if isinstance(value, list) else 'that'}")
            return None
        # the file names the whole: messages name keys inside it ('title', not 'site.title')
        return self.validator(path, data=True).check(value, spec, line, "")

    def check_people(self) -> list[dict[str, Any]]:
        """data/people.yaml, when the site has one: a photo needs its description."""
        people = self.check_data("people") or []
        path = self.sources.data_paths["people"]
        for person in people:
            if "photo" in person and not person.get("photo_alt"):
                self.problems.error(path, person.line_of("photo"),
                                    f"the photo of '{person['id']}' has no 'photo_alt': "
                                    "describe the picture for readers who cannot see it")
        return people

    def read_config(self) -> dict[str, Any]:
        config = self.check_data("site") or {}
        tz_name = config.get("timezone", "UTC")
        try:
            self.tz = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError):
            site = self.sources.data.get("site")
            line = site.line_of("timezone") if isinstance(site, LineDict) else None
            self.problems.error(self.sources.data_paths["site"], line,
                                f"unknown time zone '{tz_name}' (use a name such as "
                                "Europe/Brussels)")
        check_site_settings(config, self.sources.data.get("site"), self.sources.data_paths["site"],
                            self.sources.i18n, self.production, self.problems)
        return config

    def collect_ids(self) -> None:
        """The ids every relation may name, before any source is checked."""
        ids, aliases = self.relations.ids, self.relations.aliases
        for name, target in (("organisations", "organisation"), ("action_types", "action_type"),
                             ("people", "person")):
            value = self.sources.data.get(name)
            items = value if isinstance(value, list) else []
            ids[target] = [str(i["id"]) for i in items if isinstance(i, dict) and "id" in i]
            self.relations.note_broken(target, value, self.sources.data_paths[name])
            self.relations.homes[target] = self.sources.data_paths[name]
        priorities = self.sources.data.get("priorities")
        items = priorities.get("items", []) if isinstance(priorities, dict) else []
        items = [i for i in items if isinstance(i, dict) and "id" in i] if isinstance(
            items, list) else []
        self.relations.note_broken("priority", priorities.get("items") if isinstance(
            priorities, dict) else None, self.sources.data_paths["priorities"])
        ids["priority"] = [str(i["id"]) for i in items]
        aliases["priority"] = {str(i["number"]): str(i["id"]) for i in items if "number" in i}
        for source in self.pages:
            ids.setdefault(source.type.name, []).append(slug_of(source))
        check_slugs(self.pages, slug_of, self.problems)

    def check_translation(self, translation: Translation) -> dict[str, Any]:
        """A translation's own values: its words, and any fact it repeats (facts are
        not required: they come from the original)."""
        source = translation.source
        checker = self.validator(source.path)
        fields = translation_fields(source.type)
        meta = checker.check_object(source.meta, fields, source.meta.line or 1)
        if "image" in meta and not meta.get("image_alt"):
            self.problems.error(source.path, source.meta.line_of("image"),
                                "'image' has no 'image_alt': describe the picture for readers "
                                "who cannot see it")
        return meta

    def check_source(self, source: SourceFile) -> dict[str, Any]:
        if (elsewhere := wrong_folder(source.meta, source.type, self.kinds)):
            self.problems.error(source.path, source.meta.line or 1, elsewhere)
            return {}
        checker = self.validator(source.path)
        zone = source.meta.get("time_zone")
        if isinstance(zone, str) and not unknown_zone(zone) and source.type.field("time_zone"):
            # a start or end without an offset is on the clock of the event's own zone
            checker.timezone = ZoneInfo(zone)
        meta = checker.check_object(source.meta, source.type.fields, source.meta.line or 1)
        if source.type.name == "working_group" and meta.get("meetings"):
            check_meetings(meta["meetings"], source.path, self.problems)
        if source.type.name == "event":
            check_online(meta, source.meta, source.path, self.problems)
        if source.type.name != "home" and "slug" not in meta \
                and not SLUG.match(source.file_slug):
            self.problems.error(source.path, None,
                                f"the file name '{source.file_slug}' cannot be a URL: use "
                                "lowercase words joined by hyphens, or set 'slug'")
        if source.file_date and isinstance(meta.get("date"), date) \
                and meta["date"] != source.file_date:
            self.problems.warning(source.path, source.meta.line_of("date"),
                                  f"'date' is {meta['date']} but the file name says "
                                  f"{source.file_date_text}")
        if source.type.dated_file_names and not source.file_date:
            folder = source.type.folder
            self.problems.warning(source.path, None, f"name {folder} files YYYY-MM-DD-slug.md, "
                                  "so they sort by date in the folder")
        check_moments(meta, source.meta, source.path, self.problems)
        if source.type.name == "document":
            check_download(meta, source.meta, source.path, self.problems)
        start, end = meta.get("start"), meta.get("end")
        if start and end and start_of_day(end, self.tz) < start_of_day(start, self.tz):
            self.problems.error(source.path, source.meta.line_of("end"),
                                f"'end' ({end}) is before 'start' ({start})")
        if source.type.name == "working_group":
            check_group_life(meta, source.path, self.problems)
        if "image" in meta and not meta.get("image_alt"):
            self.problems.error(source.path, source.meta.line_of("image"),
                                "'image' has no 'image_alt': describe the picture for readers "
                                "who cannot see it")
        return meta


def check_document_meetings(pages: list[tuple[SourceFile, dict[str, Any]]],
                            problems: Problems) -> None:
    """A document's `meeting` names a meeting of one of its working groups, by its id."""
    meetings = {slug_of(source): [str(m.get("id")) for m in meta.get("meetings", [])]
                for source, meta in pages if source.type.name == "working_group"}
    for source, meta in pages:
        meeting = meta.get("meeting")
        if not meeting:
            continue
        groups = meta.get("working_groups", [])
        ids = [i for group in groups for i in meetings.get(group, [])]
        if meeting in ids:
            continue
        named = ", ".join(groups) or "none"
        offer = (f"their meetings are: {', '.join(ids)}{did_you_mean(meeting, ids)}"
                 if ids else "they have no meetings")
        problems.error(source.path, source.meta.line_of("meeting"),
                       f"'meeting' is '{meeting}', which is no meeting of its working groups "
                       f"({named}): {offer}")


def slug_of(source: SourceFile) -> str:
    """The slug a page goes by: its `slug`, or its file name without the date."""
    slug = source.meta.get("slug")
    return slug if isinstance(slug, str) and slug else source.file_slug


def check_group_life(meta: dict[str, Any], path: str, problems: Problems) -> None:
    """A group's dates in order: it cannot close before it began, nor a former chair stop
    before starting."""
    started, since = meta.get("started"), meta.get("status_since")
    if started and since and since < started:
        problems.error(path, meta.line_of("status_since"),
                       f"'status_since' ({since}) is before 'started' ({started})")
    for entry in meta.get("emeritus", []):
        begun, ended = entry.get("from"), entry.get("to")
        if begun is not None and ended is not None and ended < begun:
            problems.error(path, entry.line_of("to"),
                           f"former chair '{entry['person']}' stops in {ended}, before "
                           f"starting in {begun}")


def in_language(checked: CheckedSite, pages: list[tuple[SourceFile, dict[str, Any]]],
                translations: list[tuple[SourceFile, dict[str, Any]]], code: str,
                picker: DataLanguages) -> tuple[CheckedSite, list[tuple[SourceFile, dict]]]:
    """The site as readers of language `code` get it: each page in that language where a
    translation is published, in its original otherwise; data texts in that language."""
    mine = {id(checked.originals[source.path]): (source, meta)
            for source, meta in translations if source.language == code}
    chosen = [mine.get(id(source), (source, meta)) for source, meta in pages]
    home = checked.home and mine.get(id(checked.home[0]), checked.home)
    data = data_in_language({"site": checked.config, "organisations": checked.organisations,
                             "action_types": checked.action_types,
                             "priorities": checked.priorities, "people": checked.people},
                            checked.data_files, picker, code)
    view = replace(checked, config=data["site"], organisations=data["organisations"],
                   action_types=data["action_types"], priorities=data["priorities"],
                   people=data["people"],
                   home=home or None, language=code)
    return view, chosen
