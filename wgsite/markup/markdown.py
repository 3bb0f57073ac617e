"""Markdown to HTML: the extensions editors expect, links that work anywhere, safe output.

Site paths in links (/projects/venhans/) get the base path; images named by
their path inside assets/ (images/map.svg) get their fingerprinted URL, and
raster ones a srcset of resized copies (see images). An image that does not
exist, or has no alt text, is reported with its file and line. Links with an
unsafe scheme are dropped and raw HTML is sanitised (see sanitize), each with
a warning naming the file and line. Content is never run as a template:
`{{ 7*7 }}` in Markdown stays as written.

Converting is the slowest pure step of a build, so each document's HTML (and
the warnings it gave) is cached under a hash of its text, its place and the
settings that shape it; `prepare` converts the rest ahead of use, over
several processes when there are many. A document with an image is always
converted here, in the build's own process: its images add files to the build.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from wgsite.forking import can_fork, helper_starts
from wgsite.markup import sanitize
from wgsite.markup.assets import Assets
from wgsite.markup.images import SIZES, Renditions
from wgsite.problems import Problems
from wgsite.markup.typography import TypographyExtension
from wgsite.reuse import ResultCache, content_key
from wgsite.urls import Urls

# Typographic quotes and dashes come from wgsite.markup.typography, not "smarty" (too slow).
EXTENSIONS = ["tables", "fenced_code", "footnotes", "toc", "attr_list", "sane_lists", "abbr",
              "def_list"]
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


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_PLACEHOLDER = re.compile("\x02[^\x03]*\x03")  # Markdown's stand-ins for stashed HTML


def _text_of(element: ET.Element) -> str:
    return " ".join(_PLACEHOLDER.sub("", "".join(element.itertext())).split())


class _TableScroll(Treeprocessor):
    """Puts each table in a region of its own that scrolls sideways when the table is
    wider than the page (a phone's, say), and that a keyboard can reach and scroll: a
    scrolling box no key can reach hides the columns beyond it. The region is named
    after the table's caption, else the heading it comes under, else its column heads."""

    def run(self, root: ET.Element) -> None:
        heading = ""

        def walk(parent: ET.Element) -> None:
            nonlocal heading
            for index, child in enumerate(list(parent)):
                if child.tag in _HEADINGS:
                    heading = _text_of(child)
                elif child.tag == "table":
                    caption = child.find("caption")
                    heads = [_text_of(cell) for cell in child.iter("th")]
                    label = (_text_of(caption) if caption is not None else "") or heading \
                        or ", ".join(head for head in heads if head)
                    region = ET.Element("div", {"class": "table-scroll", "role": "region",
                                                "tabindex": "0"})
                    if label:
                        region.set("aria-label", label)
                    region.tail, child.tail = child.tail, None
                    region.text = "\n"
                    region.append(child)
                    parent[index] = region
                else:
                    walk(child)

        walk(root)


class _LinkExtension(Extension):
    def __init__(self, rewrite: Callable[[ET.Element], None]):
        super().__init__()
        self.rewrite = rewrite

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # after inline patterns (priority 20), before prettify (10)
        md.treeprocessors.register(_LinkRewriter(md, self.rewrite), "wgsite_links", 15)
        md.treeprocessors.register(_TableScroll(md), "wgsite_table_scroll", 14)


# Below this many documents to convert, starting worker processes costs more
# than it saves.
POOL_THRESHOLD = 64


def cpu_count() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class MarkdownRenderer:
    """Converts Markdown text to safe-to-embed HTML, one document at a time."""

    def __init__(self, urls: Urls, assets: Assets | None, renditions: Renditions | None,
                 problems: Problems, trust_html: bool = False, cache: ResultCache | None = None,
                 jobs: int = 1):
        self.urls = urls
        self.assets = assets
        self.renditions = renditions
        self.problems = problems
        self.trust_html = trust_html
        self.cache = cache
        self.jobs = jobs
        self.converted = 0  # documents converted by this build (not taken from the cache)
        self.worker_cpu = 0.0  # CPU seconds the worker processes spent converting
        self._ready: dict[str, dict[str, Any]] = {}  # converted by prepare(), by key
        self._context: tuple[str, str, int] = ("", "", 1)
        self._md = markdown.Markdown(
            extensions=EXTENSIONS + [_LinkExtension(self._rewrite), TypographyExtension()],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )

    def _key(self, text: str, path: str, first_line: int) -> str:
        parts = (self.urls.base_url, self.trust_html, path, first_line, text)
        # a cache that remembers keys (serve's: wgsite.incremental.session.Keys) spares
        # hashing every body again; the types are part of what it compares (True is not 1)
        keys = getattr(self.cache, "keys", None)
        if keys is None:
            return content_key("markdown", *parts)
        return keys.of((*parts, *map(type, parts)), lambda: content_key("markdown", *parts))

    def prepare(self, documents: list[tuple[str, str, int]]) -> None:
        """Convert ahead of use the documents the cache lacks, in parallel when many."""
        todo: dict[str, tuple[str, str, int]] = {}
        for text, path, first_line in documents:
            if has_image(text):
                continue
            key = self._key(text, path, first_line)
            if key not in todo and key not in self._ready and self._cached(key) is None:
                todo[key] = (text, path, first_line)
        if not todo:
            return
        keys = list(todo)
        if self.jobs > 1 and len(keys) >= POOL_THRESHOLD:
            results, cpu = _convert_in_workers([todo[k] for k in keys], self.urls.base_url,
                                               self.trust_html, self.jobs)
            self.worker_cpu += cpu
        else:
            results = [self._convert(*todo[k]) for k in keys]
        for key, result in zip(keys, results):
            self._ready[key] = result
            self.converted += 1
            if self.cache is not None:
                self.cache.put(key, result)

    def _cached(self, key: str, keep: bool = True) -> dict[str, Any] | None:
        if key in self._ready:
            return self._ready[key]
        value = self.cache.get(key) if self.cache is not None else None
        if _is_result(value):
            if keep:
                self._ready[key] = value
            return value
        return None

    def render(self, text: str, path: str, first_line: int) -> Markup:
        """The HTML of `text`, which starts at line `first_line` of `path`."""
        if has_image(text):
            self.converted += 1
            return self._render(text, path, first_line)
        key = self._key(text, path, first_line)
        # Taken out of _ready: the page keeps the HTML, and two copies of every
        # page's HTML for the length of the build cost more memory than a
        # second read of the cache for the rare text rendered twice.
        result = self._ready.pop(key, None) or self._cached(key, keep=False)
        if result is None:
            result = self._convert(text, path, first_line)
            self.converted += 1
            if self.cache is not None:
                self.cache.put(key, result)
        for severity, line, message in result["problems"]:
            report = self.problems.error if severity == "error" else self.problems.warning
            report(path, line, message)
        return Markup(result["html"])

    def _convert(self, text: str, path: str, first_line: int) -> dict[str, Any]:
        """The HTML and the problems of one document, as the cache keeps them."""
        problems, self.problems = self.problems, Problems()
        try:
            html = str(self._render(text, path, first_line))
            found = [[p.severity, p.line, p.message] for p in self.problems.items]
        finally:
            self.problems = problems
        return {"html": html, "problems": found}

    def _render(self, text: str, path: str, first_line: int) -> Markup:
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


def has_image(text: str) -> bool:
    """Whether Markdown `text` holds an image, whose resized copies its conversion makes
    (as assets): such a text is converted anew every build, never taken from a cache."""
    return "![" in text


def _is_result(value: Any) -> bool:
    """Whether a cache entry has the shape `_convert` gives; anything else is ignored."""
    return (isinstance(value, dict) and isinstance(value.get("html"), str)
            and isinstance(value.get("problems"), list)
            and all(isinstance(p, list) and len(p) == 3 and p[0] in ("error", "warning")
                    and (p[1] is None or isinstance(p[1], int)) and isinstance(p[2], str)
                    for p in value["problems"]))


_WORKER: dict[tuple[str, bool], MarkdownRenderer] = {}


def _convert_batch(base_url: str, trust_html: bool, documents: list[tuple[str, str, int]]
                   ) -> tuple[list[dict[str, Any]], float]:
    """In a worker process: convert image-free documents with a renderer of its own;
    the results and the CPU seconds they took (a worker is no child of the build, so
    the build's own count of CPU time would miss them)."""
    started = time.process_time()
    renderer = _WORKER.get((base_url, trust_html))
    if renderer is None:
        renderer = MarkdownRenderer(Urls(base_url), None, None, Problems(), trust_html)
        _WORKER[(base_url, trust_html)] = renderer
    return [renderer._convert(*document) for document in documents], \
        time.process_time() - started


def _convert_in_workers(documents: list[tuple[str, str, int]], base_url: str,
                        trust_html: bool, jobs: int) -> tuple[list[dict[str, Any]], float]:
    """Results in the order of `documents`, converted by `jobs` processes, and the CPU
    seconds the workers spent that the build does not count itself.

    Workers are forked from this process when that is safe (see wgsite.forking):
    they start at once, with Markdown and its extensions loaded, and being its
    children, their CPU time is the build's own. Otherwise (the dev server's
    threads, or not on Linux) they start from a fresh server process
    (forkserver), which pays for loading them again, and report their CPU time.
    """
    size = max(1, -(-len(documents) // (jobs * 4)))  # a few batches per worker
    batches = [documents[i:i + size] for i in range(0, len(documents), size)]
    forked = can_fork()
    context = multiprocessing.get_context("fork" if forked else "forkserver")
    if not forked:
        context.set_forkserver_preload(["wgsite.markup.markdown"])
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                               initializer=helper_starts if forked else None)
    try:
        done = list(pool.map(_convert_batch, [base_url] * len(batches),
                             [trust_html] * len(batches), batches))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # Ctrl+C: no batch left to finish
    results = [result for batch, _ in done for result in batch]
    return results, 0.0 if forked else sum(cpu for _, cpu in done)


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
