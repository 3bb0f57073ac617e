"""The interface in many languages: complete phrase files, plural forms by CLDR category,
dates and numbers written by Babel, a fallback for what a translation lacks, language
codes with a suggestion, and a right-to-left layout for Arabic."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from tests.htmlpage import HtmlPage
from tests.sitefiles import DATA, REPO, SITE, build, write_site
from wgsite.content.language_codes import check_language, locale_of
from wgsite.content.sources import plural_categories
from wgsite.render.phrases import Phrases

BRUSSELS = ZoneInfo("Europe/Brussels")
I18N = REPO / "data/i18n"
SITE_YAML = "data/site.yaml"
REQUIRED = ["en", "fr", "de", "es", "it", "pt", "nl", "pl", "sv", "ar"]


def table(code: str) -> dict:
    return yaml.safe_load((I18N / f"{code}.yaml").read_text(encoding="utf-8"))


def phrases(code: str) -> Phrases:
    return Phrases(code, {"en": table("en"), code: table(code)}, BRUSSELS)


def plain(text: str) -> str:
    return (text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2060", ""))


def html(site: Path, url: str = "/") -> str:
    return (site / "public" / url.strip("/") / "index.html").read_text(encoding="utf-8")


def in_language(tmp_path: Path, language: str, files: dict | None = None) -> Path:
    site = dict(SITE)
    site[SITE_YAML] = DATA[SITE_YAML].replace("language: en", f"language: {language}") + (
        "members: 1\n")
    return write_site(tmp_path / "site", {**site, **(files or {})})


# -- the phrase files ---------------------------------------------------------------

def test_the_theme_ships_the_languages_of_the_issue():
    shipped = {path.stem for path in I18N.glob("*.yaml")}
    assert set(REQUIRED) <= shipped, set(REQUIRED) - shipped


@pytest.mark.parametrize("code", sorted(p.stem for p in I18N.glob("*.yaml") if p.stem != "en"))
def test_every_phrase_file_has_every_key_of_english_and_no_other(code):
    english, translated = table("en"), table(code)
    assert [k for k in english if k not in translated] == [], "keys it lacks"
    assert [k for k in translated if k not in english] == [], "keys English lacks"
    for key, value in translated.items():
        assert isinstance(value, (str, dict)), key
        # a placeholder the English fills in is filled in the translation too
        wanted = set(re.findall(r"\{(\w+)\}", str(english[key])))
        if isinstance(value, dict):
            assert isinstance(english[key], dict), f"{key}: plural only where English counts"
            wanted -= {"count"}  # "one result" may say its number in words
        found = set(re.findall(r"\{(\w+)\}", str(value)))
        assert found <= set(re.findall(r"\{(\w+)\}", str(english[key]))), key
        assert wanted <= found | {"count"}, key


@pytest.mark.parametrize("code", REQUIRED)
def test_every_plural_phrase_has_the_forms_its_language_needs(code):
    needed = plural_categories(locale_of(str(table(code)["locale"])))
    plural = {k: v for k, v in table(code).items() if isinstance(v, dict)}
    assert plural, "the counted phrases are plural mappings"
    for key, forms in plural.items():
        assert set(forms) == set(needed), (key, needed)


def test_the_eu_emblem_reads_in_the_eus_own_words():
    assert plain(table("fr")["eu_cofunded"]) == "Cofinancé par l’Union européenne"
    assert table("de")["eu_cofunded"] == "Kofinanziert von der Europäischen Union"
    assert table("es")["eu_cofunded"] == "Cofinanciado por la Unión Europea"
    assert table("pl")["eu_cofunded"] == "Współfinansowane przez Unię Europejską"


# -- dates, numbers and plural forms ------------------------------------------------

def test_english_dates_read_as_before():
    t = phrases("en")
    assert t.date(date(2025, 5, 14)) == "14 May 2025"
    assert plain(t.range(date(2027, 3, 10), date(2027, 3, 11))) == "10–11 March 2027"
    start = datetime(2027, 3, 10, 9, 30, tzinfo=BRUSSELS)
    assert plain(t.range(start, datetime(2027, 3, 10, 17, 0, tzinfo=BRUSSELS))) == \
        "10 March 2027, 09:30–17:00 CET"
    assert t.time(start) == "09:30 CET"
    assert t.number(1234) == "1,234"


@pytest.mark.parametrize("code,day,days,months", [
    ("fr", "14 mai 2025", "10–11 mars 2027", "30 mars – 2 avril 2027"),
    ("de", "14. Mai 2025", "10.–11. März 2027", "30. März – 2. April 2027"),
    ("es", "14 de mayo de 2025", "10–11 de marzo de 2027", "30 de marzo – 2 de abril de 2027"),
    ("it", "14 maggio 2025", "10–11 marzo 2027", "30 marzo – 2 aprile 2027"),
    ("pt", "14 de maio de 2025", "10–11 de março de 2027", "30 de março – 2 de abril de 2027"),
    ("nl", "14 mei 2025", "10–11 maart 2027", "30 maart – 2 april 2027"),
    ("pl", "14 maja 2025", "10–11 marca 2027", "30 marca – 2 kwietnia 2027"),
    ("sv", "14 maj 2025", "10–11 mars 2027", "30 mars – 2 april 2027"),
    ("ar", "14 مايو 2025", "10–11 مارس 2027", "30 مارس – 2 أبريل 2027"),
])
def test_dates_are_written_as_each_language_writes_them(code, day, days, months):
    t = phrases(code)
    assert plain(t.date(date(2025, 5, 14))) == day
    assert plain(t.range(date(2027, 3, 10), date(2027, 3, 11))) == days
    ranged = t.range(date(2027, 3, 30), date(2027, 4, 2))
    assert plain(ranged) == months
    for part in ranged.split(" – "):  # a line breaks only between the two dates
        assert " " not in part and "\u2009" not in part


def test_numbers_take_the_languages_separators():
    assert plain(phrases("fr").number(1234567)) == "1 234 567"
    assert phrases("de").number(1234567) == "1.234.567"
    assert phrases("de").number(2.5) == "2,5"


@pytest.mark.parametrize("count,label", [(1, "grupa robocza"), (3, "grupy robocze"),
                                          (5, "grup roboczych"), (22, "grupy robocze"),
                                          (12, "grup roboczych")])
def test_a_counted_phrase_takes_the_form_of_its_number_in_polish(count, label):
    assert phrases("pl")("figure_working_groups", count=count) == label


def test_a_counted_phrase_fills_in_its_number_in_the_languages_digits():
    assert phrases("en")("search_listed", count=1) == "1 page"
    assert phrases("en")("search_listed", count=1200) == "1,200 pages"
    assert plain(phrases("fr")("search_listed", count=1200)) == "1 200 pages"
    assert phrases("ar")("search_listed", count=2) == "صفحتان"
    assert phrases("en").forms("search_listed") == {"one": "{count} page",
                                                    "other": "{count} pages"}
    assert phrases("en").forms("menu") == {"other": "Menu"}


def test_the_direction_follows_the_language():
    assert phrases("ar").direction == "rtl"
    assert phrases("en").direction == "ltr"
    assert Phrases("he", {"en": table("en")}, BRUSSELS).direction == "rtl"
    assert Phrases("fa", {"en": table("en")}, BRUSSELS).direction == "rtl"


# -- language codes -----------------------------------------------------------------

@pytest.mark.parametrize("code,normal", [("en", "en"), ("fr", "fr"), ("pt-BR", "pt-BR"),
                                         ("pt-br", "pt-BR"), ("sr-Latn", "sr-Latn"),
                                         ("es-419", "es-419"), ("ar", "ar")])
def test_a_code_cldr_knows_is_accepted_and_normalised(code, normal):
    assert check_language(code) == (normal, None)


@pytest.mark.parametrize("code,suggestion", [("fr-FRA", "fr-FR"), ("eng", "en"),
                                             ("english", "en"), ("Deutsch", "de"),
                                             ("pt_BR", "pt-BR"), ("iw", "he"),
                                             ("en-XY", "en")])
def test_an_unknown_code_is_refused_with_a_suggestion(code, suggestion):
    normal, message = check_language(code)
    assert normal == code
    assert f"'{code}' is not a language code" in message
    assert f"(did you mean '{suggestion}'?)" in message


def test_a_code_with_nothing_near_is_refused_without_a_guess():
    _, message = check_language("qq")
    assert "did you mean" not in message and "such as en, fr, pt-BR or sr-Latn" in message


# -- whole sites --------------------------------------------------------------------

def test_a_french_site_reads_in_french(tmp_path: Path, capsys):
    site = in_language(tmp_path, "fr")
    status, err = build(site, "--strict", capsys=capsys)
    assert status == 0, err
    home = HtmlPage.read(site / "public/index.html")
    assert 'lang="fr" dir="ltr"' in html(site)
    assert "Aller au contenu principal" in home.text
    assert "membre" in home.texts("dt") and "membres" not in home.texts("dt")
    news = HtmlPage.read(site / "public/news/index.html").text
    assert "Accueil" in news and "Actualités" in news and "Skip to main content" not in news
    assert re.search(r"\d+ (janvier|février|mars) 2026", plain(news)), "French dates"


def test_a_missing_phrase_falls_back_to_english_with_one_warning_per_key(tmp_path: Path,
                                                                         capsys):
    finnish = {**table("en"), "locale": "fi", "home": "Etusivu"}
    del finnish["next_page"], finnish["news"]
    site = in_language(tmp_path, "fi", {
        "data/i18n/fi.yaml": yaml.safe_dump(finnish, allow_unicode=True)})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert err.count("data/i18n/fi.yaml: warning: no phrase 'next_page'; the pages show "
                     "the one of data/i18n/en.yaml") == 1
    assert err.count("no phrase 'news'") == 1, "once for the language, not once per page"
    assert "error" not in err
    news = HtmlPage.read(site / "public/news/index.html")
    assert "Etusivu" in news.texts("a") and "News" in news.texts("h1")
    home = HtmlPage.read(site / "public/index.html")
    assert "1. lokakuuta 2026" in plain(home.text), "dates in Finnish all the same"
    status, err = build(site, "--strict", capsys=capsys)
    assert status == 1
    assert "data/i18n/fi.yaml: error: no phrase 'news'" in err


def test_a_language_without_a_phrase_file_is_in_english_with_one_warning(tmp_path: Path,
                                                                         capsys):
    site = in_language(tmp_path, "hu")
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert err.count("warning") == 1, err
    assert ("data/site.yaml:5: warning: 'language' names 'hu' (Hungarian), but there are "
            "no interface phrases for it") in err
    assert "data/i18n/hu.yaml" in err
    home = HtmlPage.read(site / "public/index.html")
    assert 'lang="hu"' in html(site) and "Skip to main content" in home.text


@pytest.mark.parametrize("code,suggestion", [("english", "en"), ("fr-FRA", "fr-FR")])
def test_an_unknown_language_is_an_error_with_a_suggestion(tmp_path: Path, capsys, code,
                                                           suggestion):
    site = in_language(tmp_path, code)
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert (f"data/site.yaml:5: error: 'language': '{code}' is not a language code that "
            f"wgsite knows (did you mean '{suggestion}'?)") in err
    assert "Traceback" not in err


def test_a_regional_language_takes_its_languages_words_and_its_own_dates(tmp_path: Path,
                                                                         capsys):
    site = in_language(tmp_path, "pt-br")
    status, err = build(site, "--strict", capsys=capsys)
    assert status == 0, err
    home = HtmlPage.read(site / "public/index.html")
    assert 'lang="pt-BR"' in html(site)
    assert "Ir para o conteúdo principal" in home.text


def test_a_plural_phrase_lacking_a_form_is_a_warning_with_its_line(tmp_path: Path, capsys):
    site = in_language(tmp_path, "pl", {"data/i18n/pl.yaml": (
        "# the site's own words\n"
        "menu: Nawigacja\n"
        "figure_members: {one: członek, other: członka}\n"
        "figure_projects: {one: projekt, few: projekty, many: projektów, other: projektu,"
        " several: kilka}\n")})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert ("data/i18n/pl.yaml:3: warning: 'figure_members' lacks the plural forms few, "
            "many, which Polish needs (it uses one, few, many, other)") in err
    assert ("data/i18n/pl.yaml:4: warning: 'figure_projects' has the plural form 'several'"
            ) in err
    assert "Nawigacja" in HtmlPage.read(site / "public/index.html").text


def test_an_arabic_site_is_right_to_left_with_arabic_words_and_dates(tmp_path: Path, capsys):
    site = in_language(tmp_path, "ar")
    status, err = build(site, "--strict", capsys=capsys)
    assert status == 0, err
    home = HtmlPage.read(site / "public/index.html")
    assert '<html lang="ar" dir="rtl">' in html(site)
    assert "انتقل إلى المحتوى الرئيسي" in home.text
    assert "عضو" in home.texts("dt")  # one member
    news = HtmlPage.read(site / "public/news/index.html").text
    assert re.search(r"\d+ (يناير|فبراير|مارس) 2026", plain(news)), "Arabic dates"
    assert "January" not in news and "March" not in news
