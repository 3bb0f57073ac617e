"""The site graph: validated sources become records, with relations resolved both ways.

`build_site` runs once per build. It validates every source against the
schema (reporting all problems), leaves out what is not published, renders
Markdown, links records to each other, and derives every list the pages
show. Afterwards the `Site` is only read.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timezone
from typing import Any, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wgsite.content import records as r
from wgsite.markup.assets import Assets
from wgsite.incremental.cache import Store
from wgsite.clock import Clock, start_of_day
from wgsite.markup.images import SIZES, Renditions
from wgsite.markup.markdown import POOL_THRESHOLD, MarkdownRenderer, cpu_count
from wgsite.options import BuildOptions
from wgsite.problems import BuildFailed, Problems
from wgsite.content.schema import DATA_FILES, DEFAULT_PAGE_SIZES
from wgsite.content.site_schema import builtin_names
from wgsite.content.sources import SourceFile, Sources
from wgsite.timings import Timings
from wgsite.urls import Urls
from wgsite.content.validate import SLUG, Relations, Validator
from wgsite.content.yamlfile import LineDict

RECORD_TYPES = {"working_group": r.WorkingGroup, "news": r.NewsItem, "project": r.Project,
                "event": r.Event, "page": r.Record, "home": r.Record}


def tag_slug(name: str) -> str:
    """A tag's URL part: lowercase letters and digits joined by hyphens."""
    text = unicodedata.normalize("NFKC", name).lower()
    text = re.sub(r"[^\w]+", "-", text).strip("-")
    return text or "tag"


class _GraphBuilder:
    def __init__(self, sources: Sources, assets: Assets, options: BuildOptions,
                 problems: Problems):
        self.sources = sources
        self.assets = assets
        self.options = options
        self.problems = problems
        self.tz: Any = timezone.utc
        self.relations = Relations()

    # -- validation --------------------------------------------------------

    def validator(self, path: str) -> Validator:
        return Validator(path, self.problems, self.relations, self.tz, self._image_exists)

    def _image_exists(self, path: str) -> bool:
        return path in self.assets

    def check_data(self, name: str) -> Any:
        value = self.sources.data.get(name)
        if value is None:
            return None
        spec = DATA_FILES[name]
        path = self.sources.data_paths[name]
        line = getattr(value, "line", 1) or 1
        expected = dict if spec.kind == "object" else list
        if not isinstance(value, expected):
            shape = "keys and values" if expected is dict else "a list"
            self.problems.error(path, line, f"this file must hold {shape}, not "
                                f"{'a list' if isinstance(value, list) else 'that'}")
            return None
        # the file names the whole: messages name keys inside it ('title', not 'site.title')
        return self.validator(path).check(value, spec, line, "")

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
        return config

    def collect_ids(self) -> None:
        """The ids every relation may name, before any source is checked."""
        ids, aliases = self.relations.ids, self.relations.aliases
        for name, target in (("organisations", "organisation"), ("action_types", "action_type")):
            value = self.sources.data.get(name)
            items = value if isinstance(value, list) else []
            ids[target] = [str(i["id"]) for i in items if isinstance(i, dict) and "id" in i]
        priorities = self.sources.data.get("priorities")
        items = priorities.get("items", []) if isinstance(priorities, dict) else []
        items = [i for i in items if isinstance(i, dict) and "id" in i] if isinstance(
            items, list) else []
        ids["priority"] = [str(i["id"]) for i in items]
        aliases["priority"] = {str(i["number"]): str(i["id"]) for i in items if "number" in i}
        for source in self.sources.pages:
            ids.setdefault(source.type.name, []).append(self.slug_of(source))

    @staticmethod
    def slug_of(source: SourceFile) -> str:
        slug = source.meta.get("slug")
        return slug if isinstance(slug, str) and slug else source.file_slug

    def check_source(self, source: SourceFile) -> dict[str, Any]:
        checker = self.validator(source.path)
        meta = checker.check_object(source.meta, source.type.fields, source.meta.line or 1)
        if source.type.name != "home" and "slug" not in meta and not SLUG.match(source.file_slug):
            self.problems.error(source.path, None,
                                f"the file name '{source.file_slug}' cannot be a URL: use "
                                "lowercase words joined by hyphens, or set 'slug'")
        if source.file_date and isinstance(meta.get("date"), date) \
                and meta["date"] != source.file_date:
            self.problems.warning(source.path, source.meta.line_of("date"),
                                  f"'date' is {meta['date']} but the file name says "
                                  f"{source.file_date_text}")
        if source.type.dated_file_names and not source.file_date:
            self.problems.warning(source.path, None, "name news files YYYY-MM-DD-slug.md, "
                                  "so they sort by date in the folder")
        start, end = meta.get("start"), meta.get("end")
        if start and end and start_of_day(end, self.tz) < start_of_day(start, self.tz):
            self.problems.error(source.path, source.meta.line_of("end"),
                                f"'end' ({end}) is before 'start' ({start})")
        if "image" in meta and not meta.get("image_alt"):
            self.problems.error(source.path, source.meta.line_of("image"),
                                "'image' has no 'image_alt': describe the picture for readers "
                                "who cannot see it")
        return meta

    def is_published(self, meta: dict[str, Any], clock: Clock) -> bool:
        if meta.get("draft") and not self.options.drafts:
            return False
        publish = meta.get("publish_date")
        if publish and not clock.reached(start_of_day(publish, self.tz)):
            return False
        expiry = meta.get("expiry_date")
        return not (expiry and clock.reached(start_of_day(expiry, self.tz)))


