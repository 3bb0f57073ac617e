"""The mistakes hurried editors make that used to build silently: each now stops the
build (or warns) with its file, line and what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitefiles import CONTENT, DATA, build, write_site

GROUP = "content/working-groups/mobility.md"
SITE_YAML = "data/site.yaml"


def outputs(site: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()}


def fails(site: Path, capsys, files: dict, *expected: str, args: tuple = ()) -> str:
    """Build the good site, make the mistake, and see it refused with the messages."""
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    before = outputs(site)
    write_site(site, files)
    status, err = build(site, *args, capsys=capsys)
    assert status == 1, err
    for message in expected:
        assert message in err
    assert "Traceback" not in err
    assert "the site was not built; the previous output is unchanged." in err
    assert outputs(site) == before, "a failed build leaves the previous output as it was"
    return err


def page(front: str, body: str = "Text.\n") -> str:
    return f"---\n{front}\n---\n{body}"


# -- 1. ' #' after plain text --------------------------------------------------

def test_a_hash_after_a_plain_title_is_refused_not_cut(site: Path, capsys):
    fails(site, capsys, {"content/about.md": page("title: Regions #1 in work-based learning")},
          "content/about.md:2: error: 'title' would be only 'Regions': YAML reads ' #' as the "
          "start of a comment and leaves out the rest of the line; put the whole text in "
          "quotes: title: \"Regions #1 in work-based learning\" (a comment goes on a line of "
          "its own)")


def test_a_hash_after_a_plain_list_item_of_text_is_refused(site: Path, capsys):
    fails(site, capsys, {"content/about.md": page("title: About\ntags:\n  - Top #10")},
          "content/about.md:4: error: 'tags' would be only 'Top': YAML reads ' #' as the "
          "start of a comment", "put the whole text in quotes: - \"Top #10\"")


def test_curly_quotes_around_a_hash_are_suggested_as_straight_ones(site: Path, capsys):
    fails(site, capsys, {"content/about.md": page("title: “Our #1 goal”")},
          "content/about.md:2: error: 'title' would be only '“Our'", 'title: "Our #1 goal"')


def test_a_hash_in_a_data_file_name_is_refused(site: Path, capsys):
    organisations = DATA["data/organisations.yaml"].replace(
        "name: South Agency", "name: South Agency #2")
    fails(site, capsys, {"data/organisations.yaml": organisations},
          "data/organisations.yaml:6: error: 'name' would be only 'South Agency'")


@pytest.mark.parametrize("front", [
    "title: About\n# a comment on a line of its own",
    "title: \"Regions #1\" # a comment after quoted text",
    "title: Regions#1, no space before the hash",
    "title: About\nweight: 3  # a comment after a value that is not text",
])
def test_comments_that_lose_nothing_are_allowed(site: Path, capsys, front):
    write_site(site, {"content/about.md": page(front)})
    status, err = build(site, capsys=capsys)
    assert status == 0, err


def test_a_url_with_a_fragment_is_not_a_comment(site: Path, capsys):
    write_site(site, {
        "content/projects/move-on.md": page("title: Move On\nurl: https://move.example.org/#about"),
        "content/events/autumn-forum.md": page(
            "title: Autumn forum\nstart: 2026-10-01\n"
            "online_url: \"https://live.example.org/#room\"  # the stream")})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert 'href="https://move.example.org/#about"' in (
        site / "public/projects/move-on/index.html").read_text()


# -- 2. empty values -------------------------------------------------------------

def test_an_unquoted_colour_is_refused_with_quotes_suggested(site: Path, capsys):
    site_yaml = DATA[SITE_YAML].replace('colours: {primary: "#1f4e79"}',
                                        "colours:\n  primary: #1f4e79")
    fails(site, capsys, {SITE_YAML: site_yaml},
          "data/site.yaml:12: error: 'colours.primary' is empty: YAML reads '#' after a space "
          "as the start of a comment; put the colour in quotes: primary: \"#1f4e79\"")


def test_an_empty_value_is_refused(site: Path, capsys):
    fails(site, capsys, {"content/about.md": page("title: About\nsummary:")},
          "content/about.md:3: error: 'summary' is empty; write its value after the colon, "
          "or delete the line")


# -- 3. files under content/ that are not pages ------------------------------------

def test_a_markdown_file_is_a_page(site: Path, capsys):
    write_site(site, {"content/history.markdown": page("title: Our history")})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert "Our history" in (site / "public/history/index.html").read_text()


def test_an_upper_case_md_is_an_error(site: Path, capsys):
    fails(site, capsys, {"content/news/2026-04-01-spring.MD":
                         page("title: Spring\ndate: 2026-04-01")},
          "content/news/2026-04-01-spring.MD: error: pages end in lowercase .md; rename it to "
          "2026-04-01-spring.md")


@pytest.mark.parametrize("name,message", [
    ("content/news/2026-04-01-spring.md.txt",
     "content/news/2026-04-01-spring.md.txt: warning: this file ends in .txt, so it is not a "
     "page and is not published; rename it to 2026-04-01-spring.md"),
    ("content/notes.docx",
     "content/notes.docx: warning: this file is not a page (those end in .md) and is not "
     "published; pictures and documents go in assets/"),
])
def test_other_files_under_content_are_named(site: Path, capsys, name, message):
    write_site(site, {name: page("title: Spring\ndate: 2026-04-01")})
    status, err = build(site, capsys=capsys)
    assert status == 0 and message in err
    status, err = build(site, "--strict", capsys=capsys)
    assert status == 1 and message.replace("warning:", "error:") in err


@pytest.mark.parametrize("name", ["content/about.md~", "content/#about.md#",
                                  "content/news/.2026-01-10-first-news.md.swp"])
def test_editor_backup_files_are_skipped_without_a_word(site: Path, capsys, name):
    write_site(site, {name: "x"})
    status, err = build(site, "--strict", capsys=capsys)
    assert status == 0, err
    assert "warning" not in err


# -- 4. the same item twice in a list --------------------------------------------------

def test_the_same_priority_twice_is_refused_naming_both_lines(site: Path, capsys):
    group = CONTENT[GROUP].replace("  - priority: skills", "  - priority: 2")
    fails(site, capsys, {GROUP: group},
          "content/working-groups/mobility.md:14: error: 'priorities' gives priority '2' twice "
          "(first on line 12); keep one of the two")


def test_a_priority_by_number_and_by_id_is_the_same_priority(site: Path, capsys):
    group = CONTENT[GROUP].replace("  - priority: skills", "  - priority: mobility")
    fails(site, capsys, {GROUP: group},
          "mobility.md:14: error: 'priorities' gives priority 'mobility' twice (first on line 12)")


@pytest.mark.parametrize("old,new,message", [
    ("action_types: [capacity-building, responding-to-policy]",
     "action_types:\n  - capacity-building\n  - capacity-building",
     "mobility.md:12: error: 'action_types' gives 'capacity-building' twice (first on line 11)"),
    ("lead: [north-region]", "lead: [north-region, north-region]",
     "mobility.md:4: error: 'lead' gives 'north-region' twice; keep one of the two"),
    ("tags: [mobility]", "tags: [mobility, Mobility]",
     "mobility.md:19: error: 'tags' gives 'Mobility' twice; keep one of the two"),
])
def test_the_same_id_twice_in_a_list_is_refused(site: Path, capsys, old, new, message):
    fails(site, capsys, {GROUP: CONTENT[GROUP].replace(old, new)}, message)


def test_the_same_partner_twice_is_refused(site: Path, capsys):
    project = CONTENT["content/projects/move-on.md"].replace(
        "partners: [south-agency]", "partners:\n  - south-agency\n  - north-region\n"
        "  - south-agency")
    fails(site, capsys, {"content/projects/move-on.md": project},
          "content/projects/move-on.md:13: error: 'partners' gives 'south-agency' twice "
          "(first on line 11)")


# -- 5. a language by its name, not its code -----------------------------------------

def test_a_language_written_as_its_name_is_refused(site: Path, capsys):
    fails(site, capsys,
          {SITE_YAML: DATA[SITE_YAML].replace("language: en", "language: Swedish")},
          "data/site.yaml:5: error: 'language': 'Swedish' is not a language code that wgsite "
          "knows (did you mean 'sv'?); write a BCP 47 code such as en, fr, pt-BR or sr-Latn")


def test_a_translation_lacking_phrases_is_warned_of_and_built(site: Path, capsys):
    # a Finnish translation begun, and a site's Polish phrase that forgets two forms
    write_site(site, {SITE_YAML: DATA[SITE_YAML].replace("language: en", "language: fi"),
                      "data/i18n/fi.yaml": "locale: fi\nmenu: Valikko\n",
                      "data/i18n/pl.yaml": "figure_members: {one: członek, other: członka}\n"})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert ("data/i18n/fi.yaml: warning: no phrase 'next_page'; the pages show the one of "
            "data/i18n/en.yaml until it is translated") in err
    assert ("data/i18n/pl.yaml:1: warning: 'figure_members' lacks the plural forms few, "
            "many, which Polish needs") in err


def test_a_language_the_site_translated_is_accepted(site: Path, capsys):
    english = (Path(__file__).parent.parent / "data/i18n/en.yaml").read_text(encoding="utf-8")
    write_site(site, {SITE_YAML: DATA[SITE_YAML].replace("language: en", "language: fi"),
                      "data/i18n/fi.yaml": english.replace("Related news", "Aiheeseen liittyvät")
                      .replace("locale: en-GB", "locale: fi")})
    status, err = build(site, "--strict", capsys=capsys)
    assert status == 0, err
    assert 'lang="fi"' in (site / "public/index.html").read_text()


# -- 6. a start and an end in different forms --------------------------------------------

@pytest.mark.parametrize("start,end,message", [
    ("2026-10-01", "2026-10-01T17:00:00+02:00",
     "'start' is a date but 'end' has a time, so the time would be lost; give both a time "
     "(e.g. start: 2026-10-01T09:00:00+01:00) or both only a date"),
    ("2026-10-01T09:00:00+02:00", "2026-10-02",
     "'end' is a date but 'start' has a time"),
])
def test_an_event_mixing_a_date_and_a_time_is_refused(site: Path, capsys, start, end, message):
    event = page(f"title: Autumn forum\nstart: {start}\nend: {end}")
    fails(site, capsys, {"content/events/autumn-forum.md": event},
          f"content/events/autumn-forum.md:4: error: {message}")


# -- 7. a placeholder base_url --------------------------------------------------------------

PLACEHOLDER = ("data/site.yaml:4: warning: 'base_url' is https://example.org/, a placeholder: "
               "links in feeds, the sitemap and shared pages would point there; write the "
               "address where the site is published")


def test_a_placeholder_base_url_warns_and_fails_strict(site: Path, capsys):
    write_site(site, {SITE_YAML: DATA[SITE_YAML].replace(
        "https://test.example.org/", "https://example.org/")})
    status, err = build(site, capsys=capsys)
    assert status == 0 and PLACEHOLDER in err
    fails(site, capsys, {}, PLACEHOLDER.replace("warning:", "error:"), args=("--strict",))


@pytest.mark.parametrize("args", [("--drafts",), ("--preview",),
                                  ("--base-url", "https://wg.network.eu/")])
def test_a_placeholder_base_url_is_fine_for_previews(site: Path, capsys, args):
    write_site(site, {SITE_YAML: DATA[SITE_YAML].replace(
        "https://test.example.org/", "https://www.example.org/")})
    status, err = build(site, "--strict", *args, capsys=capsys)
    assert status == 0, err


# -- YAML mistakes, in plain words ----------------------------------------------------

@pytest.mark.parametrize("front,message", [
    ("title: Mobility: what next",
     "content/about.md:2: error: a colon followed by a space starts a new key, so the value of "
     "'title' cannot hold one; put the value in quotes: title: \"Mobility: what next\""),
    ("title: “Mobility: what next”",
     "content/about.md:2: error: a colon followed by a space starts a new key, so the value of "
     "'title' cannot hold one; put the value in quotes: title: \"Mobility: what next\" (curly "
     "quotes “ ” do not count as quotes in YAML; type straight ones)"),
    ("title: About\n summary: Who we are",
     "content/about.md:3:1: error: this line is indented more than the one above, so YAML "
     "reads 'summary' as part of the value above; start it in the same column as the other "
     "keys"),
    ("title: 'It's here'",
     "content/about.md:2: error: the value of 'title' starts with ', so it ends at the next ' "
     "and the rest of the line is left over; write it as title: \"It's here\""),
    ("title: \"About\nsummary: Who we are",
     "content/about.md:2:8: error: the \" that opens this value is never closed; end the value "
     "with \" on the same line"),
    ("title: @home",
     "content/about.md:2:8: error: a value cannot start with @ in YAML; put the value in "
     "quotes: title: \"@home\""),
    ("title: *About*",
     "content/about.md:2:8: error: a value cannot start with * in YAML; put the value in "
     "quotes: title: \"*About*\""),
    ("title: About\nchairs:\n  - name: Ada\n   email: ada@example.org",
     "content/about.md:5: error: 'email' does not line up with the lines above it; keys of one "
     "group start in the same column (count the spaces)"),
    ("title: About\n- a list item",
     "content/about.md:3: error: a list item ('- ') stands among keys here; indent it under "
     "the key it belongs to, or give it a key of its own"),
])
def test_yaml_mistakes_say_what_to_write(site: Path, capsys, front, message):
    err = fails(site, capsys, {"content/about.md": page(front)}, message)
    assert "block mapping" not in err and "in this context" not in err


# -- data files -----------------------------------------------------------------------

def test_an_unknown_key_in_a_data_file_lists_the_keys_and_the_nearest(site: Path, capsys):
    priorities = DATA["data/priorities.yaml"].replace("description: Skills *matter*.",
                                                      "summary: Skills *matter*.")
    fails(site, capsys, {"data/priorities.yaml": priorities},
          "data/priorities.yaml:6: error: unknown key 'items.summary' (did you mean "
          "'description'?); the keys allowed here are: id, number, title, description")


def test_a_missing_id_comes_first_and_its_follow_ons_say_so(site: Path, capsys):
    organisations = DATA["data/organisations.yaml"].replace(
        "- id: south-agency\n  name: South Agency", "- name: South Agency")
    err = fails(site, capsys, {"data/organisations.yaml": organisations},
                "data/organisations.yaml:5: error: missing required key 'id'",
                "content/working-groups/mobility.md:5: error: unknown organisation "
                "'south-agency' (this may follow from the organisation without a usable id at "
                "data/organisations.yaml:5: fix that first)")
    assert err.index("data/organisations.yaml:5") < err.index("content/")


def test_a_duplicate_organisation_id_names_both_lines(site: Path, capsys):
    organisations = DATA["data/organisations.yaml"] + "- id: south-agency\n  name: South again\n"
    err = fails(site, capsys, {"data/organisations.yaml": organisations},
                "data/organisations.yaml:9: error: duplicate id 'south-agency' (first on line "
                "5); give each its own id, or keep one of the two")
    assert "also claimed" not in err


# -- slugs and folders ------------------------------------------------------------------

def test_a_duplicate_slug_is_reported_at_the_slug_line(site: Path, capsys):
    fails(site, capsys, {"content/news/2026-05-01-again.md":
                         page("title: Again\nslug: first-news\ndate: 2026-05-01")},
          "content/news/2026-05-01-again.md:3: error: the slug 'first-news' is already taken by "
          "content/news/2026-01-10-first-news.md (both would be /news/first-news/); choose "
          "another slug")


def test_a_news_item_in_the_events_folder_is_told_where_it_belongs(site: Path, capsys):
    err = fails(site, capsys, {"content/events/launch.md": CONTENT[
        "content/news/2026-01-10-first-news.md"]},
        "content/events/launch.md:2: error: this looks like a news item, not an event: move "
        "the file to content/news/")
    assert "missing required key 'start'" not in err and "registration_url" not in err


def test_an_event_missing_its_start_is_not_sent_elsewhere(site: Path, capsys):
    err = fails(site, capsys, {"content/events/launch.md": page("title: Launch\nlocation: Rome")},
                "content/events/launch.md:2: error: missing required key 'start'")
    assert "looks like" not in err


# -- templates --------------------------------------------------------------------------

def test_an_unclosed_if_is_reported_once_at_its_opening_line(site: Path, capsys):
    layout = ('{% extends "base.html" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n'
              "{% if page.summary %}\n<p>{{ page.summary }}</p>\n{% endblock %}\n")
    err = fails(site, capsys, {"layouts/page.html": layout},
                "layouts/page.html:4: error: the {% if %} on this line is never closed: add "
                "{% endif %} where it should end (Jinja noticed at line 6)")
    assert err.count("layouts/page.html") == 1 and "while rendering" not in err
