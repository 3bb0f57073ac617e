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
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from markupsafe import Markup

from wgsite.clock import Clock, start_of_day
from wgsite.content import records as r
from wgsite.content.check import CheckedSite
from wgsite.content.language_codes import direction, language_name
from wgsite.content.meetings import MEETINGS_AHEAD, link_meetings
from wgsite.content.schema import (DATA_FILES, DEFAULT_PAGE_SIZES, ContentType, Field, data_entry,
                                   document_type_phrase)
from wgsite.content.site_schema import builtin_names
from wgsite.content.sources import SourceFile
from wgsite.urls import Urls

# The phrase naming the records of data/ that relations may name (see data/i18n).
_DATA_LISTS = {"organisation": "organisations", "priority": "priorities",
               "action_type": "action_types", "person": "people"}


class Converter(Protocol):
    """What linking needs of the markup stage: HTML for Markdown, and pictures."""

    def markdown(self, text: str, path: str, line: int) -> Markup: ...

    def image(self, path: str, alt: str, credit: str) -> r.Image: ...

    def file(self, path: str) -> r.Download:
        """A file of assets/ (a document's): its href, type and size."""
        ...

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
              data_paths: dict[str, str], urls_of: dict[str, Urls] | None = None) -> r.Site:
    """The whole site as records, every relation resolved and every list derived.

    For a site in several languages, `checked` is one language's view (see
    check.in_language), `urls` that language's and `urls_of` every language's: a
    page not translated into it keeps its own language's URL."""
    linker = _Linker(checked, converter, urls, clock, data_paths, urls_of or {})
    linker.note_paths(pages)
    site = linker.site(preview)
    linker.add_data_records(site)
    linker.add_pages(site, pages)
    linker.link(site)
    return site


