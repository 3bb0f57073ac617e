"""Page weight: the home page with every stylesheet and script it loads stays small,
and the theme asks for no web fonts."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit


from tests.htmlpage import HtmlPage

BUDGET = 60_000  # bytes, uncompressed: HTML + CSS + JS of the home page, images aside
FONT_FILES = (".woff", ".woff2", ".ttf", ".otf", ".eot")




def _output_file(out: Path, href: str) -> Path:
    """The built file a same-site href loads (the example site is at the root)."""
    parts = urlsplit(href)
    assert not parts.netloc, f"the home page loads {href} from another host"
    path = out / parts.path.lstrip("/")
    assert path.is_file(), href
    return path


def _imports(css: str) -> list[str]:
    return re.findall(r"@import\s+(?:url\()?['\"]?([^'\")\s;]+)", css)


def home_page_requests(out: Path) -> list[Path]:
    """The home page and the CSS (with its @imports) and JS it loads."""
    page = HtmlPage.read(out / "index.html")
    files = [out / "index.html"]
    for element in page.elements:
        rel = element.attrs.get("rel", "").split()
        if element.tag == "link" and ("stylesheet" in rel or "modulepreload" in rel or (
                "preload" in rel and element.attrs.get("as") in ("style", "script", "font"))):
            files.append(_output_file(out, element.attrs["href"]))
        elif element.tag == "script" and "src" in element.attrs:
            files.append(_output_file(out, element.attrs["src"]))
    for sheet in [f for f in files if f.suffix == ".css"]:
        for href in _imports(sheet.read_text(encoding="utf-8")):
            files.append(_output_file(out, href))
    return files


def test_the_home_page_with_its_css_and_js_is_under_the_budget(example: Path):
    files = home_page_requests(example)
    sizes = {f.relative_to(example).as_posix(): f.stat().st_size for f in files}
    total = sum(sizes.values())
    print(f"home page weight: {total} bytes", sizes)
    assert any(name.endswith(".css") for name in sizes)
    assert total < BUDGET, sizes


def test_the_theme_asks_for_no_web_fonts(example: Path):
    for sheet in example.rglob("*.css"):
        css = sheet.read_text(encoding="utf-8")
        assert "@font-face" not in css, sheet
        assert not re.search(r"url\([^)]*\.(woff2?|ttf|otf|eot)\b", css, re.I), sheet
    assert not [f for f in example.rglob("*") if f.suffix.lower() in FONT_FILES]
    for page in example.rglob("*.html"):
        for link in HtmlPage.read(page).all("link"):
            assert link.attrs.get("as") != "font", page
            assert not link.attrs.get("href", "").lower().endswith(FONT_FILES), page
