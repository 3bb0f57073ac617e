"""Machine outputs: Atom feeds, calendars, sitemap.xml, robots.txt and Netlify _redirects.

They are made from the same site graph and routes as the HTML pages, so they
hold exactly what is published, and their bytes depend on the sources alone:
every date in them comes from a record, never from the clock.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, tzinfo
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from wgsite.content import records as r
from wgsite.outputs.ical import calendar
from wgsite.problems import Problems
from wgsite.render.routes import Route
from wgsite.urls import Urls, collision_key
from wgsite.clock import start_of_day

FEED_SIZE = 20  # entries per feed: the latest news
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
EPOCH = "1970-01-01T00:00:00Z"  # `updated` of a feed with no entries: fixed, not the clock
NOT_IN_SITEMAP = "/404.html"
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A start tag (quoted attribute values may hold ">"), and a link or source inside one.
_START_TAG = re.compile(r"<[A-Za-z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_URL_ATTRIBUTE = re.compile(r"(\s(?:href|src)\s*=\s*)(\"[^\"]*\"|'[^']*'|[^\s\"'>]+)",
                            re.IGNORECASE)


def machine_outputs(site: r.Site, urls: Urls, routes: list[Route],
                    problems: Problems) -> dict[str, bytes]:
    """Every machine-readable file, keyed by its path in the output folder.

    A page whose URL would overwrite one of them is reported in `problems`.
    """
    tz = site.clock.tz
    out = urls.output_file
    files = {out(urls.path("feed")): atom_feed(
        site, urls, site.title, site.description, urls.path("feed"), urls.path("news_list"),
        site.news)}
    files[out(urls.path("calendar"))] = calendar(site.title, site.events, urls, tz)
    for group in site.working_groups:
        name = f"{group.title} – {site.title}"
        files[out(urls.path("group_feed", group.slug))] = atom_feed(
            site, urls, name, group.summary, urls.path("group_feed", group.slug),
            urls.path("group_news", group.slug), group.news)
        events = [event for event in site.events if group in event.working_groups]
        files[out(urls.path("group_calendar", group.slug))] = calendar(name, events, urls, tz)
    for event in site.events:
        files[out(urls.path("event_calendar", event.slug))] = calendar(
            event.title, [event], urls, tz)
    files["sitemap.xml"] = sitemap(site, urls, routes)
    files["robots.txt"] = robots(urls, site.preview)
    files["_redirects"] = redirects(urls, routes)
    _report_collisions(files, routes, urls, problems)
    return files


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
    entry = ET.Element("entry")
    _text(entry, "id", tag_uri(item, urls))
    _text(entry, "title", item.title)
    _link(entry, "alternate", item.permalink, "text/html")
    stamp = _rfc3339(item.date, tz)
    _text(entry, "published", stamp)
    _text(entry, "updated", stamp)
    _author(entry, site, urls)
    for tag in item.tags:
        ET.SubElement(entry, "category", {"term": tag.name})
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

def sitemap(site: r.Site, urls: Urls, routes: list[Route]) -> bytes:
    """Every HTML page but 404.html and the alias pages, with the date it last changed."""
    tz = site.clock.tz
    urlset = ET.Element("urlset", {"xmlns": SITEMAP})
    pages = sorted(((urls.permalink(route.path), _last_change(route.page, site, tz))
                    for route in routes if _is_page(route)), key=lambda pair: pair[0])
    for loc, changed in pages:
        entry = ET.SubElement(urlset, "url")
        _text(entry, "loc", loc)
        if changed:
            _text(entry, "lastmod", changed.isoformat())
    return _xml(urlset)


def _is_page(route: Route) -> bool:
    return route.path != NOT_IN_SITEMAP and not _is_alias(route)


def _is_alias(route: Route) -> bool:
    return route.path in getattr(route.page, "aliases", ())


def _last_change(page: Any, site: r.Site, tz: tzinfo) -> date | None:
    """The page's own date; for a list (and the home page), its newest item's."""
    if isinstance(page, r.ListPage):
        dates = [getattr(item, "date", None) for item in page.items]
    elif getattr(page, "kind", "") == "home" and not page.date:
        dates = [item.date for item in site.news[:1]]
    else:
        dates = [getattr(page, "date", None)]
    days = [d.astimezone(tz).date() if isinstance(d, datetime) else d for d in dates if d]
    return max(days, default=None)


def robots(urls: Urls, preview: bool = False) -> bytes:
    """Everything may be crawled; the sitemap says what there is."""
    if preview:  # a deploy preview is for reviewers, never for search engines
        return b"User-agent: *\nDisallow: /\n"
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.permalink('/sitemap.xml')}\n".encode()


def redirects(urls: Urls, routes: list[Route]) -> bytes:
    """Netlify's _redirects: each alias moves permanently to its page.

    The status is forced (301!) because the alias's own HTML page, kept for
    other hosts, would otherwise be served instead.
    """
    lines = sorted(f"{_redirect_path(urls.href(route.path))} "
                   f"{_redirect_path(route.page.url)} 301!"
                   for route in routes if _is_alias(route))
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _redirect_path(href: str) -> str:
    # a path in _redirects ends at the first blank: encode blanks and non-ASCII
    return quote(href, safe="/%!$&'()*+,;=:@~")


# -- collisions with pages -----------------------------------------------------

def _report_collisions(files: dict[str, bytes], routes: list[Route], urls: Urls,
                       problems: Problems) -> None:
    """A page that would overwrite one of these files, or need it as a folder, or the reverse."""
    ours = {collision_key(path): path for path in files}
    folders = {collision_key(str(folder)): path for path in files
               for folder in PurePosixPath(path).parents if str(folder) != "."}
    for route in routes:
        output = collision_key(urls.output_file(route.path))
        parents = [str(folder) for folder in PurePosixPath(output).parents]
        clash = ours.get(output) or folders.get(output) or next(
            (ours[p] for p in parents if p in ours), None)
        if clash is None:
            continue
        source = getattr(route.page, "source", "") or route.source
        what = "the alias" if _is_alias(route) else "the URL"
        problems.error(source, None, f"{what} {route.path} would overwrite /{clash}, which "
                       "wgsite writes itself (feeds, calendars, sitemap.xml, robots.txt, "
                       "_redirects); choose another")

