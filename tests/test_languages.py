"""A site in several languages: translations, per-language pages and outputs, and the
mistakes editors make with them. Built from the outside, as small sites in tmp dirs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import icalendar
import pytest

from tests.htmlpage import HtmlPage
from tests.sitefiles import SITE, build, site_pages, write_site

BILINGUAL = {
    **SITE,
    "data/site.yaml": SITE["data/site.yaml"].replace(
        "language: en\n", "languages: [en, fr]\n").replace(
        "  - {title: Working groups, url: /working-groups/}",
        "  - {title: {en: Working groups, fr: Groupes de travail}, url: /working-groups/}\n"
        "  - {title: {en: About, fr: À propos}, url: /about/}"),
    "data/priorities.yaml": SITE["data/priorities.yaml"].replace(
        "    title: Mobility for all\n",
        "    title:\n      en: Mobility for all\n      fr: La mobilité pour tous\n"),
    "content/_index.fr.md": "---\ntitle: Bienvenue\n---\nLe texte de l'accueil.\n",
    "content/about.fr.md": "---\ntitle: À propos de nous\nsummary: Qui nous sommes.\n---\n"
                           "Texte.\n",
    "content/working-groups/mobility.fr.md": """\
---
title: Mobilité
priorities:
  - priority: 2
    text: Nous faisons bouger les gens.
---
L'introduction du groupe Mobilité.
""",
    "content/news/2026-01-10-first-news.fr.md": """\
