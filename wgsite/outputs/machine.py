"""Machine outputs: Atom feeds, calendars, sitemap.xml, robots.txt and Netlify _redirects.

They are made from the same site graph and routes as the HTML pages, so they
hold exactly what is published, and their bytes depend on the sources alone:
every date in them comes from a record, never from the clock.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, tzinfo
from typing import Any, Iterable
from urllib.parse import quote, urljoin, urlsplit

from wgsite.content import records as r
from wgsite.outputs.ical import calendar
from wgsite.problems import Problems
from wgsite.render.routes import Route
from wgsite.urls import Urls, collision_key, folders_of
from wgsite.clock import start_of_day

FEED_SIZE = 20  # entries per feed: the latest news
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
EPOCH = "1970-01-01T00:00:00Z"  # `updated` of a feed with no entries: fixed, not the clock
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A start tag (quoted attribute values may hold ">"), and a link or source inside one.
_START_TAG = re.compile(r"<[A-Za-z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_URL_ATTRIBUTE = re.compile(r"(\s(?:href|src)\s*=\s*)(\"[^\"]*\"|'[^']*'|[^\s\"'>]+)",
                            re.IGNORECASE)


def machine_outputs(site: r.Site, urls: Urls, routes: list[Route], problems: Problems,
                    changed: dict[str, datetime] | None = None) -> dict[str, bytes]:
    """Every machine-readable file of a site in one language, keyed by its path in the
    output folder; `changed` gives when each source file last changed
    (wgsite.content.history). A page whose URL would overwrite one of them is reported."""
    files = language_outputs(site, urls, changed)
    files.update(site_outputs([(site, routes)], urls, changed))
    report_collisions(files, routes, urls, problems)
    return files


def language_outputs(site: r.Site, urls: Urls, changed: dict[str, datetime] | None = None
                     ) -> dict[str, bytes]:
    """The feeds and calendars of one language's pages, under its URLs."""
    return {**language_feeds(site, urls), **language_calendars(site, urls, changed)}


def language_feeds(site: r.Site, urls: Urls, showing: Iterable[Any] | None = None
                   ) -> dict[str, bytes]:
    """The Atom feeds of one language: the site's news and each group's. The only machine
    outputs that show page bodies (serve's rebuild of bodies alone makes only these again,
    see commands.body_edit; tests/test_body_edit.py edits the body of each kind of page
    and compares every file with a clean build). `showing`:
    only the feeds whose entries include one of these records (a feed shows nothing of
    the site's but its entries, its title and its links)."""
    wanted = None if showing is None else {id(record) for record in showing}

    def shown(items: list[Any]) -> bool:
        return wanted is None or any(id(item) in wanted for item in items[:FEED_SIZE])

    out = urls.output_file
    files = {}
    if shown(site.news):
        files[out(urls.path("feed"))] = atom_feed(
            site, urls, site.title, site.description, urls.path("feed"),
            urls.path("news_list"), site.news)
    for group in _own_groups(site):
        if shown(group.news):
            name = f"{group.title} – {site.title}"
            files[out(urls.path("group_feed", group.slug))] = atom_feed(
                site, urls, name, group.summary, urls.path("group_feed", group.slug),
                urls.path("group_news", group.slug), group.news)
    return files


def _own_groups(site: r.Site) -> list[r.WorkingGroup]:
    """The groups in this language: a group's page, feed and calendar are in its own."""
    return [group for group in site.working_groups if group.lang == site.language]


def language_calendars(site: r.Site, urls: Urls, changed: dict[str, datetime] | None = None
                       ) -> dict[str, bytes]:
    """The calendars of one language: the site's events, with the groups' meetings or
    without, each group's, and each event's."""
    tz = site.clock.tz
    changed = changed or {}
    out = urls.output_file
    files = {out(urls.path("calendar")): calendar(site.title, site.events, urls, tz, changed)}
    files[out(urls.path("site_calendar"))] = calendar(
        site.title, site.events, urls, tz, changed,
        [m for group in site.working_groups if _meets(group) for m in group.meetings])
    for group in _own_groups(site):
        name = f"{group.title} – {site.title}"
        events = [event for event in site.events if group in event.working_groups]
        files[out(urls.path("group_calendar", group.slug))] = calendar(
            name, events, urls, tz, changed, group.meetings if _meets(group) else [])
    for event in site.events:
        if event.lang != site.language:
            continue
        files[out(urls.path("event_calendar", event.slug))] = calendar(
            event.title, [event], urls, tz, changed)
    return files