def build_site(sources: Sources, assets: Assets, options: BuildOptions,
               problems: Problems, renditions: Renditions, cache: Store | None = None,
               timings: Timings | None = None) -> r.Site:
    """Validate, resolve and link every source; raises BuildFailed on any error."""
    timings = timings or Timings()
    with timings.phase("validate") as phase:
        builder = _GraphBuilder(sources, assets, options, problems)
        config = builder.read_config()
        builder.collect_ids()
        organisations_data = builder.check_data("organisations") or []
        action_types_data = builder.check_data("action_types") or []
        priorities_data = builder.check_data("priorities") or {}
        checked = [(source, builder.check_source(source)) for source in sources.pages]
        home_meta = builder.check_source(sources.home) if sources.home else {}
        phase.count(len(checked) + bool(sources.home), "pages")
    if problems.errors:
        raise BuildFailed(problems)

    clock = Clock(options.now or datetime.now(timezone.utc)).in_zone(builder.tz)
    published = [(s, m) for s, m in checked if builder.is_published(m, clock)]
    home = [(sources.home, home_meta)] if sources.home else []
    urls = Urls(options.base_url or config["base_url"])
    jobs = options.jobs or cpu_count()
    md = MarkdownRenderer(urls, assets, renditions, problems,
                          trust_html=config.get("trust_html", False), cache=cache, jobs=jobs)
    with timings.phase("markdown") as phase:
        md.prepare([(s.body, s.path, s.body_line) for s, _ in published + home])
        phase.count(len(published) + len(home), "documents")
        phase.count(md.converted, "converted")
        phase.count(jobs if md.converted >= POOL_THRESHOLD else 1, "processes")
    with timings.phase("graph") as phase:
        linker = _Linker(urls, md, assets, renditions, builder.tz, clock, config, sources)
        site = linker.site(config, priorities_data, options.preview)
        linker.add_data_records(site, organisations_data, action_types_data, priorities_data)
        linker.add_pages(site, published, sources.home, home_meta)
        linker.link(site)
        phase.count(len(linker.raw), "records")
    if problems.errors:
        raise BuildFailed(problems)
    return site