---
title: Première nouvelle
summary: La première.
---
Le corps de la première nouvelle.
""",
    "content/projects/move-on.fr.md": "---\ntitle: En avant\n---\nUn projet.\n",
    "content/events/autumn-forum.fr.md": "---\ntitle: Forum d'automne\n---\nÀ venir.\n",
}


@pytest.fixture
def bilingual(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", BILINGUAL)


def built(root: Path, capsys, *args: str) -> tuple[Path, str]:
    status, err = build(root, *args, capsys=capsys)
    assert status == 0, err
    return root / "public", err


def html_lang(page: Path) -> str:
    return re.search(r'<html lang="([^"]+)"', page.read_text(encoding="utf-8"))[1]


def alternates(page: Path) -> dict[str, str]:
    links = HtmlPage.read(page).all("link")
    return {link.attrs["hreflang"]: link.attrs["href"] for link in links
            if link.attrs.get("rel") == "alternate" and "hreflang" in link.attrs}


def test_every_kind_of_page_exists_in_both_languages(bilingual: Path, capsys):
    out, _ = built(bilingual, capsys)
    for english, french in [("index.html", "fr/index.html"),
                            ("about/index.html", "fr/about/index.html"),
                            ("working-groups/mobility/index.html",
                             "fr/working-groups/mobility/index.html"),
                            ("news/first-news/index.html", "fr/news/first-news/index.html"),
                            ("projects/move-on/index.html", "fr/projects/move-on/index.html"),
                            ("events/autumn-forum/index.html",
                             "fr/events/autumn-forum/index.html"),
                            ("news/index.html", "fr/news/index.html"),
                            ("working-groups/index.html", "fr/working-groups/index.html"),
                            ("organisations/north-region/index.html",
                             "fr/organisations/north-region/index.html"),
                            ("priorities/mobility/index.html", "fr/priorities/mobility/index.html"),
                            ("tags/mobility/index.html", "fr/tags/mobility/index.html"),
                            ("search/index.html", "fr/search/index.html"),
                            ("404.html", "fr/404.html")]:
        assert html_lang(out / english) == "en", english
        assert html_lang(out / french) == "fr", french
    group = HtmlPage.read(out / "fr/working-groups/mobility/index.html", main_only=True)
    assert "Mobilité" in group.texts("h1")
    text = group.text
    assert "Nous faisons bouger les gens." in text  # its own text under a priority
    assert "La mobilité pour tous" in text  # the priority's title in French
    assert "We move people." not in text
    # untranslated pages have no French page
    assert not (out / "fr/news/second-news").exists()


def test_hreflang_alternates_are_reciprocal_on_every_page(bilingual: Path, capsys):
    out, _ = built(bilingual, capsys)
    pages = [p for p in site_pages(out) if p.name != "404.html"
             and "http-equiv=\"refresh\"" not in p.read_text(encoding="utf-8")]
    assert len(pages) > 40
    by_url = {}
    for page in pages:
        found = alternates(page)
        assert found, page
        assert "x-default" in found, page
        own = HtmlPage.read(page).all("link")
        canonical = next(l.attrs["href"] for l in own if l.attrs.get("rel") == "canonical")
        language = html_lang(page)
        assert found[language] == canonical, page  # the page itself is among them
        assert found["x-default"] == found["en"], page
        by_url[canonical] = found
    for url, found in by_url.items():
        for language, other in found.items():
            if language != "x-default":
                assert by_url[other] == found, (url, other)  # the same set, both ways
    assert by_url["https://test.example.org/news/first-news/"]["fr"] == \
        "https://test.example.org/fr/news/first-news/"
    assert set(by_url["https://test.example.org/news/second-news/"]) == {"en", "x-default"}


def test_the_switcher_links_each_language_to_the_same_page(bilingual: Path, capsys):
    out, _ = built(bilingual, capsys)
    page = HtmlPage.read(out / "news/first-news/index.html")
    links = {a.attrs["hreflang"]: a for a in page.all("a")
             if "hreflang" in a.attrs and a.attrs.get("lang")}
    assert links["fr"].attrs["href"] == "/fr/news/first-news/"  # not the French home page
    assert links["en"].attrs.get("aria-current") == "page"
    assert links["fr"].text.strip() == "Français"
    untranslated = HtmlPage.read(out / "news/second-news/index.html")
    french = next(a for a in untranslated.all("a") if a.attrs.get("hreflang") == "fr"
                  and a.attrs.get("lang") == "fr")
    assert french.attrs["href"] == "/fr/"  # no translation: that language's home page


def test_lists_show_untranslated_items_labelled_with_their_language(bilingual: Path,
                                                                    capsys):
    out, _ = built(bilingual, capsys)
    html = (out / "fr/working-groups/mobility/index.html").read_text(encoding="utf-8")
    # the group's related news: its French item, and its English one labelled
    assert 'href="/fr/news/first-news/"' in html
    second = re.search(r'<article class="card card--news[^"]*" lang="en">.*?</article>', html,
                       re.S)
    assert second and 'href="/news/second-news/" hreflang="en"' in second[0]
    assert 'class="card__language language-label" lang="fr"' in second[0]
    news = (out / "fr/news/index.html").read_text(encoding="utf-8")
    assert 'href="/news/third-news/" hreflang="en"' in news


def test_a_language_may_list_only_its_own_items(tmp_path: Path, capsys):
    site = write_site(tmp_path / "site", {**BILINGUAL, "data/site.yaml": BILINGUAL[
        "data/site.yaml"] + "own_language_only: [fr]\n"})
    out, _ = built(site, capsys)
    news = (out / "fr/news/index.html").read_text(encoding="utf-8")
    assert "/fr/news/first-news/" in news and "/news/third-news/" not in news
    assert "/news/third-news/" in (out / "news/index.html").read_text(encoding="utf-8")


def test_relations_lead_to_the_page_in_the_same_language(bilingual: Path, capsys):
    out, _ = built(bilingual, capsys)
    news = HtmlPage.read(out / "fr/news/first-news/index.html", main_only=True)
    assert "/fr/working-groups/mobility/" in news.hrefs
    assert "/fr/projects/move-on/" in news.hrefs
    crumbs = [a.attrs["href"] for a in HtmlPage.read(
        out / "fr/news/first-news/index.html").all("a") if a.attrs.get("href", "").startswith("/")]
    assert crumbs.count("/") == 0 and "/fr/" in crumbs  # home is this language's home
    header = HtmlPage.read(out / "fr/index.html")
    assert "/fr/about/" in header.hrefs  # the menu, written once, in French
    assert "Groupes de travail" in header.texts("a")


def test_a_translation_takes_its_facts_from_the_original(bilingual: Path, capsys):
    write_site(bilingual, {"content/news/2026-01-10-first-news.fr.md": """\
