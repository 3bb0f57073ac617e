"""Linking: checked values become records, with every relation resolved both ways.

`link_site` runs once per build, after validation and after Markdown has been
converted. It makes one record per published page and data item, resolves
each relation field that a kind declares (the schema says which fields name
which kind), notes every record in `referenced_by` of the records it names,
and derives the lists the pages show. Afterwards the `Site` is only read.

HTML comes from the markup stage through `Converter`, which the build passes
in: this stage never imports it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import fields as dataclass_fields
from datetime import date, datetime, tzinfo
from typing import Any, Iterable, Protocol

from markupsafe import Markup

from wgsite.clock import Clock, start_of_day
from wgsite.content import records as r
from wgsite.content.check import CheckedSite
from wgsite.content.language_codes import check_language
from wgsite.content.schema import DATA_FILES, DEFAULT_PAGE_SIZES, ContentType, Field, data_entry
from wgsite.content.site_schema import builtin_names
from wgsite.content.sources import SourceFile
from wgsite.urls import Urls

# The phrase naming the records of data/ that relations may name (see data/i18n).
_DATA_LISTS = {"organisation": "organisations", "priority": "priorities",
               "action_type": "action_types"}


class Converter(Protocol):
    """What linking needs of the markup stage: HTML for Markdown, and pictures."""

    def markdown(self, text: str, path: str, line: int) -> Markup: ...

    def image(self, path: str, alt: str, credit: str) -> r.Image: ...

    def text(self, value: str) -> str:
        """Plain text (a title, a summary) with the typography of Markdown bodies."""
        ...


def tag_title(name: str, slug: str) -> str:
    """How a tag reads when the site names it nowhere: as written, unless it was
    written as a slug ("erasmus-plus"), which reads "Erasmus plus"."""
    if name != slug:
        return name
    words = slug.replace("-", " ")
    return words[:1].upper() + words[1:]


def tag_slug(name: str) -> str:
    """A tag's URL part: lowercase letters and digits joined by hyphens."""
    text = unicodedata.normalize("NFKC", name).lower()
    text = re.sub(r"[^\w]+", "-", text).strip("-")
    return text or "tag"


def relation_fields(type_: ContentType) -> list[tuple[str, str]]:
    """(field, target) of every top-level field of `type_` that names other records."""
    found = []
    for spec in type_.fields:
        item: Field | None = spec.item if spec.kind == "list" else spec
        if item is not None and item.kind == "relation":
            found.append((spec.name, item.target))
    return found


def link_site(checked: CheckedSite, pages: list[tuple[SourceFile, dict[str, Any]]],
              converter: Converter, urls: Urls, clock: Clock, preview: bool,
              data_paths: dict[str, str]) -> r.Site:
    """The whole site as records, every relation resolved and every list derived."""
    linker = _Linker(checked, converter, urls, clock, data_paths)
    site = linker.site(preview)
    linker.add_data_records(site)
    linker.add_pages(site, pages)
    linker.link(site)
    return site


