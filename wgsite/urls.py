"""Every URL of the site, computed in one place.

Records, lists and templates get their hrefs here, so a site published under
a sub-path (https://example.org/wg/) has every link right.
"""

from __future__ import annotations

from urllib.parse import urlsplit

PATTERNS = {
    "home": "/",
    "page": "/{slug}/",
    "working_group": "/working-groups/{slug}/",
    "news": "/news/{slug}/",
    "project": "/projects/{slug}/",
    "event": "/events/{slug}/",
    "organisation": "/organisations/{slug}/",
    "priority": "/priorities/{slug}/",
    "tag": "/tags/{slug}/",
    "group_news": "/working-groups/{slug}/news/",
    "working_groups": "/working-groups/",
    "news_list": "/news/",
    "projects": "/projects/",
    "events": "/events/",
    "priorities": "/priorities/",
    "organisations": "/organisations/",
    "tags": "/tags/",
}


class Urls:
    """Turns site paths ("/news/x/") into hrefs, permalinks and output files."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/") + "/"
        path = urlsplit(self.base_url).path or "/"
        self.base_path = path if path.endswith("/") else path + "/"

    def path(self, kind: str, slug: str = "") -> str:
        """The site path of a page of `kind`."""
        return PATTERNS[kind].format(slug=slug)

    @staticmethod
    def paged(list_path: str, number: int) -> str:
        """The site path of page `number` of a list (page 1 is the list itself)."""
        return list_path if number == 1 else f"{list_path}page/{number}/"

    def href(self, site_path: str) -> str:
        """An href for a site path, under the base path; other URLs unchanged."""
        if not site_path.startswith("/") or site_path.startswith("//"):
            return site_path
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