def site_outputs(languages: list[tuple[r.Site, list[Route]]], urls: Urls,
                 changed: dict[str, datetime] | None = None) -> dict[str, bytes]:
    """The files a site has once, whatever its languages: sitemap.xml (with each page's
    translations), robots.txt and _redirects. `languages` pairs each language's site
    with its routes, the default language first; `urls` are the default's."""
    preview = languages[0][0].preview
    return {"sitemap.xml": sitemap(languages, urls, changed), "robots.txt": robots(urls, preview),
            "_redirects": redirects(urls, [route for _, routes in languages for route in routes],
                                    [site for site, _ in languages])}


def _meets(group: r.WorkingGroup) -> bool:
    """Whether the group's meetings go into calendars: not once the group is closed."""
    return getattr(group, "status", "active") != "closed"


# -- Atom (RFC 4287) -------------------------------------------------------

def atom_feed(site: r.Site, urls: Urls, title: str, subtitle: str, feed_path: str,
              list_path: str, items: list[r.NewsItem]) -> bytes:
    """An Atom feed of the latest `items` (newest first), its id its own permalink."""
    tz = site.clock.tz
    entries = items[:FEED_SIZE]
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": site.language})
    _text(feed, "id", urls.permalink(feed_path))
    _text(feed, "title", title)
    if subtitle:
        _text(feed, "subtitle", subtitle)
    _link(feed, "self", urls.permalink(feed_path), "application/atom+xml")
    _link(feed, "alternate", urls.permalink(list_path), "text/html")
    _text(feed, "updated", _rfc3339(entries[0].date, tz) if entries else EPOCH)
    _author(feed, site, urls)
    for item in entries:
        feed.append(_entry(item, site, urls, tz))
    return _xml(feed)


def _entry(item: r.NewsItem, site: r.Site, urls: Urls, tz: tzinfo) -> ET.Element:
    # an item not translated into the feed's language says which language it is in
    entry = ET.Element("entry", {"xml:lang": item.lang} if item.lang and
                       item.lang != site.language else {})
    _text(entry, "id", tag_uri(item, urls))
    _text(entry, "title", item.title)
    _link(entry, "alternate", item.permalink, "text/html")
    stamp = _rfc3339(item.date, tz)
    _text(entry, "published", stamp)
    _text(entry, "updated", stamp)
    _author(entry, site, urls)
    for tag in item.tags:
        ET.SubElement(entry, "category", {"term": tag.slug, "label": tag.name})
    if item.summary:
        _text(entry, "summary", item.summary)
    content = _text(entry, "content", absolute_urls(str(item.content), item.permalink))
    content.set("type", "html")
    return entry


def tag_uri(item: r.Record, urls: Urls) -> str:
    """A tag: URI (RFC 4151) for an entry: the site's host, the item's date, its path.

    It stays the same from build to build, whatever the page's position in lists.
    """
    parts = urlsplit(item.permalink)
    day = item.date.isoformat()[:10] if item.date else "1970-01-01"
    host = urlsplit(urls.base_url).hostname or "localhost"
    return f"tag:{host},{day}:{quote(parts.path, safe='/%')}"


def absolute_urls(html: str, page_url: str) -> str:
    """`html` with every relative href and src made absolute, as a feed reader needs."""
    def attribute(match: re.Match[str]) -> str:
        value = match.group(2)
        quote_char = value[0] if value[0] in "\"'" else ""
        inner = value[1:-1] if quote_char else value
        return f"{match.group(1)}{quote_char}{urljoin(page_url, inner)}{quote_char}"

    return _START_TAG.sub(lambda tag: _URL_ATTRIBUTE.sub(attribute, tag.group(0)), html)


def _rfc3339(value: date | None, tz: tzinfo) -> str:
    """A date as the start of that day in the site's time zone (2025-06-12T00:00:00+02:00)."""
    if value is None:
        return EPOCH
    return start_of_day(value, tz).astimezone(tz).isoformat(timespec="seconds")


