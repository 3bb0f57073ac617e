"""Every URL of the site, computed in one place.

Records, lists and templates get their hrefs here, so a site published under
a sub-path (https://example.org/wg/) has every link right.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from typing import Any, Iterable
from urllib.parse import unquote, urlsplit

ADMIN = "admin"  # the output folder, and URL, of the content manager: /admin/

# The routes that are not a content kind's; each kind brings its item's and its
# list's (see wgsite.content.schema), given to Urls when the site is read.
PATTERNS = {
    "home": "/",
    "organisation": "/organisations/{slug}/",
    "priority": "/priorities/{slug}/",
    "tag": "/tags/{slug}/",
    "group_news": "/working-groups/{slug}/news/",
    "group_documents": "/working-groups/{slug}/documents/",
    "priorities": "/priorities/",
    "organisations": "/organisations/",
    "tags": "/tags/",
    "feed": "/feed.xml",
    "group_feed": "/working-groups/{slug}/feed.xml",
    "calendar": "/events.ics",
    "site_calendar": "/calendar.ics",  # every event and every group's meetings
    "meetings": "/meetings/",  # the upcoming meetings of every group, by week
    "group_calendar": "/working-groups/{slug}/events.ics",
    "event_calendar": "/events/{slug}/event.ics",
    "search": "/search/",
    "not_found": "/404.html",
}


_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


def is_web_address(value: str) -> bool:
    """Whether `value` is an http(s) address with a host, one that urlsplit can read."""
    if not _WEB_ADDRESS.match(value):
        return False
    try:
        urlsplit(value)
    except ValueError:  # an unclosed IPv6 bracket, say: every later use would crash
        return False
    return True


def collision_key(output_file: str) -> str:
    """What a file system may treat as one name: case and Unicode form folded."""
    return unicodedata.normalize("NFC", output_file).casefold()


def folders_of(path: str) -> list[str]:
    """The folders above an output file, nearest first, "." last: PurePosixPath(path).parents
    as strings, without pathlib's cost for every page (news/x/index.html -> news/x, news, .)."""
    parts = path.split("/")
    if path.startswith("/") or any(part in ("", ".") for part in parts):
        return [str(folder) for folder in PurePosixPath(path).parents]  # to be normalised
    return ["/".join(parts[:end]) for end in range(len(parts) - 1, 0, -1)] + ["."]


def unsafe_site_path(value: str) -> str | None:
    """Why `value` cannot be a path on this site (it might leave the output), or None."""
    if not value.startswith("/") or value.startswith("//"):
        return "must be a path on this site, starting with one /"
    if "?" in value or "#" in value:
        return "must be a plain path, without ? or #"
    decoded = value
    for _ in range(3):  # %252e%252e is %2e%2e is ..
        decoded = unquote(decoded)
    if "\x00" in decoded or "\\" in decoded or re.search(r"[\x00-\x1f]", decoded):
        return "must not contain backslashes or control characters"
    if any(part in (".", "..") for part in decoded.split("/")):
        return "must not contain . or .. segments"
    if re.match(r"^/+[A-Za-z]:", decoded):
        return "must not name a drive"
    return None


class Urls:
    """Turns site paths ("/news/x/") into hrefs, permalinks and output files."""

    def __init__(self, base_url: str, kinds: Iterable[Any] = (), prefix: str = ""):
        self.base_url = base_url.rstrip("/") + "/"
        path = urlsplit(self.base_url).path or "/"
        self.base_path = path if path.endswith("/") else path + "/"
        self.patterns = dict(PATTERNS)
        self.item_routes: set[str] = set()  # the routes of one record of a content kind
        for kind in kinds:  # content kinds (wgsite.content.schema.ContentType)
            self.patterns.setdefault(kind.name, kind.url)
            self.item_routes.add(kind.name)
            if kind.list_url:
                self.patterns[kind.list_route] = kind.list_url
        # a language's pages live under /<prefix>/ (/fr/news/x/); "" for the default's
        self.prefix = prefix.strip("/")
        self._kinds = tuple(kinds)
        self._shared = [re.compile("^" + re.escape(pattern).replace(r"\{slug\}", "[^/]+")
                                   + "(?:page/[0-9]+/)?$")
                        for name, pattern in self.patterns.items()
                        if name not in self.item_routes]

    def in_language(self, prefix: str) -> "Urls":
        """The URLs of the same site for the language living under /<prefix>/."""
        return Urls(self.base_url, self._kinds, prefix)

    def path(self, name: str, slug: str = "") -> str:
        """The site path of the route `name`: a kind's item or list, a feed..."""
        path = self.patterns[name].format(slug=slug)
        return f"/{self.prefix}{path}" if self.prefix else path

    def is_shared(self, site_path: str) -> bool:
        """Whether a path as an editor writes it (/news/, /tags/x/) names a page every
        language has: a list, a tag, an organisation, the search page; not a record's."""
        return any(pattern.match(site_path) for pattern in self._shared)

    def url_for(self, name: str, slug: str = "") -> str:
        """The href of the route `name` (a key of PATTERNS, or a content kind's item or
        list route): what templates link with."""
        if name not in self.patterns:
            known = ", ".join(sorted(self.patterns))
            raise KeyError(f"url_for: there is no route '{name}' (the routes: {known})")
        return self.href(self.path(name, slug))

    @staticmethod
    def paged(list_path: str, number: int) -> str:
        """The site path of page `number` of a list (page 1 is the list itself)."""
        return list_path if number == 1 else f"{list_path}page/{number}/"

    def href(self, site_path: str) -> str:
        """An href for a site path, under the base path; other URLs unchanged but for a
        second '#', which a URL may not hold (matrix.to/#/#room): it becomes %23."""
        if not site_path.startswith("/") or site_path.startswith("//"):
            address, mark, fragment = site_path.partition("#")
            return address + mark + fragment.replace("#", "%23")
        return self.base_path + site_path[1:]

    def permalink(self, site_path: str) -> str:
        return self.base_url + site_path.lstrip("/")

    @staticmethod
    def output_file(site_path: str) -> str:
        """Pretty URLs: /news/x/ is written to news/x/index.html."""
        inner = site_path.strip("/")
        if not inner:
            return "index.html"
        if site_path.endswith("/"):
            return f"{inner}/index.html"
        return inner
