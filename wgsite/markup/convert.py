"""The HTML pieces that records hold: converted Markdown, and pictures with their copies.

Linking (wgsite.content.link) asks for these through its `Converter`
protocol; this class is the one the build passes in.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from markupsafe import Markup

from wgsite.content import records as r
from wgsite.markup.assets import Assets
from wgsite.markup.images import SIZES, Renditions
from wgsite.markup.markdown import MarkdownRenderer
from wgsite.markup.typography import smarten
from wgsite.urls import Urls


class Converter:
    """Markdown to HTML (see markdown), typography for plain text (see typography),
    and images to <picture> records (see images)."""

    def __init__(self, markdown: MarkdownRenderer, assets: Assets, renditions: Renditions,
                 urls: Urls):
        self.md, self.assets, self.renditions, self.urls = markdown, assets, renditions, urls

    def prepare(self, documents: list[tuple[str, str, int]]) -> None:
        """Convert ahead of use every (text, path, first line), in parallel when many."""
        self.md.prepare(documents)

    def markdown(self, text: str, path: str, line: int) -> Markup:
        return self.md.render(text, path, line)

    def text(self, value: str) -> str:
        """Plain text (a title, a summary) with curly quotes, dashes and ellipses, as
        Markdown bodies have them."""
        return smarten(value, "") if value else value

    def image(self, path: str, alt: str, credit: str) -> r.Image:
        """A picture of assets/`path`: resized copies in better formats where it has them."""
        asset = self.assets.get(path)
        resized = self.renditions.of(asset)
        if resized is None:  # SVG and other formats that scale by themselves
            return r.Image(url=self._href(asset.output), alt=alt, credit=credit,
                           width=asset.width, height=asset.height)
        return r.Image(url=resized.fallback(self._href), alt=alt, credit=credit,
                       width=resized.width, height=resized.height,
                       srcset=resized.srcset(resized.mime, self._href), sizes=SIZES,
                       sources=[r.ImageSource(mime, resized.srcset(mime, self._href))
                                for mime in resized.alternatives])

    def file(self, path: str) -> r.Download:
        """A document's file, assets/`path`: its href, its type (the extension, "PDF")
        and its size in bytes."""
        asset = self.assets.get(path)
        size = len(asset.data) if asset.data is not None else asset.source.stat().st_size
        return r.Download(url=self._href(asset.output),
                          format=PurePosixPath(path).suffix.lstrip(".").upper(), size=size)

    def _href(self, output: str) -> str:
        return self.urls.href("/" + output)
