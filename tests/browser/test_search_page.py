"""Search as a reader uses it: the header's box, the results, a filter, and no JavaScript;
each at the root of the host and under a base path (the `served` fixture), since a site
published under /network/ once had every result link point to /network/network/."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from tests.browser.conftest import Served

RESULT_LINKS = ".pagefind-ui__result-link"


def results(page: Any) -> list[str]:
    """The hrefs of the pages found (not of their sections), once Pagefind shows them."""
    selector = ".pagefind-ui__result-title .pagefind-ui__result-link"
    page.wait_for_selector(selector)
    return page.eval_on_selector_all(selector,
                                     "links => links.map(link => link.getAttribute('href'))")


def count(page: Any) -> int:
    """The number of results, from Pagefind's message: "8 results for VENHANS"."""
    return int(page.text_content(".pagefind-ui__message").split()[0])


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


def test_a_query_typed_in_the_header_finds_the_project_and_a_filter_narrows_it(
        browser, served):
    page = browser.new_page()
    response = search_from_the_header(page, served, "VENHANS")
    assert response.status == 200
    assert page.url == served.url + "/search/?q=VENHANS"
    found = results(page)
    assert found[0] == served.href("/projects/venhans/"), found
    assert page.input_value(".pagefind-ui__search-input") == "VENHANS"
    message = page.text_content(".pagefind-ui__message")
    assert message.endswith("results for VENHANS") and int(message.split()[0]) > 1, message

    page.click(".pagefind-ui__filter-name:text-is('Type')")
    page.check(".pagefind-ui__filter-value:has(label:text-matches('^Project')) input")
    page.wait_for_function(
        "() => document.querySelector('.pagefind-ui__message').textContent"
        ".startsWith('1 result for')")
    assert results(page) == [served.href("/projects/venhans/")]
    page.close()


def test_every_result_link_and_section_link_leads_to_its_page(browser, served):
    page = browser.new_page()
    page.goto(served.url + "/search/?q=mobility")
    results(page)
    # Pagefind shows a few results at a time: ask for all of them.
    while page.locator(".pagefind-ui__button").count():
        shown = page.locator(RESULT_LINKS).count()
        page.click(".pagefind-ui__button")
        page.wait_for_function("(shown) => document.querySelectorAll("
                               f"'{RESULT_LINKS}').length > shown", arg=shown)
    hrefs = page.eval_on_selector_all(RESULT_LINKS,
                                      "links => links.map(link => link.getAttribute('href'))")
    assert len(hrefs) > 20, hrefs
    assert all(href.startswith(served.base) and not href.startswith(served.base * 2)
               for href in hrefs), hrefs
    assert_every_link_resolves(page, hrefs)
    page.close()


def test_filtering_by_working_group_keeps_only_that_groups_pages(browser, served):
    page = browser.new_page()
    page.goto(served.url + "/search/?q=mobility")
    assert served.href("/working-groups/mobility/") in results(page)
    everything = count(page)
    page.click(".pagefind-ui__filter-name:text-is('Working group')")
    page.check(".pagefind-ui__filter-value:has(label:text-matches('^Adult learning')) input")
    page.wait_for_function("(before) => !document.querySelector('.pagefind-ui__message')"
                           ".textContent.startsWith(before + ' ')", arg=str(everything))
    assert 0 < count(page) < everything
    assert served.href("/working-groups/mobility/") not in results(page)
    page.close()


def test_without_javascript_the_box_leads_to_a_page_that_says_why_and_links_on(
        browser, served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served.url + "/news/")
    page.fill("#site-search-q", "VENHANS")
    with page.expect_navigation() as navigation:
        page.press("#site-search-q", "Enter")
    assert navigation.value.status == 200
    assert page.url == served.url + "/search/?q=VENHANS"
    main = page.inner_text("main")
    assert "needs JavaScript" in main
    assert page.is_visible(f"main a[href='{served.href('/working-groups/')}']")
    links = page.eval_on_selector_all("main a[href]",
                                      "links => links.map(link => link.getAttribute('href'))")
    assert len(links) > 3, links
    assert_every_link_resolves(page, links)
    context.close()
