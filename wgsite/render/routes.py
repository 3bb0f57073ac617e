"""The routes of the site: every page to render, its URL, template and breadcrumbs.

All output paths are decided here, and two pages claiming one path (also by
case or Unicode form alone, which some file systems merge) are reported
together, naming both, before anything is rendered.
"""

from __future__ import annotations

import math
from datetime import timedelta
from dataclasses import dataclass, field
from typing import Any

from wgsite.content import records as r
from wgsite.content.schema import ContentType
from wgsite.problems import Problems
from wgsite.render.phrases import Phrases
from wgsite.urls import Urls, collision_key, folders_of


@dataclass(eq=False)
class Route:
    path: str  # site path, e.g. /news/page/2/
    template: str
    page: Any
    source: str  # what claims the path, for messages
    breadcrumbs: list[r.Link] = field(default_factory=list)
    language: str = ""  # the language of the page's interface


class _Router:
    def __init__(self, site: r.Site, urls: Urls, t: Phrases, types: dict[str, ContentType]):
        self.site, self.urls, self.t, self.types = site, urls, t, types
        self.routes: list[Route] = []
        self.home = r.Link(t("home"), urls.href(urls.path("home")))

    def crumbs(self, *links: tuple[str, str]) -> list[r.Link]:
        return [self.home] + [r.Link(title, self.urls.href(path)) for title, path in links]

    def record(self, record: r.Record, *parents: tuple[str, str]) -> None:
        template = record.layout or self.types[record.kind].template
        path = self.urls.path(record.kind, record.slug)
        crumbs = [] if record.kind == "home" else self.crumbs(*parents)
        self.routes.append(Route(path, template, record, record.source, crumbs))
        for alias in record.aliases:
            self.routes.append(Route(alias, "alias.html", record,
                                     f"{record.source} (alias {alias})"))

    def listing(self, kind: str, title: str, items: list, template: str,
                size: int | None = None, crumbs: list[r.Link] | None = None,
                path: str | None = None, **extra: Any) -> None:
        """One list page, or several when `size` paginates it."""
        path = path or self.urls.path(kind)
        crumbs = crumbs if crumbs is not None else self.crumbs()
        if not size:
            page = r.ListPage(kind, title, self.urls.href(path), self.urls.permalink(path),
                              items, extra=extra)
            self.routes.append(Route(path, template, page, f"the list {path}", crumbs))
            return
        total = max(1, math.ceil(len(items) / size))
        hrefs = [self.urls.href(self.urls.paged(path, n)) for n in range(1, total + 1)]
        for number in range(1, total + 1):
            page_path = self.urls.paged(path, number)
            paginator = r.Paginator(
                number=number, total=total,
                previous_url=hrefs[number - 2] if number > 1 else None,
                next_url=hrefs[number] if number < total else None,
                pages=_window(number, hrefs))
            page = r.ListPage(kind, title, self.urls.href(page_path),
                              self.urls.permalink(page_path),
                              items[(number - 1) * size: number * size], paginator, extra=extra)
            page_crumbs = crumbs if number == 1 else crumbs + [r.Link(title, hrefs[0])]
            self.routes.append(Route(page_path, template, page, f"the list {path}",
                                     page_crumbs))


def _window(number: int, hrefs: list[str], reach: int = 2) -> list[dict[str, Any]]:
    """Links to the first, last and nearby pages, a gap (number None) between them.

    Listing every page would make each of N pages hold N links: quadratic in
    pages and bytes for a long news list.
    """
    total = len(hrefs)
    shown = sorted({1, total} | set(range(max(1, number - reach), min(total, number + reach) + 1)))
    window: list[dict[str, Any]] = []
    for n in shown:
        if window and n - window[-1]["number"] == 2:  # a gap of one page: show it
            window.append({"number": n - 1, "url": hrefs[n - 2]})
        elif window and n - window[-1]["number"] > 2:
            window.append({"number": None, "url": None})
        window.append({"number": n, "url": hrefs[n - 1]})
    return window


def meeting_weeks(occurrences: list, tz: Any) -> list[dict[str, Any]]:
    """Occurrences by the week (Monday to Sunday, in the site's zone) they start in:
    [{"monday": date, "items": [...]}], in order."""
    weeks: list[dict[str, Any]] = []
    for occurrence in occurrences:
        day = occurrence.start.astimezone(tz).date()
        monday = day - timedelta(days=day.weekday())
        if not weeks or weeks[-1]["monday"] != monday:
            weeks.append({"monday": monday, "sunday": monday + timedelta(days=6), "items": []})
        weeks[-1]["items"].append(occurrence)
    return weeks