def _author(parent: ET.Element, site: r.Site, urls: Urls) -> None:
    author = ET.SubElement(parent, "author")
    _text(author, "name", site.title)
    _text(author, "uri", urls.base_url)


def _link(parent: ET.Element, rel: str, href: str, media_type: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "type": media_type, "href": href})


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, name)
    element.text = _NOT_XML.sub("", text)
    return element


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# -- sitemap.xml, robots.txt, _redirects -------------------------------------

XHTML = "http://www.w3.org/1999/xhtml"


def sitemap(languages: list[tuple[r.Site, list[Route]]], urls: Urls,
            changed: dict[str, datetime] | None = None) -> bytes:
    """Every HTML page but the 404 pages and the alias pages, with the day it last
    changed and, for a site in several languages, its translations as xhtml:link."""
    several = len(languages) > 1
    pages = []
    for site, routes in languages:
        dating = _Dating(site, routes, changed or {}, site.clock.tz)
        pages += [(urls.permalink(route.path), dating.of_route(route),
                   getattr(route.page, "alternates", []) if several else [])
                  for route in routes if _is_page(route)]
    return _sitemap_xml(sorted(pages, key=lambda entry: entry[0]), several)


def _sitemap_xml(pages: list[tuple[str, date | None, list[Any]]], several: bool) -> bytes:
    """The sitemap's XML, written out as ElementTree (indented) writes it, without its tree:
    serve makes the sitemap again after an edit, and the tree of a large site's was most of
    that time (tests/test_outputs.py holds the two to the same bytes)."""
    start = f'<urlset xmlns="{SITEMAP}"' + (f' xmlns:xhtml="{XHTML}"' if several else "")
    if not pages:
        return f"{_DECLARATION}\n{start} />\n".encode()
    out = [_DECLARATION, "\n", start, ">\n"]
    for loc, day, alternates in pages:
        out += ["  <url>\n    <loc>", _cdata(loc), "</loc>\n"]
        if day:
            out += ["    <lastmod>", day.isoformat(), "</lastmod>\n"]
        links = [(alternate.lang, alternate.permalink) for alternate in alternates]
        links += [("x-default", alternate.permalink) for alternate in alternates
                  if alternate.default]
        for lang, href in links:
            out += ['    <xhtml:link rel="alternate" hreflang="', _attribute(lang),
                    '" href="', _attribute(href), '" />\n']
        out.append("  </url>\n")
    out.append("</urlset>\n")
    return "".join(out).encode("utf-8")


_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"
_CDATA = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"})


def _cdata(text: str) -> str:
    """Text as an element's content, as _text and ElementTree give it."""
    return _NOT_XML.sub("", text).translate(_CDATA)


def _attribute(text: str) -> str:
    return text.translate(_ATTRIBUTE)


def _is_page(route: Route) -> bool:
    return getattr(route.page, "kind", "") != "not_found" and not _is_alias(route)


def _is_alias(route: Route) -> bool:
    return route.path in getattr(route.page, "aliases", ())


# What else a record's page shows, whose change changes the page.
_SHOWN = ("news", "related_news", "projects", "events", "upcoming_events", "groups", "pages",
          "latest_documents")


