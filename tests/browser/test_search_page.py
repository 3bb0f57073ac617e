"""Search as a reader uses it: the header's box, the results, a filter, and no JavaScript."""

from __future__ import annotations

from typing import Any


def results(page: Any) -> list[str]:
    """The hrefs of the pages found (not of their sections), once Pagefind shows them."""
    selector = ".pagefind-ui__result-title .pagefind-ui__result-link"
    page.wait_for_selector(selector)
    return page.eval_on_selector_all(selector,
                                     "links => links.map(link => link.getAttribute('href'))")


def count(page: Any) -> int:
    """The number of results, from Pagefind's message: "8 results for VENHANS"."""
    return int(page.text_content(".pagefind-ui__message").split()[0])


def test_a_query_typed_in_the_header_finds_the_project_and_a_filter_narrows_it(
        browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/")
    page.fill("#site-search-q", "VENHANS")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(site_url + "/search/?q=VENHANS")
    found = results(page)
    assert found[0] == "/projects/venhans/", found
    assert page.input_value(".pagefind-ui__search-input") == "VENHANS"
    message = page.text_content(".pagefind-ui__message")
    assert message.endswith("results for VENHANS") and int(message.split()[0]) > 1, message

    page.click(".pagefind-ui__filter-name:text-is('Type')")
    page.check(".pagefind-ui__filter-value:has(label:text-matches('^Project')) input")
    page.wait_for_function(
        "() => document.querySelector('.pagefind-ui__message').textContent"
        ".startsWith('1 result for')")
    assert results(page) == ["/projects/venhans/"]
    page.close()


def test_filtering_by_working_group_keeps_only_that_groups_pages(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/search/?q=mobility")
    assert "/working-groups/mobility/" in results(page)
    everything = count(page)
    page.click(".pagefind-ui__filter-name:text-is('Working group')")
    page.check(".pagefind-ui__filter-value:has(label:text-matches('^Adult learning')) input")
    page.wait_for_function("(before) => !document.querySelector('.pagefind-ui__message')"
                           ".textContent.startsWith(before + ' ')", arg=str(everything))
    assert 0 < count(page) < everything
    assert "/working-groups/mobility/" not in results(page)
    page.close()


def test_without_javascript_the_box_leads_to_a_page_that_says_why_and_links_on(
        browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/news/")
    page.fill("#site-search-q", "VENHANS")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(site_url + "/search/?q=VENHANS")
    main = page.inner_text("main")
    assert "needs JavaScript" in main
    assert page.is_visible("main a[href='/working-groups/']")
    context.close()