---
title: Première nouvelle
date: 2026-01-11
working_groups: [adult-learning]
---
Texte.
"""})
    out, err = built(bilingual, capsys)
    assert ("content/news/2026-01-10-first-news.fr.md:3: warning: 'date' is a fact that "
            "translations take from the original") in err
    assert "content/news/2026-01-10-first-news.fr.md:4: warning: 'working_groups'" in err
    page = (out / "fr/news/first-news/index.html").read_text(encoding="utf-8")
    assert "2026-01-10" in page and "2026-01-11" not in page
    assert "/fr/working-groups/mobility/" in page


def test_the_default_language_may_be_named_in_the_file_name(tmp_path: Path, capsys):
    files = dict(BILINGUAL)
    files["content/about.en.md"] = files.pop("content/about.md")
    site = write_site(tmp_path / "site", files)
    out, _ = built(site, capsys)
    assert (out / "about/index.html").is_file()
    assert alternates(out / "about/index.html")["fr"] == "https://test.example.org/fr/about/"
    write_site(site, {"content/about.md": BILINGUAL["content/about.md"]})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("content/about.en.md: error: this file and content/about.md are both the en "
            "original of one page; keep one of them") in err


@pytest.mark.parametrize("files, message", [
    ({"content/about.de.md": "---\ntitle: Über uns\n---\n"},
     "content/about.de.md: error: this file is a translation into 'de' (the .de before .md), "
     "but data/site.yaml does not list 'de' among the site's languages (en, fr)"),
    ({"content/contact.fr.md": "---\ntitle: Contact\n---\n"},
     "content/contact.fr.md: error: this is a translation into 'fr', but its original "
     "content/contact.md (or content/contact.en.md) does not exist"),
    ({"content/news/2026-04-01-x.fr.md": "---\ntitle: X\ntranslation_key: nowhere\n---\n"},
     "content/news/2026-04-01-x.fr.md:3: error: no page in the default language (en) has "
     "the translation_key 'nowhere'"),
    ({"data/site.yaml": BILINGUAL["data/site.yaml"].replace("[en, fr]", "[en, french]")},
     "data/site.yaml:5: error: 'languages': 'french' is not a language code that wgsite "
     "knows (did you mean 'fr'?)"),
    ({"data/site.yaml": BILINGUAL["data/site.yaml"].replace("[en, fr]", "[en, fr, fr-FR, fr]")},
     "data/site.yaml:5: error: 'languages' gives 'fr' twice; keep one of the two"),
    ({"data/site.yaml": BILINGUAL["data/site.yaml"].replace("[en, fr]", "en, fr")},
     "data/site.yaml:5: error: 'languages' is 'en, fr', one text; write the codes as a "
     "list: languages: [en, fr]\n1 error"),  # and nothing that follows from it
    ({"data/priorities.yaml": BILINGUAL["data/priorities.yaml"].replace(
        "      fr: La mobilité", "      es: La mobilité")},
     "data/priorities.yaml:11: error: 'items.title' gives a text in 'es', which is not one "
     "of the site's languages (en, fr)"),
])
def test_translation_mistakes_are_errors_at_their_line(bilingual: Path, capsys, files,
                                                      message):
    write_site(bilingual, files)
    status, err = build(bilingual, capsys=capsys)
    assert status == 1
    assert message in err


def test_translation_key_pairs_files_whose_names_differ(bilingual: Path, capsys):
    write_site(bilingual, {
        "content/about.fr.md": None,
        "content/about.md": "---\ntitle: About us\ntranslation_key: about\n---\nText.\n",
        "content/qui-sommes-nous.fr.md": "---\ntitle: Qui sommes-nous\ntranslation_key: about"
                                         "\n---\nTexte.\n"})
    out, _ = built(bilingual, capsys)
    assert alternates(out / "about/index.html")["fr"] == "https://test.example.org/fr/about/"


def test_two_translations_of_one_page_into_one_language(bilingual: Path, capsys):
    write_site(bilingual, {
        "content/about.md": "---\ntitle: About us\ntranslation_key: about\n---\nText.\n",
        "content/qui.fr.md": "---\ntitle: Qui\ntranslation_key: about\n---\nTexte.\n"})
    status, err = build(bilingual, capsys=capsys)
    assert status == 1
    assert "already translates content/about.md into 'fr'; keep one of them" in err


def test_a_data_text_missing_in_a_language_falls_back_with_a_warning(bilingual: Path,
                                                                     capsys):
    write_site(bilingual, {"data/priorities.yaml": BILINGUAL["data/priorities.yaml"].replace(
        "      fr: La mobilité pour tous\n", "")})
    out, err = built(bilingual, capsys)
    assert "data/priorities.yaml:10: warning: 'items.title' has no text in 'fr'" in err
    assert "Mobility for all" in (out / "fr/priorities/mobility/index.html").read_text(
        encoding="utf-8")
    status, err = build(bilingual, "--strict", capsys=capsys)
    assert status == 1


def test_sitemap_lists_every_translation_of_each_page(bilingual: Path, capsys):
    out, _ = built(bilingual, capsys)
    root = ET.parse(out / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "x": "http://www.w3.org/1999/xhtml"}
    entries = {u.find("s:loc", ns).text: {l.get("hreflang"): l.get("href")
                                          for l in u.findall("x:link", ns)}
               for u in root.findall("s:url", ns)}
    first = entries["https://test.example.org/fr/news/first-news/"]
    assert first == {"en": "https://test.example.org/news/first-news/",
                     "fr": "https://test.example.org/fr/news/first-news/",
                     "x-default": "https://test.example.org/news/first-news/"}
    assert entries["https://test.example.org/news/first-news/"] == first
    assert not any("404" in loc for loc in entries)


def test_feeds_and_calendars_per_language(bilingual: Path, capsys):
    out, _ = built(bilingual, capsys)
    french = feedparser.parse((out / "fr/feed.xml").read_bytes())
    assert french.feed.language == "fr"
    titles = [entry.title for entry in french.entries]
    assert "Première nouvelle" in titles and "Third news" in titles  # untranslated too
    assert next(e for e in french.entries if e.title == "Third news").link == \
        "https://test.example.org/news/third-news/"
    english = feedparser.parse((out / "feed.xml").read_bytes())
    assert "Première nouvelle" not in [entry.title for entry in english.entries]
    calendar = icalendar.Calendar.from_ical((out / "fr/events.ics").read_bytes())
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert "Forum d’automne" in summaries
    assert (out / "fr/working-groups/mobility/events.ics").is_file()
    assert not (out / "fr/working-groups/adult-learning/events.ics").exists()
    redirects = (out / "_redirects").read_text(encoding="utf-8")
    assert "/fr/* /fr/404.html 404" in redirects


def test_search_indexes_each_language(bilingual: Path, capsys):
    out, _ = built(bilingual, capsys)
    entry = (out / "pagefind/pagefind-entry.json").read_text(encoding="utf-8")
    assert '"en"' in entry and '"fr"' in entry
    form = HtmlPage.read(out / "fr/search/index.html").all("form")
    assert any(f.attrs.get("action") == "/fr/search/" for f in form)


def test_arabic_pages_are_right_to_left(tmp_path: Path, capsys):
    site = write_site(tmp_path / "site", {
        **BILINGUAL, "data/site.yaml": BILINGUAL["data/site.yaml"].replace(
            "[en, fr]", "[en, ar]").replace("fr: ", "ar: "),
        "data/priorities.yaml": SITE["data/priorities.yaml"],
        "content/_index.fr.md": None, "content/about.fr.md": None,
        "content/working-groups/mobility.fr.md": None, "content/projects/move-on.fr.md": None,
        "content/events/autumn-forum.fr.md": None,
        "content/news/2026-01-10-first-news.fr.md": None,
        "content/about.ar.md": "---\ntitle: من نحن\n---\nنص.\n"})
    out, _ = built(site, capsys)
    page = (out / "ar/about/index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert '<html lang="en" dir="ltr">' in (out / "about/index.html").read_text(
        encoding="utf-8")


def test_default_language_in_url_makes_a_chooser_at_the_root(tmp_path: Path, capsys):
    site = write_site(tmp_path / "site", {**BILINGUAL, "data/site.yaml": BILINGUAL[
        "data/site.yaml"] + "default_language_in_url: true\n"})
    out, _ = built(site, capsys, "--base-url", "https://example.org/wg/")
    chooser = HtmlPage.read(out / "index.html")
    links = {a.attrs.get("hreflang"): a.attrs["href"] for a in chooser.all("a")
             if a.attrs.get("hreflang")}
    assert links == {"en": "/wg/en/", "fr": "/wg/fr/"}
    assert "<script" not in (out / "index.html").read_text(encoding="utf-8").split(
        "</head>")[1]
    assert html_lang(out / "en/news/first-news/index.html") == "en"
    assert alternates(out / "en/index.html")["x-default"] == "https://example.org/wg/"
    assert alternates(out / "en/news/first-news/index.html")["fr"] == \
        "https://example.org/wg/fr/news/first-news/"
    assert (out / "404.html").is_file() and (out / "en/404.html").is_file()


def test_under_a_base_path_every_link_keeps_it(bilingual: Path, capsys):
    out, _ = built(bilingual, capsys, "--base-url", "https://example.org/wg/")
    page = HtmlPage.read(out / "fr/working-groups/mobility/index.html")
    hrefs = [h for h in page.hrefs if h.startswith("/")]
    assert hrefs and all(h.startswith("/wg/") for h in hrefs)
    assert "/wg/working-groups/mobility/" in hrefs  # the switcher's English link
    assert alternates(out / "fr/index.html")["fr"] == "https://example.org/wg/fr/"


def test_a_second_build_after_editing_a_translation_equals_a_clean_one(bilingual: Path,
                                                                       tmp_path: Path,
                                                                       capsys):
    built(bilingual, capsys)
    write_site(bilingual, {"content/about.fr.md": "---\ntitle: Nous\n---\nAutre texte.\n"})
    out, _ = built(bilingual, capsys)
    clean = write_site(tmp_path / "clean", {**BILINGUAL, "content/about.fr.md":
                                            "---\ntitle: Nous\n---\nAutre texte.\n"})
    fresh, _ = built(clean, capsys)
    ours = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    theirs = {p.relative_to(fresh): p.read_bytes() for p in fresh.rglob("*") if p.is_file()}
    assert ours.keys() == theirs.keys()
    assert [p for p in ours if ours[p] != theirs[p]] == []


def test_a_site_made_by_init_becomes_bilingual(tmp_path: Path):
    from tests.sitefiles import run_cli

    site = tmp_path / "network"
    assert run_cli("init", str(site), "--title", "Our Network").returncode == 0
    config = site / "data/site.yaml"
    text = config.read_text(encoding="utf-8")
    assert "\nlanguage: en\n" in text
    config.write_text(text.replace("\nlanguage: en\n", "\nlanguages: [en, de]\n"),
                      encoding="utf-8")
    group = site / "content/working-groups/example-group.md"
    group.with_name("example-group.de.md").write_text(
        "---\ntitle: Beispielgruppe\n---\nText auf Deutsch.\n", encoding="utf-8")
    done = run_cli("build", "--site", str(site), "--base-url", "https://example.org/wg/")
    assert done.returncode == 0, done.stderr
    page = site / "public/de/working-groups/example-group/index.html"
    html = page.read_text(encoding="utf-8")
    assert '<html lang="de"' in html and "Text auf Deutsch." in html
    assert 'href="/wg/working-groups/example-group/" lang="en" hreflang="en"' in html
    news = (site / "public/de/news/index.html").read_text(encoding="utf-8")
    assert 'hreflang="en"' in news  # the untranslated news item, labelled
    assert (site / "public/de/index.html").is_file()


def test_an_untranslated_home_page_says_its_text_is_in_the_original_language(bilingual: Path,
                                                                             capsys):
    write_site(bilingual, {"content/_index.fr.md": None})
    out, _ = built(bilingual, capsys)
    html = (out / "fr/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in html
    assert '<h1 id="home-title" lang="en">Welcome</h1>' in html
    assert '<div class="prose" lang="en"><p>The home page text.</p>' in html


MEETING = """meetings:
  - id: monthly
    title: Monthly meeting
    recurrence: {frequency: monthly, week: second, weekday: thursday}
    start_date: 2026-01-08
    time: "10:00"
    duration: 60
    time_zone: Europe/Brussels
    online_url: https://meet.example.org/mobility
