"""A small reader of built HTML pages for assertions: links, headings, text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class HtmlPage(HTMLParser):
    elements: list[Element] = field(default_factory=list)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)
        self._open: list[Element] = []
        self._text: list[str] = []

    @classmethod
    def read(cls, path: Path, main_only: bool = False) -> "HtmlPage":
        """Parse a built page; `main_only` keeps just its <main> (no menus, no footer)."""
        html = path.read_text(encoding="utf-8")
        if main_only:
            start, end = html.index("<main"), html.index("</main>") + len("</main>")
            html = html[start:end]
        page = cls()
        page.feed(html)
        page.close()
        return page

    def handle_starttag(self, tag: str, attrs: list) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in ("img", "meta", "link", "br", "hr", "input", "source"):
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        self._text.append(data)
        for element in self._open:
            element.text += data

    @property
    def text(self) -> str:
        return " ".join("".join(self._text).split())

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def texts(self, tag: str) -> list[str]:
        return [" ".join(e.text.split()) for e in self.all(tag)]

    @property
    def hrefs(self) -> list[str]:
        return [e.attrs["href"] for e in self.elements if "href" in e.attrs]

    @property
    def srcs(self) -> list[str]:
        return [e.attrs["src"] for e in self.elements if "src" in e.attrs]

    def links_to(self, href: str) -> list[str]:
        """The texts of the <a> elements pointing at `href`."""
        return [" ".join(a.text.split()) for a in self.all("a") if a.attrs.get("href") == href]
