"""Public email addresses in a real browser: a mailto link once the page's script has run
(under the site's strict CSP), and still readable text without JavaScript."""

from __future__ import annotations

ADDRESS = "elin.bergstrom@vgregion.example.org"


def test_the_script_turns_each_address_into_a_mailto_link(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + "/working-groups/mobility/")
    link = page.locator(f'a[href="mailto:{ADDRESS}"]')
    assert link.count() == 1 and link.inner_text() == ADDRESS
    assert page.locator('a[href="mailto:mobility@earlall.example.org"]').count() == 1
    assert page.locator("span.email").count() == 0
    context.close()


def test_without_javascript_the_address_is_text_to_read(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/working-groups/mobility/")
    shown = page.locator(".leadership .person__email").first.inner_text()
    assert shown == "elin.bergstrom [at] vgregion.example.org"
    assert page.locator('a[href^="mailto:"]').count() == 1  # the footer's, not the group's
    context.close()
