"""Live reload in a real browser: an edit shows up without touching the page.

The page is opened once; every later change arrives through the live-reload
socket. (How fast is the benchmark's business, not a test's: each wait here
is a generous deadline, and the time it took is printed.)
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.sitefiles import SITE, write_site
from tests.test_serve import Served

DEADLINE_MS = 15_000


def wait_for_text(page, text: str, present: bool = True) -> float:
    """Seconds until `text` is (or is no longer) in the page, without reloading it."""
    started = time.monotonic()
    page.wait_for_function("([text, present]) => document.body.innerText.includes(text) "
                           "=== present", arg=[text, present], timeout=DEADLINE_MS)
    return time.monotonic() - started


def test_edits_reach_the_open_page_by_themselves(browser, tmp_path: Path):
    site = write_site(tmp_path / "site", SITE)
    with Served(site) as served:
        page = browser.new_page()
        navigations = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
        page.goto(f"http://127.0.0.1:{served.port}/about/")
        assert "Who we are" in page.inner_text("body")

        write_site(site, {"content/about.md":
                          "---\ntitle: About us\nsummary: Who we are.\n---\nEdited in Markdown.\n"})
        print(f"markdown edit shown after {wait_for_text(page, 'Edited in Markdown.'):.2f} s")

        write_site(site, {"layouts/page.html": "{% extends 'base.html' %}{% block content %}"
                          "<main id='main'><h1>{{ page.title }}</h1><p>From the template.</p>"
                          "</main>{% endblock %}"})
        print(f"template edit shown after {wait_for_text(page, 'From the template.'):.2f} s")

        write_site(site, {"data/site.yaml": SITE["data/site.yaml"].replace(
            "title: Test Network", "title: Renamed Network")})
        print(f"data edit shown after {wait_for_text(page, 'Renamed Network'):.2f} s")

        write_site(site, {"content/about.md": "---\ntitle: [About\n---\nBroken.\n"})
        wait_for_text(page, "content/about.md:")
        assert "From the template." in page.inner_text("body"), "the last good page stays"

        # the page's template (above) shows the title, not the body
        write_site(site, {"content/about.md": "---\ntitle: Mended about\n---\nMended.\n"})
        wait_for_text(page, "Mended about")
        wait_for_text(page, "content/about.md:", present=False)
        assert len(navigations) >= 5, "each change reloaded the page by itself"
        page.close()
