"""The content manager of a site in two languages, in Chromium with Decap's test backend:
a news item opens with its translation beside it, switching to the second language shows
the translated fields, saving keeps wgsite's file names (x.md for the default language,
x.fr.md for a translation, none for a language nobody wrote in), and a data file edits
each name once per language. At the root and under /wg/.

The translation and the data value in two languages are given to the test backend
beside the files the site was built from (test-repo.js holds the files it edits): the
build is only needed for /admin/ itself.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.browser.conftest import _Handler, netlify_headers, require
from tests.sitefiles import REPO, SITE, build, write_site

DECAP = REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"
NEWS = "content/news/2026-01-10-first-news"
FRENCH = ("---\ntitle: Première nouvelle\nsummary: La première.\n---\n"
          "Le texte de la première nouvelle.\n")
ACTION_TYPES = """\
- id: capacity-building
  title:
    en: Capacity building
    fr: Renforcement des capacités
- id: responding-to-policy
  title: Responding to policy
"""


def _seed(out: Path, files: dict[str, str]) -> None:
    """Add files to the test backend's copy of the repository (both spellings of a
    folder, as admin.test_repo writes them)."""
    script = out / "admin" / "test-repo.js"
    tree = json.loads(script.read_text(encoding="ascii").removeprefix("window.repoFiles = ")
                      .removesuffix(";\n"))
    for path, content in files.items():
        *parents, name = path.split("/")
        node = {"path": path, "content": content}
        folder = tree
        for part in parents:
            folder = folder.setdefault(part, {})
        folder[name] = node
        if len(parents) > 1:
            tree.setdefault("/".join(parents), {})[name] = node
    script.write_text("window.repoFiles = " + json.dumps(tree, ensure_ascii=True) + ";\n",
                      encoding="ascii")


@pytest.fixture(scope="module", params=["/", "/wg/"], ids=["root", "under-wg"])
def admin_url(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require(DECAP.exists(), "Decap CMS (node_modules/decap-cms)", "npm ci --ignore-scripts")
    prefix = request.param
    site = write_site(tmp_path_factory.mktemp("cms-languages") / "site", {
        **SITE, "data/site.yaml": SITE["data/site.yaml"].replace(
            "language: en\n", "languages: [en, fr]\n")})
    status, err = build(site, "--cms-backend", "test-repo",
                        "--base-url", f"https://example.org{prefix}")
    assert status == 0, err
    out = site / "public"
    _seed(out, {f"{NEWS}.fr.md": FRENCH, "data/action_types.yaml": ACTION_TYPES})
    handler = type("Handler", (_Handler,), {"rules": netlify_headers(out), "prefix": prefix})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}{prefix}admin/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def cms(browser, admin_url):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda message: message.type == "error" and errors.append(
        f"console: {message.text}"))
    page.goto(admin_url)
    page.get_by_role("button", name="Login").click()
    page.wait_for_selector('a[href="#/collections/news"]')
    yield page, admin_url, errors
    context.close()


def _open(page, admin_url: str, collection: str, entry: str, label: str = "Title") -> None:
    page.goto(f"{admin_url}#/collections/{collection}/entries/{entry}")
    page.wait_for_selector("text=Writing in")
    page.wait_for_selector(f"label:has-text('{label}')")


def _inputs(page, name: str):
    """The inputs of the field `name`, in the order of the page (the default language's
    pane, then the other's)."""
    return page.locator(f"input[id^='{name}-field-'], textarea[id^='{name}-field-']").all()


def _values(page, name: str) -> list[str]:
    return [element.input_value() for element in _inputs(page, name)]


def _saved(page) -> dict[str, dict[str, str]]:
    """What the editorial workflow saved: {entry: {path: text}}."""
    return page.evaluate("""() => Object.fromEntries(
        Object.entries(window.repoFilesUnpublished).map(([key, entry]) =>
            [key, Object.fromEntries(entry.diffs.map(d => [d.path, d.content]))]))""")


def _save(page) -> None:
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=Entry saved")


def test_a_news_item_shows_its_translation_and_the_second_language(cms):
    page, admin_url, errors = cms
    _open(page, admin_url, "news", "2026-01-10-first-news")
    # the original (content/…/first-news.md) on the left, its translation on the right
    assert _values(page, "title") == ["First news", "Première nouvelle"]
    assert _values(page, "summary") == ["The first.", "La première."]
    assert page.get_by_text("Le texte de la première nouvelle.").count() == 1
    page.get_by_text("Writing in EN").click()
    page.get_by_role("menuitem", name="fr").click()
    assert _values(page, "title") == ["Première nouvelle", "Première nouvelle"]
    assert errors == []


def test_facts_are_copied_greyed_out_and_lists_of_facts_hidden_in_a_translation(cms):
    page, admin_url, errors = cms
    _open(page, admin_url, "news", "2026-01-10-first-news")
    dates = _inputs(page, "date")
    assert len(dates) == 2
    english, french = dates
    assert english.is_enabled() and not french.is_enabled()
    assert french.input_value() == english.input_value() == "2026-01-10"
    # tags are a list of facts: the translation takes them from the original
    tags = page.locator("[id^='tags-field-']").all()
    assert [t.is_visible() for t in tags] == [True, False]
    assert errors == []


def test_an_untranslated_item_is_saved_at_its_own_name_and_nowhere_else(cms):
    page, admin_url, errors = cms
    _open(page, admin_url, "news", "2026-02-10-second-news")
    assert _values(page, "title") == ["Second news", ""]
    _inputs(page, "title")[0].fill("Second news, revised")
    _save(page)
    saved = _saved(page)["news/2026-02-10-second-news"]
    # not second-news.en.md beside second-news.md, and no French file without a title
    assert list(saved) == ["content/news/2026-02-10-second-news.md"]
    front = yaml.safe_load(saved["content/news/2026-02-10-second-news.md"].split("---\n")[1])
    assert front["title"] == "Second news, revised"
    assert errors == []


def test_a_translation_is_saved_beside_the_original(cms):
    page, admin_url, errors = cms
    _open(page, admin_url, "news", "2026-03-10-third-news")
    _inputs(page, "title")[1].fill("Troisième nouvelle")
    _save(page)
    saved = _saved(page)["news/2026-03-10-third-news"]
    assert sorted(saved) == ["content/news/2026-03-10-third-news.fr.md",
                             "content/news/2026-03-10-third-news.md"]
    french = yaml.safe_load(saved["content/news/2026-03-10-third-news.fr.md"].split("---\n")[1])
    assert french["title"] == "Troisième nouvelle"
    assert str(french["date"]) == "2026-03-10", "a fact is copied as it is"
    assert "tags" not in french and "aliases" not in french
    assert errors == []


def test_a_data_file_edits_each_name_once_per_language(cms):
    page, admin_url, errors = cms
    _open(page, admin_url, "data", "action_types", label="Action types")
    # a plain string is the default language's; a mapping gives each language its own
    assert _values(page, "en") == ["Capacity building", "Responding to policy"]
    assert _values(page, "fr") == ["Renforcement des capacités", ""]
    assert errors == []


def test_a_data_value_without_a_translation_is_written_back_as_plain_text(cms):
    page, _, _ = cms
    written = page.evaluate("""(text) => {
        const format = CMS.getCustomFormatsFormatters()['wgsite-yaml'];
        const data = format.fromFile(text);
        data.list[1].title.fr = 'Réagir aux politiques';
        return [format.fromFile(text), format.toFile(data)];
    }""", ACTION_TYPES)
    read, text = written
    assert read["list"][1]["title"] == {"en": "Responding to policy"}
    assert yaml.safe_load(text) == [
        {"id": "capacity-building",
         "title": {"en": "Capacity building", "fr": "Renforcement des capacités"}},
        {"id": "responding-to-policy",
         "title": {"en": "Responding to policy", "fr": "Réagir aux politiques"}}]
    untouched = page.evaluate("""(text) => {
        const format = CMS.getCustomFormatsFormatters()['wgsite-yaml'];
        return format.toFile(format.fromFile(text));
    }""", SITE["data/action_types.yaml"])
    assert yaml.safe_load(untouched) == yaml.safe_load(SITE["data/action_types.yaml"])


def test_relations_offer_what_exists_by_its_name_in_the_default_language(cms):
    """Decap lists a collection of the default language by the files named x.en.md:
    wgsite's x.md are offered all the same, and a data file's names per language show
    the default language's."""
    page, admin_url, errors = cms
    _open(page, admin_url, "news", "2026-01-10-first-news")
    organisations = page.locator("[id^='organisations-field-']").first
    chosen = organisations.locator(
        "xpath=ancestor::div[contains(@class, 'control')][1]").inner_text().split("\n")
    assert chosen == ["East Institute"]
    groups = page.locator("[id^='working_groups-field-']").first
    groups.click()
    page.wait_for_selector("[id^='react-select'][id*='-option-']")
    offered = {o.inner_text() for o in page.query_selector_all("[id*='-option-']")}
    assert offered == {"Adult learning"}, "the item names Mobility; the other group is offered"
    assert errors == []
