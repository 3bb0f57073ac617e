"""Markdown to HTML: the extensions editors expect, links that work anywhere, safe output.

Site paths in links (/projects/venhans/) get the base path; images named by
their path inside assets/ (images/map.svg) get their fingerprinted URL. An
image that does not exist is reported with its file and line. Links with an
unsafe scheme are dropped and raw HTML is sanitised (see sanitize), each with
a warning naming the file and line. Content is never run as a template:
`{{ 7*7 }}` in Markdown stays as written.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Callable

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from wgsite import sanitize
from wgsite.assets import Assets
from wgsite.problems import Problems
from wgsite.urls import Urls

EXTENSIONS = ["tables", "fenced_code", "footnotes", "toc", "smarty", "attr_list",
              "sane_lists", "abbr", "def_list"]
EXTENSION_CONFIGS = {"toc": {"slugify": slugify_unicode}}


class _LinkRewriter(Treeprocessor):
    """Rewrites hrefs and image sources as the element tree is finished."""

    def __init__(self, md: markdown.Markdown, rewrite: Callable[[ET.Element], None]):
        super().__init__(md)
        self.rewrite = rewrite

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag in ("a", "img"):
                self.rewrite(element)


class _LinkExtension(Extension):
    def __init__(self, rewrite: Callable[[ET.Element], None]):
        super().__init__()
        self.rewrite = rewrite

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # after inline patterns (priority 20), before prettify (10)
        md.treeprocessors.register(_LinkRewriter(md, self.rewrite), "wgsite_links", 15)


class MarkdownRenderer:
    """Converts Markdown text to safe-to-embed HTML, one document at a time."""

    def __init__(self, urls: Urls, assets: Assets, problems: Problems, trust_html: bool = False):
        self.urls = urls
        self.assets = assets
        self.problems = problems
        self.trust_html = trust_html
        self._context: tuple[str, str, int] = ("", "", 1)
        self._md = markdown.Markdown(
            extensions=EXTENSIONS + [_LinkExtension(self._rewrite)],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )

    def render(self, text: str, path: str, first_line: int) -> Markup:
        """The HTML of `text`, which starts at line `first_line` of `path`."""
        self._context = (text, path, first_line)
        self._md.reset()
        html = self._md.convert(text)
        if self.trust_html:
            return Markup(html)
        for block in self._md.htmlStash.rawHtmlBlocks:
            block = str(block)
            for part in sanitize.unsafe_parts(block):
                self.problems.warning(path, _line_of(text, block.strip()[:60], first_line),
                                      f"removed {part} from raw HTML (set trust_html in "
                                      "data/site.yaml to allow it)")
        return Markup(sanitize.clean(html))

    def _rewrite(self, element: ET.Element) -> None:
        attribute = "href" if element.tag == "a" else "src"
        value = element.get(attribute)
        if not value:
            return
        if not sanitize.is_safe_url(value):
            del element.attrib[attribute]
            text, path, first_line = self._context
            what = "link" if element.tag == "a" else "image"
            self.problems.warning(path, _line_of(text, value, first_line),
                                  f"removed a {sanitize.url_scheme(value)}: {what}; links and "
                                  "images may use http, https, mailto or a path on the site")
            return
        if element.tag == "img" and not _has_scheme(value) and not value.startswith(("/", "#")):
            asset = self.assets.get(value)
            if asset is None:
                text, path, first_line = self._context
                self.problems.error(path, _line_of(text, value, first_line),
                                    f"there is no image assets/{value}")
                return
            element.set(attribute, self.urls.href("/" + asset.output))
            if asset.width and asset.height and not element.get("width"):
                element.set("width", str(asset.width))
                element.set("height", str(asset.height))
            return
        element.set(attribute, self.urls.href(value))


def _has_scheme(value: str) -> bool:
    head = value.split("/", 1)[0]
    return ":" in head


def _line_of(text: str, needle: str, first_line: int) -> int:
    """The file line where `needle` first appears in `text`."""
    index = text.find(needle)
    return first_line + (text.count("\n", 0, index) if index >= 0 else 0)