class _Dating:
    """The day a page last changed, from its content.

    A record's page changed when its source file last did (its last commit, see
    wgsite.content.history) or on its own date, whichever is later, and when a
    record it lists did: a group's page changes with its news, a list with its
    newest item, a tag's list with the pages tagged, the home page with the news,
    groups and events it shows, the search page with any page. Without git, a
    page that neither has a date nor lists anything dated has none.
    """

    def __init__(self, site: r.Site, routes: list[Route], changed: dict[str, datetime],
                 tz: tzinfo):
        self.site, self.changed, self.tz = site, changed, tz
        self.sources = {id(route.page): route.source for route in routes}
        # each record's own day, by id: a record is listed on many pages (a post on its
        # group's, its tags', the news lists'), and the records outlive the sitemap
        self._days: dict[int, date | None] = {}

    def of_route(self, route: Route) -> date | None:
        page = route.page
        if getattr(page, "kind", "") == "search":  # it finds every page
            site = self.site
            everything = [site.home, *site.pages, *site.working_groups, *site.news,
                          *site.projects, *site.events, *site.priorities, *site.organisations]
            return max(filter(None, map(self._own, everything)), default=None)
        days = [self._own(page)] + [self._own(item) for item in self._shown(page)]
        return max(filter(None, days), default=None)

    def _shown(self, page: Any) -> list[Any]:
        if getattr(page, "kind", "") == "meetings":  # it changes with any group's meetings
            return list(self.site.working_groups)
        if isinstance(page, r.ListPage):
            items = list(page.items)
        elif getattr(page, "kind", "") == "home":
            items = [*self.site.news[:1], *self.site.working_groups, *self.site.events]
        else:
            items = [item for name in _SHOWN for item in getattr(page, name, None) or []]
        shown = []
        for item in items:
            if isinstance(item, r.Tag):  # a tag in a list stands for the pages it tags
                shown += item.pages
            else:  # a priority's entry (group and text) stands for its group
                shown.append(getattr(item, "group", None) or item)
        return shown

    def _own(self, page: Any) -> date | None:
        """The later of when the page's source last changed and the page's own date."""
        if page is None:
            return None
        key = id(page)
        if key not in self._days:
            self._days[key] = self._day(page)
        return self._days[key]

    def _day(self, page: Any) -> date | None:
        days = []
        source = getattr(page, "source", None) or self.sources.get(id(page), "")
        if source in self.changed:
            days.append(self.changed[source].astimezone(self.tz).date())
        own = getattr(page, "date", None)
        if isinstance(own, date):
            days.append(own.astimezone(self.tz).date() if isinstance(own, datetime) else own)
        return max(days, default=None)


def robots(urls: Urls, preview: bool = False) -> bytes:
    """Everything may be crawled; the sitemap says what there is."""
    if preview:  # a deploy preview is for reviewers, never for search engines
        return b"User-agent: *\nDisallow: /\n"
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.permalink('/sitemap.xml')}\n".encode()


def redirects(urls: Urls, routes: list[Route], sites: list[r.Site] = ()) -> bytes:
    """Netlify's _redirects: each alias moves permanently to its page; and, for a site in
    several languages, a missing page under /fr/ gets the French 404 page.

    The status is forced (301!) because the alias's own HTML page, kept for
    other hosts, would otherwise be served instead.
    """
    lines = sorted(f"{_redirect_path(urls.href(route.path))} "
                   f"{_redirect_path(route.page.url)} 301!"
                   for route in routes if _is_alias(route))
    if len(sites) > 1:  # /fr/404.html answers for /fr/*; the root's 404.html for the rest
        for route in routes:
            if getattr(route.page, "kind", "") == "not_found" and route.path.count("/") > 1:
                prefix = route.path.split("/")[1]
                lines.append(f"{_redirect_path(urls.href(f'/{prefix}/'))}* "
                             f"{_redirect_path(urls.href(route.path))} 404")
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _redirect_path(href: str) -> str:
    # a path in _redirects ends at the first blank: encode blanks and non-ASCII
    return quote(href, safe="/%!$&'()*+,;=:@~")


# -- collisions with pages -----------------------------------------------------

def report_collisions(files: dict[str, bytes], routes: list[Route], urls: Urls,
                      problems: Problems) -> None:
    """A page that would overwrite one of these files, or need it as a folder, or the reverse."""
    ours = {collision_key(path): path for path in files}
    folders = {collision_key(folder): path for path in files
               for folder in folders_of(path) if folder != "."}
    for route in routes:
        output = collision_key(urls.output_file(route.path))
        parents = folders_of(output)
        clash = ours.get(output) or folders.get(output) or next(
            (ours[p] for p in parents if p in ours), None)
        if clash is None:
            continue
        source = getattr(route.page, "source", "") or route.source
        what = "the alias" if _is_alias(route) else "the URL"
        problems.error(source, None, f"{what} {route.path} would overwrite /{clash}, which "
                       "wgsite writes itself (feeds, calendars, sitemap.xml, robots.txt, "
                       "_redirects); choose another")