"""


def test_a_translation_words_the_items_of_a_list_and_keeps_their_facts(bilingual: Path,
                                                                       capsys):
    group = "content/working-groups/mobility.md"
    write_site(bilingual, {
        group: BILINGUAL[group].replace("---\n", "---\n" + MEETING, 1),
        "content/working-groups/mobility.fr.md": """\
---
title: Mobilité
priorities:
  - priority: 2
    text: Nous faisons bouger les gens.
meetings:
  - id: monthly
    title: Réunion mensuelle
    time: "11:00"
  - id: weekly
    title: Réunion hebdomadaire
  - title: Réunion sans id
---
Texte.
"""})
    out, err = built(bilingual, capsys)
    assert ("content/working-groups/mobility.fr.md:9: warning: 'meetings.time' is a fact "
            "that translations take from the original (content/working-groups/mobility.md "
            "says 10:00 for id 'monthly'); this file's 11:00 is not used: remove it") in err
    assert ("content/working-groups/mobility.fr.md:10: warning: 'meetings' gives the id "
            "'weekly', which content/working-groups/mobility.md does not have; a translation "
            "only words the original's items: add it to the original first") in err
    assert ("content/working-groups/mobility.fr.md:12: warning: this item of 'meetings' has "
            "no 'id', so it translates none of the original's: give the id of the one it "
            "words") in err
    page = HtmlPage.read(out / "fr/working-groups/mobility/index.html", main_only=True).text
    assert "Réunion mensuelle" in page
    assert "chaque mois, 10:00" in page and "chaque mois, 11:00" not in page
    assert "Réunion hebdomadaire" not in page
    assert "Nous faisons bouger les gens." in page
    assert "We teach skills." in page  # the original's words where none are given
