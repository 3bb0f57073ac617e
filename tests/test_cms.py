"""The content manager at /admin/: Decap CMS configured from the schema, built with the site.

Each test builds a small site and reads public/admin/config.yml as Decap would.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.sitefiles import DATA, REPO, build, write_site
from wgsite.outputs import admin as cms_admin

DECAP_INSTALLED = (REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").exists()
needs_decap = pytest.mark.skipif(not DECAP_INSTALLED,
                                 reason="Decap CMS is missing: run `npm ci --ignore-scripts`")


def config(site: Path) -> dict[str, Any]:
    return yaml.safe_load((site / "public/admin/config.yml").read_text(encoding="utf-8"))


def collection(cfg: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in cfg["collections"] if c["name"] == name)


def field(fields: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(f for f in fields if f["name"] == name)


def data_file(cfg: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in collection(cfg, "data")["files"] if f["name"] == name)


@pytest.fixture
def built(site: Path, capsys) -> Path:
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    return site


def test_one_folder_collection_per_content_type_and_one_for_the_data_files(built):
    cfg = config(built)
    folders = {c["name"]: c["folder"] for c in cfg["collections"] if "folder" in c}
    assert folders == {"working_groups": "content/working-groups", "news": "content/news",
                       "projects": "content/projects", "events": "content/events",
                       "documents": "content/documents", "pages": "content"}
    for c in cfg["collections"]:
        if "folder" in c:
            assert (c["create"], c["extension"], c["format"]) == (True, "md", "frontmatter")
            assert field(c["fields"], "body")["widget"] == "markdown"
    files = {f["name"]: f["file"] for f in collection(cfg, "data")["files"]}
    assert files == {"site": "data/site.yaml", "priorities": "data/priorities.yaml",
                     "action_types": "data/action_types.yaml",
                     "organisations": "data/organisations.yaml", "people": "data/people.yaml"}


def test_file_names_follow_the_naming_rules(built):
    cfg = config(built)
    assert collection(cfg, "news")["slug"] == "{{year}}-{{month}}-{{day}}-{{slug}}"
    for name in ("working_groups", "projects", "events", "pages"):
        assert collection(cfg, name)["slug"] == "{{slug}}"


def test_edits_go_through_the_editorial_workflow_into_the_images_folder(built):
    cfg = config(built)
    assert cfg["publish_mode"] == "editorial_workflow"
    assert cfg["media_folder"] == "assets/images"
    assert cfg["public_folder"] == "images"  # content names images by their path in assets/
    assert cfg["site_url"] == "https://test.example.org/"


def test_each_kind_of_field_gets_its_widget(built):
    cfg = config(built)
    news = collection(cfg, "news")["fields"]
    assert field(news, "title") == {"label": "Title", "name": "title", "widget": "string",
                                    "hint": "The title, shown as the page's heading."}
    assert field(news, "date")["widget"] == "datetime"
    assert "required" not in field(news, "date")  # news must have a date
    assert field(news, "date")["time_format"] is False
    assert field(news, "summary")["widget"] == "text"
    assert field(news, "draft")["widget"] == "boolean"
    assert field(news, "weight")["widget"] == "number"
    assert field(news, "tags")["widget"] == field(news, "aliases")["widget"] == "list"
    # one input per tag: a comma-separated line would split a value holding a comma
    assert field(news, "tags")["field"] == {"label": "Item", "name": "item", "widget": "string"}
    assert field(news, "image")["widget"] == "image"
    assert field(news, "image_alt")["widget"] == field(news, "image_credit")["widget"] \
        == "string"
    assert field(news, "summary")["required"] is False
    events = collection(cfg, "events")["fields"]
    assert field(events, "start")["format"] == "YYYY-MM-DDTHH:mm:ssZ"
    status = field(collection(cfg, "projects")["fields"], "status")
    assert status["widget"] == "select"
    assert status["options"] == ["planned", "ongoing", "completed"]
    site = data_file(cfg, "site")["fields"]
    assert field(site, "colours")["widget"] == "object"
    assert field(field(site, "colours")["fields"], "primary")["widget"] == "color"
    assert field(field(site, "footer")["fields"], "text")["widget"] == "markdown"


def test_a_working_group_lists_what_it_does_under_each_priority(built):
    group = collection(config(built), "working_groups")["fields"]
    priorities = field(group, "priorities")
    assert priorities["widget"] == "list"
    subfields = {f["name"]: f for f in priorities["fields"]}
    assert subfields["priority"]["widget"] == "relation"
    assert subfields["priority"]["file"] == "priorities"
    assert subfields["text"]["widget"] == "markdown"
    chairs = field(group, "chairs")
    # chairs are people, chosen from data/people.yaml by name (stored by id)
    assert (chairs["widget"], chairs["file"], chairs["multiple"]) == ("relation", "people", True)
    assert chairs["value_field"] == "list.*.id"
    assert chairs["display_fields"] == ["list.*.name"]
    assert field(group, "policy_areas")["widget"] == "object"


def _relations(fields: list[dict[str, Any]]):
    for f in fields:
        if f.get("widget") == "relation":
            yield f
        yield from _relations(f.get("fields", []))


def test_every_relation_names_a_collection_and_a_field_that_exist(built):
    cfg = config(built)
    by_name = {c["name"]: c for c in cfg["collections"]}
    seen = set()
    for c in cfg["collections"]:
        for declared in [c] + c.get("files", []):
            for relation in _relations(declared.get("fields", [])):
                target = by_name[relation["collection"]]
                if "file" in relation:
                    fields = next(f for f in target["files"]
                                  if f["name"] == relation["file"])["fields"]
                    top, star, key = relation["value_field"].split(".")
                    assert star == "*"
                    assert key in [f["name"] for f in field(fields, top)["fields"]]
                    seen.add(relation["file"])
                else:
                    assert relation["value_field"] == "{{slug}}"
                    assert set(relation["search_fields"]) <= {f["name"]
                                                              for f in target["fields"]}
                    seen.add(relation["collection"])
    assert seen == {"organisations", "priorities", "action_types", "working_groups",
                    "projects", "people"}
    news = collection(cfg, "news")["fields"]
    assert field(news, "working_groups")["multiple"] is True
    assert field(news, "organisations")["value_field"] == "list.*.id"
    # priorities by number, as the content writes them ("Strategic Priority 2")
    assert field(collection(cfg, "projects")["fields"], "priorities")["value_field"] \
        == "items.*.number"


def test_a_field_of_the_sites_own_schema_is_editable(site, capsys):
    write_site(site, {"data/schema.yaml": (
        "news:\n  - name: subtitle\n    kind: string\n    help: A line under the title.\n"
        "event:\n  - name: project\n    kind: relation\n    target: project\n")})
    assert build(site, capsys=capsys)[0] == 0
    cfg = config(site)
    news = collection(cfg, "news")["fields"]
    assert field(news, "subtitle") == {"label": "Subtitle", "name": "subtitle",
                                       "widget": "string", "required": False,
                                       "hint": "A line under the title."}
    project = field(collection(cfg, "events")["fields"], "project")
    assert (project["widget"], project["collection"]) == ("relation", "projects")


def test_the_backend_defaults_to_git_gateway_on_main(built):
    assert config(built)["backend"] == {"name": "git-gateway", "branch": "main"}


def test_the_backend_comes_from_site_yaml(site, capsys):
    write_site(site, {"data/site.yaml": DATA["data/site.yaml"] + (
        "cms:\n  backend: github\n  repo: network/website\n  branch: content\n")})
    assert build(site, capsys=capsys)[0] == 0
    assert config(site)["backend"] == {"name": "github", "repo": "network/website",
                                       "branch": "content"}
    headers = (site / "public/_headers").read_text(encoding="utf-8")
    assert "connect-src 'self' https://api.github.com" in headers


def test_a_github_backend_without_its_repository_names_the_line(site, capsys):
    write_site(site, {"data/site.yaml": DATA["data/site.yaml"] + "cms:\n  backend: github\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("data/site.yaml:13: error: 'cms.backend' github needs 'cms.repo', the "
            "repository as owner/name") in err


def test_an_unknown_backend_is_refused_like_any_choice(site, capsys):
    write_site(site, {"data/site.yaml": DATA["data/site.yaml"] + "cms:\n  backend: gitlab\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "data/site.yaml:13: error: 'cms.backend' is 'gitlab'; use one of: git-gateway, " \
        "github" in err


def test_the_config_is_the_same_bytes_every_build(built, capsys):
    first = (built / "public/admin/config.yml").read_bytes()
    assert build(built, capsys=capsys)[0] == 0
    assert (built / "public/admin/config.yml").read_bytes() == first


@needs_decap
def test_the_admin_page_loads_only_its_own_scripts_and_stays_out_of_search(built):
    admin = built / "public/admin"
    page = (admin / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"></script>', page)
    assert scripts == ["js-yaml.min.js", "decap-cms.js", "wgsite-cms.js"]
    assert all((admin / name).is_file() for name in scripts)
    assert '<meta name="robots" content="noindex">' in page
    assert "<script>" not in page and "http" not in page
    # the chunks decap-cms.js loads from its own folder are there too
    assert len(list(admin.glob("*.decap-cms.js"))) > 10
    sitemap = (built / "public/sitemap.xml").read_text(encoding="utf-8")
    assert "/admin/" not in sitemap
    index = (built / "public/pagefind/pagefind-entry.json").read_text(encoding="utf-8")
    assert json.loads(index)["languages"]
    assert not any("admin" in p.name for p in (built / "public/pagefind").rglob("*"))


@needs_decap
def test_the_test_repo_backend_holds_the_real_content(site, capsys):
    status, err = build(site, "--cms-backend", "test-repo", capsys=capsys)
    assert status == 0, err
    assert config(site)["backend"] == {"name": "test-repo"}
    page = (site / "public/admin/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<script src="([^"]+)"', page)[0] == "test-repo.js"
    script = (site / "public/admin/test-repo.js").read_text(encoding="ascii")
    assert script.startswith("window.repoFiles = ") and script.endswith(";\n")
    tree = json.loads(script.removeprefix("window.repoFiles = ").removesuffix(";\n"))
    mobility = (site / "content/working-groups/mobility.md").read_text(encoding="utf-8")
    assert tree["content"]["working-groups"]["mobility.md"]["content"] == mobility
    assert tree["content/working-groups"]["mobility.md"]["content"] == mobility
    assert "2026-01-10-first-news.md" in tree["content/news"]
    orgs = (site / "data/organisations.yaml").read_text(encoding="utf-8")
    assert tree["data"]["organisations.yaml"]["content"] == orgs


def test_a_plain_build_has_no_test_repo(built):
    assert not (built / "public/admin/test-repo.js").exists()


def test_without_decap_the_build_succeeds_and_says_what_to_run(site, capsys, monkeypatch):
    monkeypatch.setattr(cms_admin, "DECAP", Path("node_modules/no-such-package"))
    status, err = build(site, "--strict", capsys=capsys)
    assert status == 0, "a site that has not set up its CMS is not nagged, even when strict"
    assert "warning" not in err
    page = (site / "public/admin/index.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert "npm ci --ignore-scripts" in page and cms_admin.INSTALL in page
    assert (site / "public/admin/config.yml").is_file()
    site_yaml = (site / "data/site.yaml").read_text(encoding="utf-8")
    write_site(site, {"data/site.yaml": site_yaml + "cms:\n  branch: main\n"})
    line = len(site_yaml.splitlines()) + 1
    status, err = build(site, capsys=capsys)
    assert status == 0
    assert (f"data/site.yaml:{line}: warning: /admin/ has no content manager: Decap CMS is "
            f"not installed; run `npm ci --ignore-scripts` (or `{cms_admin.INSTALL}`) and "
            "build again") in err
    status, err = build(site, "--strict", capsys=capsys)
    assert status == 1, "--strict (CI, which runs npm ci) refuses a site without the CMS it set up"


def test_the_versions_for_a_site_folder_are_those_package_json_pins():
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    assert cms_admin.NPM_PACKAGES == {name: pinned[name] for name in cms_admin.NPM_PACKAGES}


def test_a_page_cannot_take_the_admin_url(site, capsys):
    write_site(site, {"content/admin.md": "---\ntitle: Admin\n---\nHello.\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("content/admin.md: error: /admin/index.html is inside /admin/, the content "
            "manager's folder; give that page another slug") in err


def test_a_types_own_fields_and_text_come_before_the_seldom_used_ones(built):
    names = [f["name"] for f in collection(config(built), "working_groups")["fields"]]
    assert names[:2] == ["title", "date"]
    assert names.index("lead") < names.index("body") < names.index("slug")
    assert names[-7:] == ["slug", "draft", "publish_date", "expiry_date", "weight", "aliases",
                          "layout"]


# --- A site in several languages -------------------------------------------------------

TWO_LANGUAGES = DATA["data/site.yaml"].replace("language: en\n", "languages: [en, fr]\n")


@pytest.fixture
def in_two_languages(site: Path, capsys) -> dict[str, Any]:
    write_site(site, {"data/site.yaml": TWO_LANGUAGES})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    return config(site)


def _marks(fields: list[dict[str, Any]], path: str = ""):
    """(path, widget, i18n mark) of every field at every depth."""
    for f in fields:
        where = f"{path}{f['name']}"
        yield where, f["widget"], f.get("i18n", "unmarked")
        yield from _marks(f.get("fields", []), where + ".")
        if isinstance(f.get("field"), dict):
            yield from _marks([f["field"]], where + ".")


def _has_i18n(value: Any) -> bool:
    if isinstance(value, dict):
        return "i18n" in value or any(_has_i18n(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_i18n(v) for v in value)
    return False


@pytest.mark.parametrize("setting", ["language: en\n", "languages: [en]\n"])
def test_a_site_in_one_language_has_no_translations_in_the_cms(site, capsys, built, setting):
    before = (built / "public/admin/config.yml").read_bytes()
    assert not _has_i18n(yaml.safe_load(before))
    write_site(site, {"data/site.yaml": DATA["data/site.yaml"].replace("language: en\n",
                                                                       setting)})
    assert build(site, capsys=capsys)[0] == 0
    assert (site / "public/admin/config.yml").read_bytes() == before


def test_translations_are_files_beside_the_original_in_each_language(in_two_languages):
    cfg = in_two_languages
    assert cfg["i18n"] == {"structure": "multiple_files", "locales": ["en", "fr"],
                           "default_locale": "en"}
    for c in cfg["collections"]:
        if "folder" in c:
            assert c["i18n"] is True
        else:
            assert "i18n" not in c, "data files hold their languages inside them"
    # Decap adds .fr before .md of the name the slug gives: 2026-01-10-x.fr.md
    assert collection(cfg, "news")["slug"] == "{{year}}-{{month}}-{{day}}-{{slug}}"
    assert "path" not in collection(cfg, "news")


def test_words_are_translated_and_facts_copied_or_left_to_the_original(in_two_languages):
    news = {name: mark for name, _, mark in _marks(collection(in_two_languages,
                                                              "news")["fields"])}
    for words in ("title", "summary", "body", "image_alt", "image_credit"):
        assert news[words] is True, words
    for fact in ("date", "working_groups", "projects", "organisations", "image", "slug",
                 "publish_date", "expiry_date", "weight", "layout", "translation_key"):
        assert news[fact] == "duplicate", fact
    assert news["draft"] is True, "a translation in progress is held back on its own"
    # lists of facts: Decap copies no list; the build takes them from the original
    assert news["tags"] is False and news["tags.item"] is False
    # the original's old URLs are not the translation's
    assert news["aliases"] is False


def test_a_groups_text_under_each_priority_is_translated_with_its_priority(in_two_languages):
    group = {name: mark for name, _, mark in _marks(collection(in_two_languages,
                                                               "working_groups")["fields"])}
    assert group["priorities"] is group["priorities.text"] is True
    assert group["priorities.priority"] is True, "a translated list names its own items"
    assert group["policy_areas"] is group["policy_areas.period"] is True
    assert group["policy_areas.items"] is group["policy_areas.items.item"] is True
    assert group["chairs"] == "duplicate"  # people ids: a relation widget, copied
    assert group["lead"] == "duplicate"


def test_every_field_is_marked_as_decap_accepts(in_two_languages):
    """Decap hides an unmarked field in the other languages, and its list and object
    widgets take only true or false."""
    for c in in_two_languages["collections"]:
        for name, widget_name, mark in _marks(c.get("fields", [])):
            if "folder" not in c:
                assert mark == "unmarked", name
            elif widget_name in ("list", "object"):
                assert mark in (True, False), (c["name"], name)
            else:
                assert mark in (True, False, "duplicate"), (c["name"], name)


def test_a_data_value_that_is_words_is_edited_per_language(in_two_languages):
    cfg = in_two_languages
    site = data_file(cfg, "site")["fields"]
    title = field(site, "title")
    assert title["widget"] == "object" and title["hint"] == "The site's name."
    assert title["fields"] == [
        {"label": "en", "name": "en", "widget": "string"},
        {"label": "fr", "name": "fr", "widget": "string", "required": False}]
    assert [f["widget"] for f in field(site, "description")["fields"]] == ["text", "text"]
    assert field(site, "base_url")["widget"] == "string", "a fact stays one value"
    assert field(site, "timezone")["widget"] == "string"
    menu = field(site, "menu")
    assert menu["summary"] == "{{fields.title.en}}"
    assert [f["name"] for f in field(menu["fields"], "title")["fields"]] == ["en", "fr"]
    assert field(menu["fields"], "url")["widget"] == "string"
    footer = field(site, "footer")["fields"]
    assert [f["widget"] for f in field(footer, "text")["fields"]] == ["markdown", "markdown"]
    organisations = field(data_file(cfg, "organisations")["fields"], "list")
    assert field(organisations["fields"], "id")["widget"] == "string"
    assert field(organisations["fields"], "name")["fields"][0] == {
        "label": "en", "name": "en", "widget": "string"}, "required in the default language"
    priorities = field(data_file(cfg, "priorities")["fields"], "items")
    assert field(priorities["fields"], "number")["widget"] == "number"


def test_relations_to_data_files_show_names_in_the_default_language(in_two_languages):
    news = collection(in_two_languages, "news")["fields"]
    organisations = field(news, "organisations")
    assert organisations["value_field"] == "list.*.id"
    assert organisations["display_fields"] == ["list.*.name.en"]
    assert organisations["search_fields"] == ["list.*.name.en", "list.*.id"]
    group = collection(in_two_languages, "working_groups")["fields"]
    priority = field(field(group, "priorities")["fields"], "priority")
    assert priority["value_field"] == "items.*.number"
    assert priority["display_fields"] == ["items.*.title.en"]
    # relations to content show the default language's title, as Decap reads it
    assert field(news, "working_groups")["display_fields"] == ["title"]


def test_a_field_of_the_sites_own_schema_is_translated_by_its_kind(site, capsys):
    write_site(site, {"data/site.yaml": TWO_LANGUAGES, "data/schema.yaml": (
        "news:\n  - name: subtitle\n    kind: string\n"
        "  - name: booking\n    kind: url\n")})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    news = collection(config(site), "news")["fields"]
    assert field(news, "subtitle")["i18n"] is True
    assert field(news, "booking")["i18n"] == "duplicate"


def test_the_admin_page_is_in_the_default_language(site, capsys):
    write_site(site, {"data/site.yaml": TWO_LANGUAGES.replace("languages: [en, fr]",
                                                              "languages: [fr, en]")})
    assert build(site, capsys=capsys)[0] == 0
    page = (site / "public/admin/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in page
    assert config(site)["i18n"]["default_locale"] == "fr"
