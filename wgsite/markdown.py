"""Markdown to HTML: the extensions editors expect, links that work anywhere, safe output.

Site paths in links (/projects/venhans/) get the base path; images named by
their path inside assets/ (images/map.svg) get their fingerprinted URL, and
raster ones a srcset of resized copies (see images). An image that does not
exist, or has no alt text, is reported with its file and line. Links with an
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
from wgsite.images import SIZES, Renditions
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
            elif element.tag in ("td", "th") and element.get("style"):
                _align_by_class(element)


class _LinkExtension(Extension):
    def __init__(self, rewrite: Callable[[ET.Element], None]):
        super().__init__()
        self.rewrite = rewrite

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # after inline patterns (priority 20), before prettify (10)
        md.treeprocessors.register(_LinkRewriter(md, self.rewrite), "wgsite_links", 15)


class MarkdownRenderer:
    """Converts Markdown text to safe-to-embed HTML, one document at a time."""

    def __init__(self, urls: Urls, assets: Assets, renditions: Renditions, problems: Problems,
                 trust_html: bool = False):
        self.urls = urls
        self.assets = assets
        self.renditions = renditions
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
        if element.tag == "img":
            self._image(element, value)
            return
        element.set(attribute, self.urls.href(value))

    def _image(self, element: ET.Element, value: str) -> None:
        """An image needs alt text; one of ours gets its resized copies; all load lazily."""
        text, path, first_line = self._context
        if not (element.get("alt") or "").strip():
            bare = f"![]({value}"
            self.problems.error(path, _line_of(text, bare if bare in text else value, first_line),
                                f"the image {value} has no alt text: say what it shows between "
                                f"the brackets, ![...]({value}), for readers who cannot see it "
                                "(an image in the text is never mere decoration; decoration "
                                "belongs in the theme)")
        for name, default in (("loading", "lazy"), ("decoding", "async")):
            if not element.get(name):
                element.set(name, default)
        if _has_scheme(value) or value.startswith(("/", "#")):
            element.set("src", self.urls.href(value))
            return
        asset = self.assets.get(value)
        if asset is None:
            self.problems.error(path, _line_of(text, value, first_line),
                                f"there is no image assets/{value}")
            return

        def href(output: str) -> str:
            return self.urls.href("/" + output)

        resized = self.renditions.of(asset)
        if resized is None:  # SVG and other formats that scale by themselves
            element.set("src", href(asset.output))
            width, height = asset.width, asset.height
        else:  # one format only: a plain <img> has no way to offer WebP with a fallback
            element.set("src", resized.fallback(href))
            element.set("srcset", resized.srcset(resized.mime, href))
            lazy = element.get("loading") == "lazy"  # "auto" is for lazy images only
            element.set("sizes", f"auto, {SIZES}" if lazy else SIZES)
            width, height = resized.width, resized.height
        if width and height and not element.get("width"):
            element.set("width", str(width))
            element.set("height", str(height))


def _align_by_class(cell: ET.Element) -> None:
    """A table column's alignment as a class: the CSP allows no style attributes."""
    style = cell.attrib.pop("style").replace(" ", "")
    for side in ("left", "center", "right"):
        if f"text-align:{side}" in style:
            cell.set("class", f"align-{side}")


def _has_scheme(value: str) -> bool:
    head = value.split("/", 1)[0]
    return ":" in head


def _line_of(text: str, needle: str, first_line: int) -> int:
    """The file line where `needle` first appears in `text`."""
    index = text.find(needle)
    return first_line + (text.count("\n", 0, index) if index >= 0 else 0)
