"""WCAG 2.2 AA by axe-core on one page of every type, and the header by keyboard alone."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.browser.conftest import PAGE_TYPES
from tests.sitefiles import REPO

# WCAG 2.2 AA, and axe's best practices on top (unique landmarks, visible labels...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# A desktop and a phone, each in a light and a dark colour scheme (prefers-color-scheme).
VIEWS = [(1280, "light"), (1280, "dark"), (390, "light"), (390, "dark")]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
            lines.append(f"      {node['failureSummary']}".replace("\n", " "))
    return "\n".join(lines)


@pytest.fixture(scope="module", params=VIEWS, ids=[f"{w}px-{scheme}" for w, scheme in VIEWS])
def view(request, browser, axe_script):
    """A browser context of one width and colour scheme: (context, scheme)."""
    # axe is injected as an inline script, which the site's CSP rightly refuses; the
    # CSP is checked on its own (test_pages_in_browser.py), so here it is bypassed.
    width, scheme = request.param
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900},
                                  color_scheme=scheme)
    yield context, scheme
    context.close()


def open_page(context: Any, site_url: str, path: str) -> Any:
    page = context.new_page()
    page.goto(site_url + path)
    if path.startswith("/search/"):
        page.wait_for_selector(".search-result__link")
    return page


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_finds_no_violation(view, axe_script, served, pages, kind):
    context, scheme = view
    page = open_page(context, served.url, pages[kind])
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
        scheme == "dark")
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           AXE_TAGS)
    page.close()
    assert not result["violations"], \
        f"{served.url}{pages[kind]} ({scheme}):\n{describe(result['violations'])}"
    assert len(result["passes"]) > 10, "axe ran its rules on the page"


FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href'),
    cls: el.className,
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
    onscreen: box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= innerWidth
              && box.top >= 0 && box.bottom <= innerHeight,
  };
}"""


def test_the_header_works_by_keyboard_at_1280_px(browser, site_url):
    # On a desk the menu is open, with no button; on a phone it folds behind one
    # (test_look_in_browser.py walks that by keyboard).
    config = yaml.safe_load((REPO / "data" / "site.yaml").read_text(encoding="utf-8"))
    menu = config["menu"]
    languages = [f"language {code}" for code in config.get("languages", [])]
    expected = (["skip link", *languages, "/"] + [item["url"] for item in menu]
                + ["search box", "search button"])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + "/")
    seen = []
    for _ in expected:
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        language = page.evaluate("document.activeElement.closest('nav.languages') && "
                                 "document.activeElement.getAttribute('hreflang')")
        name = ("skip link" if "skip-link" in focus["cls"] else
                f"language {language}" if language else
                "search box" if focus["id"] == "site-search-q" else
                "search button" if focus["tag"] == "button" else focus["href"])
        seen.append(name)
        assert focus["outline"] or focus["shadow"], f"{name} shows no focus outline"
        assert focus["onscreen"], f"{name} is focused off screen"
    assert seen == expected

    page.goto(site_url + "/about/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), \
        "after the skip link, Tab goes on inside the page's content"
    context.close()


def test_a_wide_table_scrolls_in_a_named_region_reached_by_tab_with_a_cue_at_390_px(
        browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + "/about/")
    region = page.locator("main .table-scroll")
    assert region.count() == 1, "the table is in a region of its own"
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the table is wider here"
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label") == "Governance"
    assert "radial-gradient" in region.evaluate("r => getComputedStyle(r).backgroundImage"), \
        "a shadow shows that there is more to the side"
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('table-scroll')"):
            break
    else:
        raise AssertionError("Tab never reaches the table's region")
    focus = page.evaluate(FOCUS)
    assert focus["outline"] or focus["shadow"], "the focused region shows it"
    context.close()
    dark = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = dark.new_page()
    page.goto(site_url + "/about/")
    assert "rgba(255, 255, 255" in page.locator("main .table-scroll").evaluate(
        "r => getComputedStyle(r).backgroundImage"), "on a dark ground the cue is light"
    dark.close()


def test_the_language_switcher_works_by_keyboard_and_leads_to_the_same_page(browser, served):
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(served.url + "/working-groups/mobility/")
        for _ in range(40):
            page.keyboard.press("Tab")
            focus = page.evaluate("() => [document.activeElement.getAttribute('hreflang'),"
                                  " document.activeElement.closest('nav.languages') !== null]")
            if focus == ["fr", True]:
                break
        else:
            raise AssertionError(f"Tab never reached the French link of the switcher at {width} px")
        focused = page.evaluate(FOCUS)
        assert focused["outline"] or focused["shadow"], "the switcher's link shows no focus"
        assert focused["onscreen"], f"the switcher's link is off screen at {width} px"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == served.url + "/fr/working-groups/mobility/"
        assert page.evaluate("document.documentElement.lang") == "fr"
        current = page.locator("nav.languages a[aria-current=page]")
        assert current.get_attribute("hreflang") == "fr"
        assert page.locator("nav.languages a[hreflang=en]").get_attribute("href") == \
            served.href("/working-groups/mobility/")
        context.close()
