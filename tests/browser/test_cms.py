"""The content manager in Chromium: the example site built with `--cms-backend test-repo`
(Decap edits an in-memory copy of the real content) and served under the headers
netlify.toml and the built _headers give /admin/. Every collection is listed, an
entry of each type opens without an error or a CSP violation, and a relation
offers the groups that exist."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tests.browser.conftest import _Handler, netlify_headers, require
from tests.sitefiles import REPO, build_example

DECAP = REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"
WATCH_CSP = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', event => {
  window.__violations.push(`${event.violatedDirective} refused ${event.blockedURI || 'inline'}`);
});
"""
# One entry of each collection, as Decap names it (the file name without .md).
ENTRIES = {
    "working_groups": "mobility",
    "news": "2025-06-12-working-towards-meaningful-international-cooperation",
    "projects": "venhans",
    "events": "annual-forum-2026",
    "pages": "about",
    "data": "organisations",
}


@pytest.fixture(scope="module")
def admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require(DECAP.exists(), "Decap CMS (node_modules/decap-cms)", "npm ci --ignore-scripts")
    out = build_example(tmp_path_factory.mktemp("cms") / "public", "--cms-backend", "test-repo")
    handler = type("Handler", (_Handler,), {"rules": netlify_headers(out)})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/admin/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def cms(browser, admin_url):
    """The CMS, logged in to its test backend, recording errors and CSP violations."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    log: dict[str, list[str]] = {"errors": [], "requests": []}
    page.on("request", lambda request: log["requests"].append(request.url))
    page.on("pageerror", lambda error: log["errors"].append(f"page error: {error}"))
    page.on("console", lambda message: message.type == "error" and log["errors"].append(
        f"console: {message.text} ({message.location.get('url')})"))
    response = page.goto(admin_url)
    assert "'unsafe-eval'" in response.headers["content-security-policy"]
    page.get_by_role("button", name="Login").click()
    page.wait_for_selector('a[href="#/collections/news"]')
    yield page, log
    context.close()


def _titles(folder: str) -> set[str]:
    """The titles of a folder's pages in the default language (a relation names a page,
    not each of its translations)."""
    titles = set()
    for path in (REPO / "content" / folder).glob("*.md"):
        if "." in path.stem:  # mobility.fr.md translates mobility.md
            continue
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        titles.add(yaml.safe_load(front)["title"])
    return titles


def _no_errors(log: dict[str, list[str]]) -> list[str]:
    # The test backend holds no images, so Decap's preview cannot fetch the entry's
    # picture (it would from the git host): that one miss is expected.
    return [e for e in log["errors"] if "status of 404" not in e
            and "/admin/images/" not in e]


def test_the_sidebar_lists_every_collection(cms):
    page, log = cms
    sidebar = {a.get_attribute("href"): a.inner_text().strip() for name in ENTRIES
               for a in page.query_selector_all(f'a[href="#/collections/{name}"]')}
    assert sidebar == {"#/collections/working_groups": "Working groups",
                       "#/collections/news": "News", "#/collections/projects": "Projects",
                       "#/collections/events": "Events", "#/collections/pages": "Pages",
                       "#/collections/data": "Shared data"}
    assert page.evaluate("window.__violations") == []


@pytest.mark.parametrize("collection", list(ENTRIES))
def test_an_entry_of_each_type_opens_without_an_error(cms, admin_url, collection):
    page, log = cms
    page.goto(f"{admin_url}#/collections/{collection}/entries/{ENTRIES[collection]}")
    page.wait_for_selector("text=Writing in")
    first_label = "Organisations" if collection == "data" else "Title"
    page.wait_for_selector(f"label:has-text('{first_label}')")
    if collection != "data":
        title_id = page.get_attribute("label:has-text('Title')", "for")
        title = page.input_value(f"#{title_id}")
        assert title, "the entry's title was read from the real file"
    else:
        assert page.get_by_text("Region Västra Götaland").count() >= 1
    page.wait_for_load_state("networkidle")
    leaving = [url for url in log["requests"]
               if urlsplit(url).scheme not in ("data", "blob")
               and urlsplit(url).hostname != "127.0.0.1"]
    assert not leaving, f"requests to other hosts: {leaving}"
    assert _no_errors(log) == []
    assert page.evaluate("window.__violations") == []


def test_a_news_items_working_groups_offer_the_groups_that_exist(cms, admin_url):
    page, log = cms
    page.goto(f"{admin_url}#/collections/news/entries/{ENTRIES['news']}")
    field = page.get_attribute("label:has-text('Working groups')", "for")
    page.click(f"#{field}")
    page.wait_for_selector("[id^='react-select'][id*='-option-']")
    offered = {o.inner_text() for o in page.query_selector_all("[id*='-option-']")}
    chosen = set(page.locator(f"#{field}").locator(
        "xpath=ancestor::div[contains(@class, 'control')][1]").inner_text().split("\n"))
    # the item names `mobility`, shown by its title; the other groups are offered
    assert chosen == {"Mobility"}
    assert offered == _titles("working-groups") - chosen
    assert _no_errors(log) == []


@pytest.mark.parametrize("name", ["organisations", "action_types", "priorities", "site"])
def test_a_data_file_saved_by_the_cms_keeps_its_shape_and_values(cms, name):
    """wgsite-cms.js reads a top-level list as {list: [...]} for Decap and writes the bare
    list back; what it writes holds the same data as the file it read."""
    page, _ = cms
    text = (REPO / "data" / f"{name}.yaml").read_text(encoding="utf-8")
    read, written = page.evaluate("""(text) => {
        const format = CMS.getCustomFormatsFormatters()['wgsite-yaml'];
        const data = format.fromFile(text);
        return [data, format.toFile(data)];
    }""", text)
    original = yaml.safe_load(text)
    if isinstance(original, list):  # its texts as Decap edits them: one input per language
        assert list(read) == ["list"] and len(read["list"]) == len(original)
    assert yaml.safe_load(written) == original