class _Linker:
    """Makes records from checked values and links them."""

    def __init__(self, checked: CheckedSite, converter: Converter, urls: Urls, clock: Clock,
                 data_paths: dict[str, str], urls_of: dict[str, Urls]):
        self.checked, self.converter, self.urls, self.clock = checked, converter, urls, clock
        self.languages = checked.languages
        self.language = checked.language or self.languages.default
        self.urls_of = {**urls_of, self.language: urls}
        self.paths: dict[str, str] = {}  # a record's path as editors write it -> its path here
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

    def _place(self, kind: str, slug: str, urls: Urls | None = None) -> tuple[str, str]:
        urls = urls or self.urls
        path = urls.path(kind, slug)
        return urls.href(path), urls.permalink(path)

    def _language_of(self, source: SourceFile) -> str:
        return source.language or self.languages.default

    def note_paths(self, pages: list[tuple[SourceFile, dict[str, Any]]]) -> None:
        """Where each record's page is in this language, by the path an editor writes
        for it (/about/): menus and footers written once lead to the page in the
        reader's language when there is one."""
        for source, meta in pages:
            slug = meta.get("slug") or source.file_slug
            written = self.urls.patterns[source.type.name].format(slug=slug)
            urls = self.urls_of.get(self._language_of(source), self.urls)
            self.paths[written] = urls.path(source.type.name, slug)

    def _localised(self, path: str) -> str:
        if not self.urls.prefix or not path.startswith("/") or path.startswith("//"):
            return path
        if path in self.paths:
            return self.paths[path]
        return f"/{self.urls.prefix}{path}" if self.urls.is_shared(path) else path

    def _markdown(self, text: Any, path: str) -> Markup:
        """HTML for Markdown text; checked text carries the line it starts on."""
        return self.converter.markdown(text, path, getattr(text, "line", 1))

    def site(self, preview: bool) -> r.Site:
        config, priorities = self.checked.config, self.checked.priorities
        footer = config.get("footer", {})
        kinds = [r.Kind(t.name, t.title, t.singular, t.collection,
                        self.urls.href(self.urls.path(t.list_route)) if t.list_url else "",
                        t.builtin)
                 for t in self.types.values() if t.name != "home"]
        text = self.converter.text
        self.tag_titles = {tag_slug(t["id"]): text(t["title"]) for t in config.get("tags", [])}
        return r.Site(
            title=config["title"], tagline=text(config.get("tagline", "")),
            description=text(config.get("description", "")),
            language=self.language, default_language=self.languages.default,
            languages=[r.Language(code, language_name(code, code, title=True),
                                  self.urls_of[code].href(self.urls_of[code].path("home"))
                                  if code in self.urls_of else "")
                       for code in self.languages.codes],
            direction=direction(self.language),
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
            all_calendar_url=self.urls.href(self.urls.path("site_calendar")),
            meetings_url=self.urls.href(self.urls.path("meetings")),
            kinds=kinds, extra=self._data_extra(config, "site"),
        )

    def _links(self, items: list[dict[str, Any]]) -> list[r.Link]:
        return [r.Link(self.converter.text(i["title"]), self.urls.href(self._localised(i["url"])))
                for i in items]

    def add_data_records(self, site: r.Site) -> None:
        for item in self.checked.organisations:
            url, permalink = self._place("organisation", item["id"])
            logo = self.converter.image(item["logo"], item["name"], "") \
                if item.get("logo") else None
            site.organisations.append(r.Organisation(
                id=item["id"], name=item["name"], url=url, permalink=permalink,
                lang=self.language,
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
                url=url, lang=self.language,
                permalink=permalink, description=self._describe(item, "priorities"),
                extra=self._data_extra(item, "priorities")))
        site.organisations.sort(key=lambda o: o.name.casefold())
        organisations = {o.id: o for o in site.organisations}
        for item in self.checked.people:
            photo = self.converter.image(item["photo"], item.get("photo_alt", ""), "") \
                if item.get("photo") else None
            site.people.append(r.Person(
                id=item["id"], name=item["name"],
                organisation=organisations.get(item.get("organisation", "")),
                role=self.converter.text(item.get("role", "")), email=item.get("email", ""),
                photo=photo, links=self._links(item.get("links", [])),
                extra=self._data_extra(item, "people")))
        site.people.sort(key=lambda p: p.name.casefold())
        self.by_kind["person"] = {p.id: p for p in site.people}
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
            home = self.urls.path("home")
            site.home = r.Record(kind="home", source="", title=site.title, slug="",
                                 url=self.urls.href(home), permalink=self.urls.permalink(home),
                                 summary=site.description, lang=self.language)

    def record(self, source: SourceFile, meta: dict[str, Any]) -> r.Record:
        kind = source.type.name
        slug = meta.get("slug") or source.file_slug
        lang = self._language_of(source)
        # the home page is this language's, whichever language its text is in
        urls = self.urls if kind == "home" else self.urls_of.get(lang, self.urls)
        url, permalink = self._place(kind, slug, urls)
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
            extra=self._extra(source, meta), lang=lang,
            original=self.checked.originals[source.path].path
            if source.path in self.checked.originals else source.path,
        )
        common.update(self._own_values(kind, slug, meta, urls))
        return source.type.record(**common)

    def _own_values(self, kind: str, slug: str, meta: dict[str, Any], urls: Urls
                    ) -> dict[str, Any]:
        """What the engine's kinds show besides the common fields and their relations."""
        if kind == "project":
            return dict(acronym=meta.get("acronym", ""), website=meta.get("url", ""),
                        status=meta.get("status", ""), start=meta.get("start"),
                        end=meta.get("end"), programme=meta.get("programme", ""))
        if kind == "event":
            start, end = meta["start"], meta.get("end")
            zone = ZoneInfo(meta["time_zone"]) if meta.get("time_zone") else None
            if zone is not None:  # shown on its own zone's clock
                start = start.astimezone(zone) if isinstance(start, datetime) else start
                end = end.astimezone(zone) if isinstance(end, datetime) else end
            other = zone is not None and isinstance(start, datetime) and \
                start.utcoffset() != start.astimezone(self.tz).utcoffset()
            return dict(start=start, end=end, all_day=not isinstance(start, datetime),
                        time_zone=meta.get("time_zone", ""), tz=zone, other_zone=other,
                        online_only=bool(meta.get("online_only")),
                        location=meta.get("location", ""),
                        online_url=meta.get("online_url", ""),
                        registration_url=meta.get("registration_url", ""),
                        is_upcoming=self._not_over(end or start),
                        calendar_url=urls.href(urls.path("event_calendar", slug)))
        if kind == "document":
            return self._document(meta)
        if kind == "working_group":
            areas, contact = meta.get("policy_areas"), meta.get("contact")
            return dict(status=meta.get("status", "active"), started=meta.get("started"),
                        status_since=meta.get("status_since"),
                        contact=r.GroupContact(
                            email=contact.get("email", ""),
                            mailing_list=urls.href(contact["mailing_list"])
                            if contact.get("mailing_list") else "",
                            join=urls.href(self._localised(contact["join"]))
                            if contact.get("join") else "",
                            chat=self._links(contact.get("chat", []))) if contact else None,
                        news_url=urls.href(urls.path("group_news", slug)),
                        documents_url=urls.href(urls.path("group_documents", slug)),
                        feed_url=urls.href(urls.path("group_feed", slug)),
                        calendar_url=urls.href(urls.path("group_calendar", slug)),
                        policy_areas=r.PolicyAreas(areas["period"], areas["items"])
                        if areas else None)
        return {}

    def _document(self, meta: dict[str, Any]) -> dict[str, Any]:
        """A document's type, its phrase, and where it is read (its file, or its url)."""
        if meta.get("file"):
            download = self.converter.file(meta["file"])
        elif meta.get("url"):
            host = urlsplit(meta["url"]).hostname or ""
            download = r.Download(url=meta["url"], host=host)
        else:
            download = None
        kind = meta.get("document_type", "")
        return dict(document_type=kind, type_phrase=document_type_phrase(kind) if kind else "",
                    download=download, language=meta.get("language", ""),
                    meeting=meta.get("meeting", ""))

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
        # a chair written out in place (a mapping) names no record
        return [table[i] for i in ids if isinstance(i, str) and i in table]

    def link(self, site: r.Site) -> None:
        """Resolve every relation and derive every list, in a stable order."""
        by_type: dict[str, list] = {name: [] for name in self.types}
        for record in self.raw:
            by_type[record.kind].append(record)
        every: dict[str, list] = {}
        for type_ in self.types.values():
            if type_.name != "home":
                every[type_.collection] = self._sorted(type_, by_type[type_.name])
        # a language that shows only its own items lists no others (relations still
        # lead to them)
        own_only = self.language in self.languages.own_only

        def shown(records: list) -> list:
            return [x for x in records if x.lang == self.language] if own_only else records

        site.lists = {name: shown(records) for name, records in every.items()}
        # in each kind's reading order, so that every referenced_by list is in it too
        for records in every.values():
            for record in records:
                source, meta = self.raw[record]
                self._relate(record, source.type, meta)
                if isinstance(record, r.WorkingGroup):
                    self._link_group(record, meta)
        for name, records in (("organisations", site.organisations),
                              ("action_types", site.action_types),
                              ("priorities", site.priorities), ("people", site.people),
                              ("site", [site])):
            for spec in self._data_fields(name):
                item = spec.item if spec.kind == "list" else spec
                if item is not None and item.kind == "relation":
                    for record in records:
                        record.extra[spec.name] = self._find(item.target,
                                                             record.extra.get(spec.name))
        site.working_groups = site.lists["working_groups"]
        site.current_groups = [g for g in site.working_groups if g.status != "closed"]
        site.earlier_groups = [g for g in site.working_groups if g.status == "closed"]
        site.news = site.lists["news"]
        site.projects = site.lists["projects"]
        site.events = site.lists["events"]
        site.pages = site.lists["pages"]
        site.upcoming_events = [e for e in site.events if e.is_upcoming]
        site.past_events = [e for e in reversed(site.events) if not e.is_upcoming]

        def named_by(record: Any, kind: str) -> list:
            return shown(list(record.referenced_by.get(kind, [])))

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
            group.meetings = link_meetings(group, self.raw[group][1].get("meetings", []),
                                           self.clock)
            group.upcoming_meetings = sorted(
                (o for m in group.meetings for o in m.upcoming_all), key=lambda o: o.start)
            site.upcoming_meetings += [o for o in group.upcoming_meetings
                                       if self.clock.reached(o.start - MEETINGS_AHEAD)]
        site.upcoming_meetings.sort(key=lambda o: (o.start, o.group.title.casefold(),
                                                   o.meeting.id))
        for group in site.working_groups:
            group.news, group.projects = named_by(group, "news"), named_by(group, "project")
            events = named_by(group, "event")
            group.upcoming_events = [e for e in events if e.is_upcoming]
            group.past_events = [e for e in reversed(events) if not e.is_upcoming]
            group.related_news = group.news[: self.sizes["related_news"]]
            group.documents = named_by(group, "document")
            group.latest_documents = group.documents[: self.sizes["related_documents"]]
            # minutes and agendas: with the meeting occurrence their date names
            for document in group.referenced_by.get("document", []):
                meeting = next((m for m in group.meetings if m.id == document.meeting), None)
                found = meeting.occurrence_on(document.date) if meeting and document.date \
                    else None
                if found is not None and document not in found.documents:
                    found.documents.append(document)
            for organisation in group.lead:
                organisation.leads.append(group)
            for organisation in group.cooperation:
                organisation.cooperates_in.append(group)
            for organisation in group.members:
                organisation.member_of.append(group)
            for chair in group.chairs:
                if chair.organisation and group not in chair.organisation.chairs_in:
                    chair.organisation.chairs_in.append(group)
                if chair.id and group not in chair.chairs:
                    chair.chairs.append(group)
            for person in group.contacts:
                person.contact_for.append(group)
            for former in group.emeritus:
                former.person.chaired.append(former)
            roles: dict[r.Organisation, list[str]] = {}
            for role, organisations in (("lead", group.lead), ("cooperation", group.cooperation),
                                        ("member", group.members)):
                for organisation in organisations:
                    roles.setdefault(organisation, []).append(role)
            for organisation, named in roles.items():
                organisation.groups.append(r.GroupRole(group, named))
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
        people = self.by_kind["person"]
        group.chairs = [people[c] if isinstance(c, str) else
                        r.Person("", c["name"], organisations.get(c.get("organisation", "")),
                                 email=c.get("email", ""))
                        for c in meta.get("chairs", []) if not isinstance(c, str) or c in people]
        group.emeritus = sorted(
            (r.FormerChair(people[e["person"]], group, e.get("from"), e.get("to"))
             for e in meta.get("emeritus", []) if e["person"] in people),
            key=lambda f: (f.start or 0, f.end or 9999, f.person.name.casefold()))
        by_country: dict[str, list[r.Organisation]] = {}
        for organisation in sorted(group.members, key=lambda o: o.name.casefold()):
            by_country.setdefault(organisation.country, []).append(organisation)
        group.members_by_country = sorted(by_country.items(),
                                          key=lambda c: (not c[0], c[0].casefold()))
        for entry in meta.get("priorities", []):
            text = self._markdown(entry["text"], group.source)
            priority = self.by_kind["priority"][entry["priority"]]
            group.priorities.append(r.GroupPriority(priority, group, text))
        group.priorities.sort(key=lambda e: e.priority.number)