def plan_routes(site: r.Site, urls: Urls, t: Phrases, types: dict[str, ContentType],
                problems: Problems, check: bool = True) -> list[Route]:
    """Every page of the site (of one language), in a stable order; collisions become
    problems unless `check` is False (then the caller checks all languages at once)."""
    router = _Router(site, urls, t, types)
    sizes = site.page_sizes
    section = {kind: (t(kind), urls.path(kind))
               for kind in ("priorities", "organisations", "tags")}

    if site.home is not None:
        router.record(site.home)
    # kinds without a list (plain pages) first: theirs are the paths editors choose
    for type_ in sorted((t_ for name, t_ in types.items() if name != "home"),
                        key=lambda t_: bool(t_.list_url)):
        items = site.lists[type_.collection]
        parent = []
        if type_.list_url and (items or type_.empty_list):
            title = t(type_.list_phrase)
            router.listing(type_.list_route, title, items, type_.list_template,
                           sizes.get(type_.page_size) if type_.page_size else None)
            parent = [(title, urls.path(type_.list_route))]
        for item in items:
            if item.lang != site.language:
                continue  # not translated into this language: listed, with its own page
            router.record(item, *parent)
            if type_.name == "working_group":
                router.listing("group_news", t("group_news", group=item.title), item.news,
                               "news_list.html", sizes["group_news"],
                               router.crumbs(*parent, (item.title, urls.path(type_.name, item.slug))),
                               path=urls.path("group_news", item.slug), group=item)
            if type_.name == "working_group" and item.documents:  # no empty archives
                router.listing("group_documents", t("group_documents", group=item.title),
                               item.documents, "documents.html", sizes["group_documents"],
                               router.crumbs(*parent, (item.title, urls.path(type_.name, item.slug))),
                               path=urls.path("group_documents", item.slug), group=item)

    router.listing("priorities", section["priorities"][0], site.priorities, "priorities.html")
    for priority in site.priorities:
        router.routes.append(Route(urls.path("priority", priority.id), "priority.html", priority,
                                   "data/priorities.yaml", router.crumbs(section["priorities"])))
    router.listing("organisations", section["organisations"][0], site.organisations,
                   "organisations.html")
    for organisation in site.organisations:
        router.routes.append(Route(urls.path("organisation", organisation.id),
                                   "organisation.html", organisation, "data/organisations.yaml",
                                   router.crumbs(section["organisations"])))
    router.listing("tags", section["tags"][0], site.tags, "tags.html")
    for tag in site.tags:
        router.listing("tag", t("tag", tag=tag.name), tag.pages, "tag.html",
                       crumbs=router.crumbs(section["tags"]), path=urls.path("tag", tag.slug),
                       tag=tag)
    router.listing("search", t("search"), [], "search.html")
    router.listing("meetings", t("upcoming_meetings"), site.upcoming_meetings, "meetings.html",
                   weeks=meeting_weeks(site.upcoming_meetings, site.clock.tz))

    not_found_path = urls.path("not_found")
    not_found = r.ListPage("not_found", t("not_found_title"), urls.href(not_found_path),
                           urls.permalink(not_found_path), [])
    router.routes.append(Route(not_found_path, "404.html", not_found, "the page 404.html"))

    for route in router.routes:
        route.language = site.language
    if check:
        report_collisions(router.routes, urls, problems)
    return router.routes


def chooser_routes(site: r.Site, urls: Urls, t: Phrases) -> list[Route]:
    """For a site whose every language lives under /<lang>/: the page at / that lets
    readers choose one (it works without JavaScript), and the 404 page at the root."""
    chooser = r.ListPage("languages", site.title, urls.href("/"), urls.permalink("/"),
                         site.languages, lang=site.language)
    missing = r.ListPage("not_found", t("not_found_title"), urls.href("/404.html"),
                         urls.permalink("/404.html"), [], lang=site.language)
    return [Route("/", "languages.html", chooser, "the language chooser /",
                  language=site.language),
            Route("/404.html", "404.html", missing, "the page 404.html", language=site.language)]


def report_collisions(routes: list[Route], urls: Urls, problems: Problems) -> None:
    """Two pages claiming one path, also by case or Unicode form, or a file where
    another needs a folder: each reported naming both."""
    claimed: dict[str, Route] = {}
    for route in routes:
        key = collision_key(urls.output_file(route.path))
        first = claimed.setdefault(key, route)
        if first is route:
            continue
        if first.path == route.path:
            problems.error(route.source, None,
                           f"the URL {route.path} is also claimed by {first.source}")
        else:
            problems.error(route.source, None,
                           f"the URL {route.path} is also claimed by {first.source} as "
                           f"{first.path}: they differ only in case or Unicode form, which "
                           "many file systems treat as one")
    # /about (a file) and /about/ (a folder holding index.html) cannot both be written
    for route in routes:
        for folder in folders_of(urls.output_file(route.path)):
            other = claimed.get(collision_key(folder))
            if other is not None and other is not route:
                problems.error(other.source, None,
                               f"the URL {other.path} is a file where {route.source} needs "
                               f"the folder /{folder}/ for {route.path}")
