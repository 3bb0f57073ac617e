"""Typographic punctuation: curly quotes and apostrophes, dashes and ellipses.

What Python-Markdown's `smarty` extension does, in one pass of a few regular
expressions over the finished tree's text, where `smarty` runs a dozen inline
patterns over every text node: it took half the time of converting a news post.
Code (spans and blocks) and raw HTML are left as written.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

_SKIP = {"code", "pre", "kbd", "samp", "script", "style", "math"}
# Text runs on through these; any other element starts afresh (a quote opening a
# paragraph opens, whatever ended the one before).
_INLINE = {"a", "abbr", "b", "cite", "del", "em", "i", "ins", "mark", "q", "s", "small",
           "span", "strong", "sub", "sup", "u"}
_DASHES = [(re.compile(r"(?<!-)---(?!-)"), "\u2014"), (re.compile(r"(?<!-)--(?!-)"), "\u2013")]
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
# A quote opens after the start of the text, a space, an opening bracket or a dash.
_OPENS_AFTER = " \t\n\u00a0([{\u2014\u2013-\u201c\u2018\x02\x03"  # \x02, \x03: raw HTML
_QUOTE = re.compile(r"""['"]""")
_DECADE = re.compile(r"'(?=\d\ds\b)")  # '80s


def smarten(text: str, before: str) -> str:
    """`text` with typographic punctuation; `before` is the character preceding it."""
    if "-" in text:
        for pattern, dash in _DASHES:
            text = pattern.sub(dash, text)
    if "..." in text:
        text = _ELLIPSIS.sub("\u2026", text)
    if "'" not in text and '"' not in text:
        return text
    text = _DECADE.sub("\u2019", text)

    def curl(match: re.Match[str]) -> str:
        start = match.start()
        previous = text[start - 1] if start else before
        opening = previous == "" or previous in _OPENS_AFTER
        if match.group() == "'":
            if not opening and previous.isalnum():
                return "\u2019"  # an apostrophe: don't, Europe's
            return "\u2018" if opening else "\u2019"
        return "\u201c" if opening else "\u201d"

    return _QUOTE.sub(curl, text)


class _Typography(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        self._last = ""
        self._walk(root)

    def _walk(self, element: ET.Element) -> None:
        skip = element.tag in _SKIP
        if element.tag not in _INLINE:
            self._last = ""
        if element.text and not skip:
            element.text = self._smarten(element.text)
        elif element.text:
            self._last = element.text[-1:]
        if not skip:
            for child in element:
                self._walk(child)
                if child.tail:
                    child.tail = self._smarten(child.tail)
        else:
            for child in element:
                if child.tail:
                    self._last = child.tail[-1:]

    def _smarten(self, text: str) -> str:
        if isinstance(text, AtomicString):  # inline code, and text that must stay as is
            self._last = text[-1:]
            return text
        before = self._last
        self._last = text[-1:]
        return smarten(text, before)


class TypographyExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # after inline patterns (20), attribute lists (8) and abbreviations (7), whose
        # quotes are syntax; before the table of contents (5) makes ids from headings
        md.treeprocessors.register(_Typography(md), "wgsite_typography", 6)