class _Linker:
    """Makes records from checked values and links them."""

    def __init__(self, urls: Urls, md: MarkdownRenderer, assets: Assets, renditions: Renditions,
                 tz: Any, clock: Clock, config: dict[str, Any], sources: Sources):
        self.urls, self.md, self.assets, self.tz, self.clock = urls, md, assets, tz, clock
        self.renditions = renditions
        self.sizes = {**DEFAULT_PAGE_SIZES, **config.get("page_sizes", {})}
        self.sources = sources
        self.by_kind: dict[str, dict[str, Any]] = {}
        self.raw: dict[Any, tuple[SourceFile, dict[str, Any]]] = {}
        self.tags: dict[str, r.Tag] = {}

    def _place(self, kind: str, slug: str) -> tuple[str, str]:
        path = self.urls.path(kind, slug)
        return self.urls.href(path), self.urls.permalink(path)

    def _markdown(self, text: str, source_path: str, container: Any, key: Any) -> Any:
        line = container.line_of(key) if isinstance(container, (LineDict,)) else 1
        # a block scalar (|) starts on the line after its key
        return self.md.render(text, source_path, line + (1 if "\n" in text else 0))

    def site(self, config: dict[str, Any], priorities: dict[str, Any], preview: bool
             ) -> r.Site:
        footer = config.get("footer", {})
        site_yaml = self.sources.data.get("site")
        footer_yaml = site_yaml.get("footer") if isinstance(site_yaml, dict) else None
        return r.Site(
            title=config["title"], tagline=config.get("tagline", ""),
            description=config.get("description", ""), language=config.get("language", "en"),
            base_url=self.urls.base_url, logo=config.get("logo", ""),
            menu=[r.Link(i["title"], self.urls.href(i["url"])) for i in config.get("menu", [])],
            footer={
                "text": self._markdown(footer["text"], self.sources.data_paths["site"],
                                       footer_yaml, "text") if footer.get("text") else "",
                "links": [r.Link(i["title"], self.urls.href(i["url"]))
                          for i in footer.get("links", [])],
            },
            colours=dict(config.get("colours", {})), page_sizes=self.sizes,
            clock=self.clock, priorities_period=priorities.get("period", ""),
            preview=preview,
            feed_url=self.urls.href(self.urls.path("feed")),
            calendar_url=self.urls.href(self.urls.path("calendar")),
        )

    def add_data_records(self, site: r.Site, organisations: list, action_types: list,
                         priorities: dict) -> None:
        data_yaml = self.sources.data
        for index, item in enumerate(organisations):
            url, permalink = self._place("organisation", item["id"])
            logo = None
            if item.get("logo"):
                logo = self.image(item["logo"], item["name"], "")
            raw = data_yaml["organisations"][index]
            site.organisations.append(r.Organisation(
                id=item["id"], name=item["name"], url=url, permalink=permalink,
                short_name=item.get("short_name", ""), website=item.get("url", ""),
                country=item.get("country", ""), logo=logo,
                description=self._describe(item, raw, "organisations")))
        for index, item in enumerate(action_types):
            raw = data_yaml["action_types"][index]
            site.action_types.append(r.ActionType(
                id=item["id"], title=item["title"],
                description=self._describe(item, raw, "action_types")))
        for index, item in enumerate(priorities.get("items", [])):
            url, permalink = self._place("priority", item["id"])
            raw = data_yaml["priorities"]["items"][index]
            site.priorities.append(r.Priority(
                id=item["id"], number=item["number"], title=item["title"], url=url,
                permalink=permalink, description=self._describe(item, raw, "priorities")))
        site.organisations.sort(key=lambda o: o.name.casefold())
        site.priorities.sort(key=lambda p: p.number)
        self.by_kind["organisation"] = {o.id: o for o in site.organisations}
        self.by_kind["action_type"] = {a.id: a for a in site.action_types}
        self.by_kind["priority"] = {p.id: p for p in site.priorities}

    def _describe(self, item: dict, raw: Any, name: str) -> Any:
        if not item.get("description"):
            return r.Markup("")
        return self._markdown(item["description"], self.sources.data_paths[name], raw,
                              "description")

    def image(self, path: str, alt: str, credit: str) -> r.Image:
        asset = self.assets.get(path)
        resized = self.renditions.of(asset)
        if resized is None:  # SVG and other formats that scale by themselves
            return r.Image(url=self.urls.href("/" + asset.output), alt=alt, credit=credit,
                           width=asset.width, height=asset.height)

        def href(output: str) -> str:
            return self.urls.href("/" + output)

        return r.Image(url=resized.fallback(href), alt=alt, credit=credit,
                       width=resized.width, height=resized.height,
                       srcset=resized.srcset(resized.mime, href), sizes=SIZES,
                       sources=[r.ImageSource(mime, resized.srcset(mime, href))
                                for mime in resized.alternatives])

    def add_pages(self, site: r.Site, published: list, home_source: SourceFile | None,
                  home_meta: dict) -> None:
        for source, meta in published:
            record = self.record(source, meta)
            # two records with one slug both stay, so that routes reports the collision
            self.by_kind.setdefault(source.type.name, {}).setdefault(record.slug, record)
            self.raw[record] = (source, meta)
        if home_source:
            site.home = self.record(home_source, home_meta)
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
            image = self.image(meta["image"], meta.get("image_alt", ""),
                               meta.get("image_credit", ""))
        common = dict(
            kind=kind, source=source.path, title=meta["title"], slug=slug, url=url,
            permalink=permalink, date=meta.get("date"), summary=meta.get("summary", ""),
            tags=[self.tag(name) for name in meta.get("tags", [])], image=image,
            content=self.md.render(source.body, source.path, source.body_line),
            weight=meta.get("weight", 0), layout=meta.get("layout", ""),
            aliases=meta.get("aliases", []), draft=bool(meta.get("draft")),
            extra=self._extra(source, meta),
        )
        if kind == "project":
            common.update(acronym=meta.get("acronym", ""), website=meta.get("url", ""),
                          status=meta.get("status", ""), start=meta.get("start"),
                          end=meta.get("end"), programme=meta.get("programme", ""))
        elif kind == "event":
            start, end = meta["start"], meta.get("end")
            last = end or start
            common.update(start=start, end=end, all_day=not isinstance(start, datetime),
                          location=meta.get("location", ""),
                          online_url=meta.get("online_url", ""),
                          registration_url=meta.get("registration_url", ""),
                          is_upcoming=self._not_over(last),
                          calendar_url=self.urls.href(self.urls.path("event_calendar", slug)))
        elif kind == "working_group":
            areas = meta.get("policy_areas")
            common.update(news_url=self.urls.href(self.urls.path("group_news", slug)),
                          feed_url=self.urls.href(self.urls.path("group_feed", slug)),
                          calendar_url=self.urls.href(self.urls.path("group_calendar", slug)),
                          policy_areas=r.PolicyAreas(areas["period"], areas["items"])
                          if areas else None)
        return RECORD_TYPES[kind](**common)

    def _extra(self, source: SourceFile, meta: dict[str, Any]) -> dict[str, Any]:
        """Values of the fields a site declared itself; Markdown ones rendered."""
        builtin = builtin_names(source.type.name)
        extra: dict[str, Any] = {}
        for spec in source.type.fields:
            if spec.name in builtin:
                continue
            value = meta.get(spec.name, [] if spec.kind == "list" else None)
            if spec.kind == "markdown" and value:
                value = self._markdown(value, source.path, source.meta, spec.name)
            extra[spec.name] = value
        return extra

    def _not_over(self, moment: date) -> bool:
        if isinstance(moment, datetime):
            return not self.clock.passed(moment)
        return not self.clock.day_over(moment)

    def tag(self, name: str) -> r.Tag:
        slug = tag_slug(name)
        if slug not in self.tags:
            self.tags[slug] = r.Tag(name=name, slug=slug, url=self._place("tag", slug)[0])
        return self.tags[slug]

    def _find(self, kind: str, ids: Iterable[str]) -> list:
        """The published records of `kind` named by `ids` (unpublished ones drop out)."""
        table = self.by_kind.get(kind, {})
        return [table[i] for i in ids if i in table]

    def link(self, site: r.Site) -> None:
        """Resolve every relation and derive every list, in a stable order."""
        for record, (source, meta) in self.raw.items():
            if isinstance(record, r.WorkingGroup):
                self._link_group(record, source, meta)
            elif isinstance(record, r.NewsItem):
                record.working_groups = self._find("working_group", meta.get("working_groups", []))
                record.projects = self._find("project", meta.get("projects", []))
                record.organisations = self._find("organisation", meta.get("organisations", []))
            elif isinstance(record, r.Project):
                record.working_groups = self._find("working_group", meta.get("working_groups", []))
                record.priorities = self._find("priority", meta.get("priorities", []))
                record.partners = self._find("organisation", meta.get("partners", []))
            elif isinstance(record, r.Event):
                record.working_groups = self._find("working_group", meta.get("working_groups", []))

        def of(kind: type) -> list:
            return [record for record in self.raw if type(record) is kind]

        site.working_groups = sorted(of(r.WorkingGroup), key=lambda g: (g.weight, g.title.casefold()))
        site.news = sorted(of(r.NewsItem), key=lambda n: (n.date, n.slug), reverse=True)
        site.projects = sorted(of(r.Project), key=lambda p: p.title.casefold())
        site.events = sorted(of(r.Event), key=self._event_key)
        site.upcoming_events = [e for e in site.events if e.is_upcoming]
        site.past_events = [e for e in reversed(site.events) if not e.is_upcoming]
        site.pages = sorted(of(r.Record), key=lambda p: (p.weight, p.title.casefold()))

        for older, newer in zip(site.news[1:], site.news):
            newer.previous, older.next = older, newer
        for item in site.news:
            for group in item.working_groups:
                group.news.append(item)
            for project in item.projects:
                project.news.append(item)
            for organisation in item.organisations:
                organisation.news.append(item)
        for project in site.projects:
            for group in project.working_groups:
                group.projects.append(project)
            for priority in project.priorities:
                priority.projects.append(project)
            for organisation in project.partners:
                organisation.projects.append(project)
        for event in site.events:
            for group in event.working_groups:
                (group.upcoming_events if event.is_upcoming else group.past_events).append(event)
        for group in site.working_groups:
            group.past_events.reverse()
            group.related_news = group.news[: self.sizes["related_news"]]
            for organisation in group.lead:
                organisation.leads.append(group)
            for organisation in group.cooperation:
                organisation.cooperates_in.append(group)
            for chair in group.chairs:
                if chair.organisation and group not in chair.organisation.chairs_in:
                    chair.organisation.chairs_in.append(group)
            for action_type in group.action_types:
                action_type.groups.append(group)
            for entry in group.priorities:
                entry.priority.groups.append(entry)
        for priority in site.priorities:
            priority.groups.sort(key=lambda e: (e.group.weight, e.group.title.casefold()))

        kinds = (site.working_groups, site.news, site.projects, site.events, site.pages)
        for records in kinds:
            for record in records:
                for tag in record.tags:
                    tag.pages.append(record)
        for tag in self.tags.values():
            tag.pages.sort(key=lambda p: (p.date or date.min, p.title.casefold()), reverse=True)
        site.tags = sorted((t for t in self.tags.values() if t.pages),
                           key=lambda t: t.name.casefold())

    def _event_key(self, event: r.Event) -> tuple:
        return (start_of_day(event.start, self.tz), event.slug)

    def _link_group(self, group: r.WorkingGroup, source: SourceFile, meta: dict) -> None:
        group.lead = self._find("organisation", meta.get("lead", []))
        group.cooperation = self._find("organisation", meta.get("cooperation", []))
        group.action_types = self._find("action_type", meta.get("action_types", []))
        organisations = self.by_kind["organisation"]
        group.chairs = [r.Chair(c["name"], organisations.get(c.get("organisation", "")),
                                c.get("email", "")) for c in meta.get("chairs", [])]
        raw_entries = source.meta.get("priorities") or []
        for index, entry in enumerate(meta.get("priorities", [])):
            raw = raw_entries[index] if index < len(raw_entries) else None
            text = self._markdown(entry["text"], source.path, raw, "text")
            priority = self.by_kind["priority"][entry["priority"]]
            group.priorities.append(r.GroupPriority(priority, group, text))
        group.priorities.sort(key=lambda e: e.priority.number)
