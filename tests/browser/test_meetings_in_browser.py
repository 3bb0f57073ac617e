"""assets/js/meetings.js in Chromium: the Mobility group's meetings on the reader's own
clock, at the root and under a base path, with the site's CSP and no other host.

The suite's example build has 2026-06-01T12:00Z as its "today"; each test pins the
browser's clock, so that "passed since the build" does not depend on the day it runs.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest

GROUP = "/working-groups/mobility/"
BUILD_DAY = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


@pytest.fixture
def open_in(browser):
    """Open a page of the site in a browser whose clock reads `now` in `zone`."""
    contexts = []

    def open_page(url: str, zone: str, now: datetime = BUILD_DAY):
        context = browser.new_context(timezone_id=zone, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        log = {"requests": [], "errors": []}
        page.on("request", lambda request: log["requests"].append(request.url))
        page.on("console", lambda message: message.type == "error" and log["errors"].append(
            message.text))
        page.on("pageerror", lambda error: log["errors"].append(str(error)))
        page.clock.set_fixed_time(now)
        response = page.goto(url)
        assert response.status == 200
        page.wait_for_load_state("networkidle")
        return page, log

    yield open_page
    for context in contexts:
        context.close()


def test_a_reader_in_new_york_sees_the_meetings_on_their_own_clock(open_in, served):
    page, log = open_in(served.url + GROUP, "America/New_York")
    meeting = page.locator("#meeting-monthly")
    own = meeting.locator(".occurrence__when").first.inner_text()
    assert "10:00" in own and "CEST" in own, "the meeting's own clock stays"
    readers = meeting.locator(".occurrence__reader")
    assert readers.count() == 3
    first = readers.first.inner_text()
    # 10:00 in Stockholm in June is 04:00 in New York
    assert first.startswith("Your time: ") and re.search(r"\b04:00\b", first), first
    assert "16 June 2026" in first and ("EDT" in first or "GMT-4" in first), first
    assert readers.first.get_attribute("data-reader-zone") == "America/New_York"
    assert not log["errors"], log["errors"]
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in log["requests"])
    assert any(urlsplit(url).path.startswith(served.base + "assets/js/meetings.")
               for url in log["requests"]), "the script is the site's own, under its base path"


def test_a_reader_in_the_meetings_zone_sees_it_once(open_in, served):
    page, _ = open_in(served.url + GROUP, "Europe/Stockholm")
    assert page.locator("#meeting-monthly .occurrence__reader").count() == 0


def test_dates_that_passed_since_the_build_are_hidden(open_in, served):
    later = datetime(2026, 7, 1, 12, tzinfo=timezone.utc)  # after 16 June's meeting
    page, _ = open_in(served.url + GROUP, "Asia/Tokyo", later)
    items = page.locator("#meeting-monthly .occurrences > li")
    assert items.count() == 3
    assert items.nth(0).is_hidden() and items.nth(1).is_visible()
    tokyo = items.nth(1).locator(".occurrence__reader").inner_text()
    assert re.search(r"\b17:00\b", tokyo), "10:00 in Stockholm in July is 17:00 in Tokyo"


def test_the_upcoming_meetings_page_gets_the_readers_clock_too(open_in, served):
    page, log = open_in(served.url + "/meetings/", "America/Los_Angeles")
    assert page.locator(".occurrence__reader").count() >= 1
    assert page.locator(".occurrence__reader").first.inner_text().startswith("Your time: ")
    assert not log["errors"], log["errors"]


def test_without_javascript_the_page_is_complete(browser, served):
    context = browser.new_context(java_script_enabled=False, timezone_id="America/New_York")
    try:
        page = context.new_page()
        page.goto(served.url + GROUP)
        items = page.locator("#meeting-monthly .occurrences > li")
        assert items.count() == 3 and items.first.is_visible()
        assert "CEST" in items.first.inner_text()
        assert page.locator(".occurrence__reader").count() == 0
    finally:
        context.close()
