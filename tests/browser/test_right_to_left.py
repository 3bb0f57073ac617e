"""The example site in Arabic, in Chromium: a language written right to left mirrors the
layout (header, menu, breadcrumbs, cards, asides, pagination), since the theme's CSS
says start and end rather than left and right."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import _serve
from tests.sitefiles import REPO, build


@pytest.fixture(scope="module")
def arabic_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("arabic")
    for folder in ("content", "data", "assets/images", "assets/documents"):
        shutil.copytree(REPO / folder, site / folder)  # the theme comes from the repository
    # the example's second language becomes Arabic: its pages under /ar/, in Arabic's
    # interface and direction (the French texts stand in for Arabic ones)
    for translation in (site / "content").rglob("*.fr.md"):
        translation.rename(translation.with_name(translation.name[:-len(".fr.md")] + ".ar.md"))
    for data in (site / "data").glob("*.yaml"):
        text = data.read_text(encoding="utf-8")
        text = re.sub(r"(\n\s*|[{,] )fr: ", r"\1ar: ", text)
        data.write_text(text.replace("languages: [en, fr]", "languages: [en, ar]"),
                        encoding="utf-8")
    status, _ = build(site)
    assert status == 0, "the example site builds in English and Arabic"
    for url in _serve(site / "public"):
        yield url + "/ar"


@pytest.fixture
def open_arabic(browser, arabic_url):
    contexts = []

    def opener(path: str, width: int = 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(arabic_url + path)
        return page

    yield opener
    for context in contexts:
        context.close()


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_the_header_and_breadcrumbs_start_on_the_right(open_arabic):
    page = open_arabic("/working-groups/mobility/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    brand, search = box(page, ".site-header .brand"), box(page, ".site-search")
    assert brand["x"] > 640 > search["x"], "the name on the right, the search on the left"
    crumbs = page.locator(".breadcrumbs li")
    first, second = crumbs.nth(0).bounding_box(), crumbs.nth(1).bounding_box()
    assert first["x"] > second["x"], "the trail reads from the right"


def test_the_aside_and_its_edge_mirror(open_arabic):
    page = open_arabic("/working-groups/mobility/")
    main, aside = box(page, ".layout__main"), box(page, ".layout__aside")
    assert aside["x"] + aside["width"] <= main["x"], "the aside stands on the left"
    edge = page.evaluate("""() => {
      const style = getComputedStyle(document.querySelector('.layout__aside .panel'));
      return [style.borderRightWidth, style.borderLeftWidth];
    }""")
    assert edge == ["4px", "0px"], "the panel's edge is on the side the text starts"


def test_cards_and_pages_run_from_the_right(open_arabic):
    page = open_arabic("/news/")
    cards = page.locator(".card")
    assert cards.nth(0).bounding_box()["x"] > cards.nth(1).bounding_box()["x"]
    links = page.locator(".pagination li")
    assert links.nth(0).bounding_box()["x"] > links.nth(1).bounding_box()["x"]


def test_the_phone_menu_opens_from_the_right(open_arabic):
    page = open_arabic("/news/", 390)
    page.click("summary.site-menu__button")
    item = page.locator(".site-nav a").first.bounding_box()
    assert item["x"] + item["width"] > 390 - 40, "the menu's items stand at the right"
