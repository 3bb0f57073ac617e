"""The theme's look, measured in Chromium as a reader meets it: the measure of body
text, the aside beside the text, the compact header and its menu without
JavaScript, dark mode, and what print leaves out."""

from __future__ import annotations

import pytest

NEWS_ITEM = "/news/working-towards-meaningful-international-cooperation/"
GROUP = "/working-groups/mobility/"

# Characters on each line of the body's paragraphs, but their last (short) lines.
LINE_LENGTHS = """() => {
  const lengths = [];
  const range = document.createRange();
  for (const p of document.querySelectorAll('main .prose p')) {
    const lines = new Map();
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        if (box) lines.set(Math.round(box.top), (lines.get(Math.round(box.top)) || 0) + 1);
      }
    }
    lengths.push(...[...lines.values()].slice(0, -1));
  }
  return lengths.sort((a, b) => a - b);
}"""

# The relative luminance contrast of an element's text on the page's ground.
CONTRAST = """(selector) => {
  // rgb(31, 78, 121), or color(srgb 0.12 0.3 0.47) for what color-mix() made
  const rgb = value => value.match(/[\\d.]+/g).slice(0, 3).map(Number)
    .map(v => value.startsWith('color(') ? v * 255 : v);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const ground = lum(rgb(getComputedStyle(document.body).backgroundColor));
  const text = lum(rgb(getComputedStyle(document.querySelector(selector)).color));
  return [ground, (Math.max(ground, text) + 0.05) / (Math.min(ground, text) + 0.05)];
}"""


@pytest.fixture
def open_page(browser, site_url):
    contexts = []

    def opener(path: str, width: int = 1280, **options):
        context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.goto(site_url + path)
        return page

    yield opener
    for context in contexts:
        context.close()


@pytest.mark.parametrize("path", [NEWS_ITEM, GROUP, "/about/"])
def test_body_text_runs_60_to_75_characters_a_line(open_page, path):
    lengths = open_page(path).evaluate(LINE_LENGTHS)
    assert len(lengths) > 10
    median = lengths[len(lengths) // 2]
    assert 60 <= median <= 75, lengths
    assert lengths[-1] <= 76, lengths


@pytest.mark.parametrize("path", [NEWS_ITEM, GROUP])
def test_the_aside_stands_beside_the_text_on_a_desk_and_below_it_on_a_phone(open_page, path):
    desk = open_page(path, 1280)
    main, aside = (desk.locator(s).bounding_box() for s in (".layout__main", ".layout__aside"))
    assert aside["x"] >= main["x"] + main["width"], "beside the text"
    assert abs(aside["y"] - main["y"]) < 2, "level with its top"
    assert aside["x"] + aside["width"] > 1280 - 120, "no wide empty band on the right"
    phone = open_page(path, 390)
    main, aside = (phone.locator(s).bounding_box() for s in (".layout__main", ".layout__aside"))
    assert aside["y"] >= main["y"] + main["height"]


def test_the_header_is_compact_on_a_phone_and_its_menu_opens_without_javascript(open_page):
    page = open_page("/news/", 390, java_script_enabled=False)
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 100, header
    projects = page.get_by_role("link", name="Projects", exact=True)
    assert not projects.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert projects.is_visible()
    assert page.locator("#site-search-q").is_visible()
    projects.click()
    assert page.url.endswith("/projects/")


def test_the_menu_is_open_on_a_desk_with_no_button(open_page):
    page = open_page("/news/", 1280)
    assert page.get_by_role("link", name="Projects", exact=True).is_visible()
    assert not page.get_by_text("Menu", exact=True).is_visible()


def test_dark_mode_darkens_the_ground_and_keeps_the_contrast(open_page):
    light = open_page(GROUP, color_scheme="light")
    dark = open_page(GROUP, color_scheme="dark")
    for selector in ("main .prose p", "main h2", ".lede a", ".lede", ".panel__heading", ".card__meta"):
        light_ground, light_ratio = light.evaluate(CONTRAST, selector)
        dark_ground, dark_ratio = dark.evaluate(CONTRAST, selector)
        assert light_ground > 0.8 and dark_ground < 0.05, selector
        assert dark_ratio >= min(light_ratio, 7) and dark_ratio >= 4.5, (selector, dark_ratio)


def test_print_shows_an_address_once_and_keeps_headings_with_their_text(open_page):
    page = open_page(GROUP)
    page.emulate_media(media="print")
    after = page.evaluate("""() => [...document.querySelectorAll('a[href^="mailto:"]')]
        .map(a => getComputedStyle(a, '::after').content)""")
    assert after and all(value in ("none", "normal") for value in after), after
    assert page.evaluate("getComputedStyle(document.querySelector('main h2')).breakAfter") \
        == "avoid"
    assert not page.locator(".site-footer").is_visible()


def test_on_a_phone_the_keyboard_opens_the_menu_and_walks_it(open_page):
    from tests.browser.test_accessibility import FOCUS
    import yaml
    from tests.sitefiles import REPO
    config = yaml.safe_load((REPO / "data" / "site.yaml").read_text(encoding="utf-8"))
    menu = config["menu"]
    languages = [f"language {code}" for code in config.get("languages", [])]
    page = open_page("/", 390)
    seen = []

    def tab() -> None:
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        assert focus["outline"] or focus["shadow"], f"{focus} shows no focus outline"
        assert focus["onscreen"], f"{focus} is focused off screen"
        language = page.evaluate("document.activeElement.closest('nav.languages') && "
                                 "document.activeElement.getAttribute('hreflang')")
        seen.append("skip link" if "skip-link" in focus["cls"] else
                    f"language {language}" if language else
                    "menu" if focus["tag"] == "summary" else
                    "search box" if focus["id"] == "site-search-q" else
                    "search button" if focus["tag"] == "button" else focus["href"])

    for _ in range(3 + len(languages)):  # the skip link, the switcher, the name, the button
        tab()
    page.keyboard.press("Enter")
    for _ in range(len(menu) + 2):
        tab()
    assert seen == (["skip link", *languages, "/", "menu"] + [item["url"] for item in menu]
                    + ["search box", "search button"])


@pytest.mark.parametrize("width", [1280, 390])
def test_no_page_is_wider_than_the_window(open_page, site_url, pages, width):
    page = open_page("/", width)
    for kind, path in pages.items():
        page.goto(site_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{kind} ({path}) is {overflow} px wider than {width} px"
