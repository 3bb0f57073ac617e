"""Search as a reader uses it: the header's box, the results, a filter, and no JavaScript;
each at the root of the host and under a base path (the `served` fixture), since a site
published under /network/ once had every result link point to /network/network/."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from tests.browser.conftest import Served

RESULT_LINKS = ".search-result__link"  # pages found, and the sections in them
DONE = ".search-results__list[aria-busy=false]"


def results(page: Any) -> list[str]:
    """The hrefs of the pages found (not of their sections), once the search is done."""
    page.wait_for_selector(DONE, state="attached")
    return page.eval_on_selector_all(".search-result__title .search-result__link",
                                     "links => links.map(link => link.getAttribute('href'))")


def count(page: Any) -> int:
    """The number of results, from the page's message: "8 results for VENHANS"."""
    page.wait_for_selector(DONE, state="attached")
    return int(page.text_content(".search-results__status").split()[0])


def tick(page: Any, filter_name: str, value: str) -> None:
    """Tick one value of one filter and wait for the results it leaves."""
    page.check(f"fieldset:has(legend:text-is('{filter_name}')) input[value='{value}']")
    page.wait_for_selector(DONE, state="attached")


def show_all(page: Any) -> None:
    """Press "Show more results" until every result is shown."""
    while page.is_visible(".search-results__more"):
        shown = page.locator(".search-result").count()
        page.click(".search-results__more")
        page.wait_for_function("(shown) => document.querySelectorAll('.search-result')"
                               ".length > shown", arg=shown)


def search_from_the_header(page: Any, served: Served, query: str) -> Any:
    """Type `query` in the header's box of the home page and press Enter; the response."""
    page.goto(served.url + "/")
    page.fill("#site-search-q", query)
    with page.expect_navigation() as navigation:
        page.press("#site-search-q", "Enter")
    return navigation.value


def assert_every_link_resolves(page: Any, hrefs: list[str]) -> None:
    """Open each href as a reader would: a 200, and each #fragment is on its page."""
    assert hrefs
    documents: dict[str, list[str]] = {}  # URL without fragment -> the fragments linked
    for href in hrefs:
        url, _, fragment = urljoin(page.url, href).partition("#")
        documents.setdefault(url, []).append(fragment)
    broken = []
    for url, fragments in documents.items():
        response = page.goto(url)
        if response.status != 200:
            broken.append(f"{url}: {response.status}")
            continue
        broken += [f"{url}#{fragment}: no such id on the page" for fragment in fragments
                   if fragment and not page.locator(f"[id='{fragment}']").count()]
    assert not broken, (f"{len(broken)} broken, of {len(set(hrefs))} links:\n"
                        + "\n".join(broken))


def test_a_query_typed_in_the_header_finds_the_project_in_the_pages_one_search_box(
        browser, served):
    page = browser.new_page()
    response = search_from_the_header(page, served, "VENHANS")
    assert response.status == 200
    assert page.url == served.url + "/search/?q=VENHANS"
    found = results(page)
    assert found[0] == served.href("/projects/venhans/"), found
    assert len(found) > 1, found
    assert page.text_content(".search-results__status") == f"{len(found)} results for VENHANS"
    # One search box and one search landmark on the search page: the header's is left out,
    # and the page's box, labelled, holds the query.
    assert page.locator("input[type=search]").count() == 1
    assert page.locator("[role=search], search").count() == 1
    assert page.input_value("#search-q") == "VENHANS"
    assert page.is_visible("label[for=search-q]")
    page.close()


def test_each_result_shows_its_type_and_date_and_the_words_found_in_the_palette(
        browser, served):
    page = browser.new_page()
    page.goto(served.url + "/search/?q=VENHANS")
    results(page)
    first = page.locator(".search-result").first
    assert first.locator(".search-result__meta").inner_text() == \
        "Project · 1 October 2019 – 31 March 2022"
    news = page.locator(".search-result:has(.search-result__meta:text-matches('^News'))")
    assert news.count() and "· 12 June 2025" in news.first.inner_text()
    marks = first.locator(".search-result__excerpt mark")
    assert marks.count() and marks.first.inner_text().startswith("VENHANS")
    colours = marks.first.evaluate(
        "mark => [getComputedStyle(mark).backgroundColor, getComputedStyle(document.body)"
        ".getPropertyValue('--c-tint-strong').trim()]")
    assert colours[0] not in ("rgb(255, 255, 0)", "rgba(0, 0, 0, 0)"), colours
    page.close()