class _Linker:
    """Makes records from checked values and links them."""

    def __init__(self, checked: CheckedSite, converter: Converter, urls: Urls, clock: Clock,
                 data_paths: dict[str, str]):
        self.checked, self.converter, self.urls, self.clock = checked, converter, urls, clock
        self.tz: tzinfo = checked.tz
        self.types = checked.types
        self.data_paths = data_paths
        own_sizes = {t.page_size: t.default_page_size for t in self.types.values()
                     if t.page_size and t.default_page_size}
        self.sizes = {**DEFAULT_PAGE_SIZES, **own_sizes, **checked.config.get("page_sizes", {})}
        self.by_kind: dict[str, dict[str, Any]] = {}
        self.raw: dict[Any, tuple[SourceFile, dict[str, Any]]] = {}
        self.tags: dict[str, r.Tag] = {}
        self.tag_titles: dict[str, str] = {}  # slug -> the name site.yaml gives it

    def _place(self, kind: str, slug: str) -> tuple[str, str]:
        path = self.urls.path(kind, slug)
        return self.urls.href(path), self.urls.permalink(path)

    def _markdown(self, text: Any, path: str) -> Markup:
        """HTML for Markdown text; checked text carries the line it starts on."""
        return self.converter.markdown(text, path, getattr(text, "line", 1))

    def site(self, preview: bool) -> r.Site:
        config, priorities = self.checked.config, self.checked.priorities
        footer = config.get("footer", {})
        kinds = [r.Kind(t.name, t.title, t.singular, t.collection,
                        self.urls.href(t.list_url) if t.list_url else "", t.builtin)
                 for t in self.types.values() if t.name != "home"]
        text = self.converter.text
        self.tag_titles = {tag_slug(t["id"]): text(t["title"]) for t in config.get("tags", [])}
        return r.Site(
            title=config["title"], tagline=text(config.get("tagline", "")),
            description=text(config.get("description", "")),
            language=check_language(config.get("language", "en"))[0],
            base_url=self.urls.base_url, logo=config.get("logo", ""),
            menu=self._links(config.get("menu", [])),
            footer={
                "text": self._markdown(footer["text"], self.data_paths["site"])
                if footer.get("text") else "",
                "links": self._links(footer.get("links", [])),
                "legal": self._links(footer.get("legal", [])),
                "social": self._links(footer.get("social", [])),
                "newsletter": self._links([footer["newsletter"]])[0]
                if footer.get("newsletter") else None,
                "email": footer.get("email", ""),
                "eu_emblem": footer.get("eu_emblem", False),
            },
            members=config.get("members"),
            colours=dict(config.get("colours", {})), page_sizes=self.sizes,
            clock=self.clock, priorities_period=priorities.get("period", ""),
            preview=preview,
            feed_url=self.urls.href(self.urls.path("feed")),
            calendar_url=self.urls.href(self.urls.path("calendar")),
            kinds=kinds, extra=self._data_extra(config, "site"),
        )

    def _links(self, items: list[dict[str, Any]]) -> list[r.Link]:
        return [r.Link(self.converter.text(i["title"]), self.urls.href(i["url"]))
                for i in items]

    def add_data_records(self, site: r.Site) -> None:
        for item in self.checked.organisations:
            url, permalink = self._place("organisation", item["id"])
            logo = self.converter.image(item["logo"], item["name"], "") \
                if item.get("logo") else None
            site.organisations.append(r.Organisation(
                id=item["id"], name=item["name"], url=url, permalink=permalink,
                short_name=item.get("short_name", ""), website=item.get("url", ""),
                country=item.get("country", ""), logo=logo,
                description=self._describe(item, "organisations"),
                extra=self._data_extra(item, "organisations")))
        for item in self.checked.action_types:
            site.action_types.append(r.ActionType(
                id=item["id"], title=item["title"],
                description=self._describe(item, "action_types"),
                extra=self._data_extra(item, "action_types")))
        for item in self.checked.priorities.get("items", []):
            url, permalink = self._place("priority", item["id"])
            site.priorities.append(r.Priority(
                id=item["id"], number=item["number"], title=self.converter.text(item["title"]),
                url=url,
                permalink=permalink, description=self._describe(item, "priorities"),
                extra=self._data_extra(item, "priorities")))
        site.organisations.sort(key=lambda o: o.name.casefold())
        site.priorities.sort(key=lambda p: p.number)
        self.by_kind["organisation"] = {o.id: o for o in site.organisations}
        self.by_kind["action_type"] = {a.id: a for a in site.action_types}
        self.by_kind["priority"] = {p.id: p for p in site.priorities}

    def _data_fields(self, name: str) -> list[Field]:
        """The fields a site added to the entries of data/`name`.yaml."""
        builtin = {f.name for f in data_entry(name, DATA_FILES[name]).fields}
        return [f for f in data_entry(name, self.checked.data_files[name]).fields
                if f.name not in builtin]

    def _data_extra(self, item: dict[str, Any], name: str) -> dict[str, Any]:
        """Values of the fields a site added to a data entry; Markdown rendered (relations
        are resolved once every record exists, in `link`)."""
        extra: dict[str, Any] = {}
        for spec in self._data_fields(name):
            value = item.get(spec.name, [] if spec.kind == "list" else None)
            if spec.kind == "markdown" and value:
                value = self._markdown(value, self.data_paths[name])
            extra[spec.name] = value
        return extra

    def _describe(self, item: dict, name: str) -> Markup:
        if not item.get("description"):
            return Markup("")
        return self._markdown(item["description"], self.data_paths[name])

    def add_pages(self, site: r.Site, pages: list[tuple[SourceFile, dict[str, Any]]]) -> None:
        for source, meta in pages:
            record = self.record(source, meta)
            # two records with one slug both stay, so that routes reports the collision
            self.by_kind.setdefault(source.type.name, {}).setdefault(record.slug, record)
            self.raw[record] = (source, meta)
        if self.checked.home:
            site.home = self.record(*self.checked.home)
        else:
            site.home = r.Record(kind="home", source="", title=site.title, slug="",
                                 url=self.urls.href("/"), permalink=self.urls.base_url,
                                 summary=site.description)

    def record(self, source: SourceFile, meta: dict[str, Any]) -> r.Record:
        kind = source.type.name
        slug = meta.get("slug") or source.file_slug
        url, permalink = self._place(kind, slug)
        image = None
        if meta.get("image"):
            image = self.converter.image(meta["image"], meta.get("image_alt", ""),
                                         meta.get("image_credit", ""))
        common = dict(
            kind=kind, source=source.path, title=self.converter.text(meta["title"]), slug=slug,
            url=url, permalink=permalink, date=meta.get("date"),
            summary=self.converter.text(meta.get("summary", "")),
            tags=[self.tag(name) for name in meta.get("tags", [])], image=image,
            content=self.converter.markdown(source.body, source.path, source.body_line),
            weight=meta.get("weight", 0), layout=meta.get("layout", ""),
            aliases=meta.get("aliases", []), draft=bool(meta.get("draft")),
            extra=self._extra(source, meta),
        )
        common.update(self._own_values(kind, slug, meta))
        return source.type.record(**common)

    def _own_values(self, kind: str, slug: str, meta: dict[str, Any]) -> dict[str, Any]:
        """What the engine's kinds show besides the common fields and their relations."""
        if kind == "project":
            return dict(acronym=meta.get("acronym", ""), website=meta.get("url", ""),
                        status=meta.get("status", ""), start=meta.get("start"),
                        end=meta.get("end"), programme=meta.get("programme", ""))
        if kind == "event":
            start, end = meta["start"], meta.get("end")
            return dict(start=start, end=end, all_day=not isinstance(start, datetime),
                        location=meta.get("location", ""),
                        online_url=meta.get("online_url", ""),
                        registration_url=meta.get("registration_url", ""),
                        is_upcoming=self._not_over(end or start),
                        calendar_url=self.urls.href(self.urls.path("event_calendar", slug)))
        if kind == "working_group":
            areas = meta.get("policy_areas")
            return dict(news_url=self.urls.href(self.urls.path("group_news", slug)),
                        feed_url=self.urls.href(self.urls.path("group_feed", slug)),
                        calendar_url=self.urls.href(self.urls.path("group_calendar", slug)),
                        policy_areas=r.PolicyAreas(areas["period"], areas["items"])
                        if areas else None)
        return {}

    def _extra(self, source: SourceFile, meta: dict[str, Any]) -> dict[str, Any]:
        """Values of the fields a site declared itself; Markdown ones rendered."""
        builtin = builtin_names(source.type.name)
        extra: dict[str, Any] = {}
        for spec in source.type.fields:
            if spec.name in builtin:
                continue
            value = meta.get(spec.name, [] if spec.kind == "list" else None)
            if spec.kind == "markdown" and value:
                value = self._markdown(value, source.path)
            extra[spec.name] = value
        return extra

    def _not_over(self, moment: date) -> bool:
        if isinstance(moment, datetime):
            return not self.clock.passed(moment)
        return not self.clock.day_over(moment)

    def tag(self, name: str) -> r.Tag:
        slug = tag_slug(name)
        if slug not in self.tags:
            title = self.tag_titles.get(slug) or tag_title(name, slug)
            self.tags[slug] = r.Tag(name=title, slug=slug, url=self._place("tag", slug)[0])
        return self.tags[slug]

    def _find(self, kind: str, ids: Iterable[str] | str | None) -> list:
        """The published records of `kind` named by `ids` (unpublished ones drop out)."""
        table = self.by_kind.get(kind, {})
        ids = [ids] if isinstance(ids, str) else ids or []
        return [table[i] for i in ids if i in table]

    def link(self, site: r.Site) -> None:
        """Resolve every relation and derive every list, in a stable order."""
        by_type: dict[str, list] = {name: [] for name in self.types}
        for record in self.raw:
            by_type[record.kind].append(record)
        for type_ in self.types.values():
            if type_.name != "home":
                site.lists[type_.collection] = self._sorted(type_, by_type[type_.name])
        # in each kind's reading order, so that every referenced_by list is in it too
        for records in site.lists.values():
            for record in records:
                source, meta = self.raw[record]
                self._relate(record, source.type, meta)
                if isinstance(record, r.WorkingGroup):
                    self._link_group(record, meta)
        for name, records in (("organisations", site.organisations),
                              ("action_types", site.action_types),
                              ("priorities", site.priorities), ("site", [site])):
            for spec in self._data_fields(name):
                item = spec.item if spec.kind == "list" else spec
                if item is not None and item.kind == "relation":
                    for record in records:
                        record.extra[spec.name] = self._find(item.target,
                                                             record.extra.get(spec.name))
        site.working_groups = site.lists["working_groups"]
        site.news = site.lists["news"]
        site.projects = site.lists["projects"]
        site.events = site.lists["events"]
        site.pages = site.lists["pages"]
        site.upcoming_events = [e for e in site.events if e.is_upcoming]
        site.past_events = [e for e in reversed(site.events) if not e.is_upcoming]

        def named_by(record: Any, kind: str) -> list:
            return list(record.referenced_by.get(kind, []))

        for older, newer in zip(site.news[1:], site.news):
            newer.previous, older.next = older, newer
        for project in site.projects:
            project.news, project.events = named_by(project, "news"), named_by(project, "event")
        for priority in site.priorities:
            priority.projects = named_by(priority, "project")
        for organisation in site.organisations:
            organisation.news = named_by(organisation, "news")
            organisation.projects = named_by(organisation, "project")
        for action_type in site.action_types:
            action_type.groups = named_by(action_type, "working_group")
        for group in site.working_groups:
            group.news, group.projects = named_by(group, "news"), named_by(group, "project")
            events = named_by(group, "event")
            group.upcoming_events = [e for e in events if e.is_upcoming]
            group.past_events = [e for e in reversed(events) if not e.is_upcoming]
            group.related_news = group.news[: self.sizes["related_news"]]
            for organisation in group.lead:
                organisation.leads.append(group)
            for organisation in group.cooperation:
                organisation.cooperates_in.append(group)
            for chair in group.chairs:
                if chair.organisation and group not in chair.organisation.chairs_in:
                    chair.organisation.chairs_in.append(group)
            for entry in group.priorities:
                entry.priority.groups.append(entry)
        for priority in site.priorities:
            priority.groups.sort(key=lambda e: (e.group.weight, e.group.title.casefold()))

        for records in site.lists.values():
            for record in records:
                for tag in record.tags:
                    tag.pages.append(record)
        for tag in self.tags.values():
            tag.pages.sort(key=lambda p: (p.date or date.min, p.title.casefold()), reverse=True)
        site.tags = sorted((t for t in self.tags.values() if t.pages),
                           key=lambda t: t.name.casefold())

    def _relate(self, record: Any, type_: ContentType, meta: dict[str, Any]) -> None:
        """Every relation field of the record's kind: the records it names, and, on
        each of those, this record in `referenced_by` under its kind."""
        own = {f.name for f in dataclass_fields(record)}
        for name, target in relation_fields(type_):
            found = self._find(target, meta.get(name))
            if name in own:
                setattr(record, name, found)
            else:
                record.extra[name] = found
                if found:
                    kind = self.types.get(target)
                    record.related.append((kind.collection if kind else _DATA_LISTS[target],
                                           found))
            for other in found:
                named_by = other.referenced_by.setdefault(type_.name, [])
                if record not in named_by:
                    named_by.append(record)

    def _sorted(self, type_: ContentType, records: list) -> list:
        """A kind's list in its reading order: dated kinds newest first, events by start."""
        if type_.name == "event":
            return sorted(records, key=lambda e: (start_of_day(e.start, self.tz), e.slug))
        if type_.name == "project":
            return sorted(records, key=lambda p: p.title.casefold())
        if type_.dated_file_names:
            return sorted(records, key=lambda n: (n.date or date.min, n.slug), reverse=True)
        return sorted(records, key=lambda p: (p.weight, p.title.casefold()))

    def _link_group(self, group: r.WorkingGroup, meta: dict) -> None:
        organisations = self.by_kind["organisation"]
        group.chairs = [r.Chair(c["name"], organisations.get(c.get("organisation", "")),
                                c.get("email", "")) for c in meta.get("chairs", [])]
        for entry in meta.get("priorities", []):
            text = self._markdown(entry["text"], group.source)
            priority = self.by_kind["priority"][entry["priority"]]
            group.priorities.append(r.GroupPriority(priority, group, text))
        group.priorities.sort(key=lambda e: e.priority.number)