def test_the_buttons_keep_their_contrast_in_both_colour_schemes(browser, served, axe_script):
    # "Show more results" shows only with more than ten results: the axe run of the
    # search page (VENHANS) never meets it.
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        page.goto(served.url + "/search/?q=mobility")
        results(page)
        assert page.is_visible(".search-results__more")
        page.add_script_tag(path=str(axe_script))
        for button in (".search-form__button", ".search-results__more"):
            result = page.evaluate("button => axe.run(button, {runOnly: ['color-contrast']})",
                                   button)
            # Text of the background's own colour is no violation to axe, only a doubt
            # ("incomplete"): the contrast must be measured and pass.
            assert result["passes"] and not result["violations"] \
                and not result["incomplete"], (scheme, button, result["incomplete"])
        context.close()


def test_a_type_filter_narrows_the_results_to_that_type(browser, served):
    page = browser.new_page()
    page.goto(served.url + "/search/?q=VENHANS")
    assert len(results(page)) > 1
    tick(page, "Type", "Project")
    assert page.text_content(".search-results__status") == "1 result for VENHANS"
    assert results(page) == [served.href("/projects/venhans/")]
    page.close()


def test_filtering_by_working_group_keeps_only_that_groups_pages(browser, served):
    page = browser.new_page()
    page.goto(served.url + "/search/?q=mobility")
    assert served.href("/working-groups/mobility/") in results(page)
    everything = count(page)
    tick(page, "Working group", "Adult learning")
    assert 0 < count(page) < everything
    assert served.href("/working-groups/mobility/") not in results(page)
    page.close()


def test_filtering_by_year_keeps_the_pages_dated_in_it_and_two_years_add_up(
        browser, served):
    page = browser.new_page()
    page.goto(served.url + "/search/?q=mobility")
    everything = count(page)
    tick(page, "Year", "2026")
    in_2026 = count(page)
    assert 0 < in_2026 < everything
    show_all(page)
    dates = page.eval_on_selector_all(".search-result__meta", "ps => ps.map(p => p.textContent)")
    spans = [[int(year) for year in re.findall(r"\b20\d\d\b", date)] for date in dates]
    assert len(dates) == in_2026, dates
    assert all(min(span) <= 2026 <= max(span) for span in spans), dates  # a project's too
    tick(page, "Year", "2025")  # a second value of one filter widens the results
    assert in_2026 < count(page) < everything
    page.close()


def test_a_filter_without_words_lists_every_page_it_keeps(browser, served):
    page = browser.new_page()
    page.goto(served.url + "/search/")
    page.wait_for_selector(DONE, state="attached")
    assert page.locator(".search-result").count() == 0, "nothing is listed before a choice"
    tick(page, "Type", "Event")
    show_all(page)
    events = sorted(p.parent.name for p in (served.out / "events").glob("*/index.html")
                    if p.parent.name != "page")
    assert sorted(href.rstrip("/").rsplit("/", 1)[-1] for href in results(page)) == events
    assert page.text_content(".search-results__status") == f"{len(events)} pages"
    page.close()


def test_every_result_link_and_section_link_leads_to_its_page(browser, served):
    page = browser.new_page()
    page.goto(served.url + "/search/?q=mobility")
    results(page)
    show_all(page)
    hrefs = page.eval_on_selector_all(RESULT_LINKS,
                                      "links => links.map(link => link.getAttribute('href'))")
    assert len(hrefs) > 20, hrefs
    assert all(href.startswith(served.base) and not href.startswith(served.base * 2)
               for href in hrefs), hrefs
    assert_every_link_resolves(page, hrefs)
    page.close()


def test_without_javascript_the_box_leads_to_a_page_that_says_why_and_links_on(
        browser, served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served.url + "/news/")
    assert page.get_attribute("#site-search-q", "placeholder") == "Search the site"
    page.fill("#site-search-q", "VENHANS")
    with page.expect_navigation() as navigation:
        page.press("#site-search-q", "Enter")
    assert navigation.value.status == 200
    assert page.url == served.url + "/search/?q=VENHANS"
    main = page.inner_text("main")
    assert "needs JavaScript" in main
    assert not page.is_visible(".search-results"), "no empty results where none can come"
    assert page.is_visible(f"main a[href='{served.href('/working-groups/')}']")
    links = page.eval_on_selector_all("main a[href]",
                                      "links => links.map(link => link.getAttribute('href'))")
    assert len(links) > 3, links
    assert_every_link_resolves(page, links)
    context.close()


def test_the_french_search_page_searches_the_french_pages(browser, served):
    page = browser.new_page()
    page.goto(served.url + "/fr/")
    page.fill("#site-search-q", "mobilité")
    with page.expect_navigation():
        page.press("#site-search-q", "Enter")
    assert page.url.startswith(served.url + "/fr/search/?q=")
    found = results(page)
    assert found, "the French index finds the French pages"
    assert all(href.startswith(served.href("/fr/")) for href in found), found
    assert served.href("/fr/working-groups/mobility/") in found
    assert_every_link_resolves(page, found[:5])
    page.close()
