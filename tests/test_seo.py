"""What search engines and link previews read: canonical URLs, descriptions, Open Graph and
Twitter cards, feed discovery and JSON-LD, at the site root and under a base path."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tests.htmlpage import HtmlPage
from tests.sitefiles import REPO, SITE, build, build_example, site_pages, write_site
from wgsite.markup.typography import smarten

SEED_NEWS = "news/working-towards-meaningful-international-cooperation/"
EVENT = "events/mobility-meeting-gothenburg-2027/"
ONLINE_EVENT = "events/digital-green-skills-conference-2027/"
BASE_URLS = ["https://earlall.example.org/", "https://example.org/wg/"]




def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def site_yaml() -> dict:
    return yaml.safe_load((REPO / "data/site.yaml").read_text(encoding="utf-8"))


def html_pages(out: Path) -> list[Path]:
    return site_pages(out)


def is_redirect(page: HtmlPage) -> bool:
    return any(m.attrs.get("http-equiv") == "refresh" for m in page.all("meta"))


def permalink_of(out: Path, path: Path, base_url: str) -> str:
    """The URL a built file is published at: news/x/index.html -> <base>news/x/."""
    relative = path.relative_to(out).as_posix()
    return base_url + relative.removesuffix("index.html")


def meta(page: HtmlPage, key: str) -> str | None:
    """The content of <meta property=key> (Open Graph) or <meta name=key>."""
    for element in page.all("meta"):
        if key in (element.attrs.get("property"), element.attrs.get("name")):
            return element.attrs.get("content")
    return None


def links(page: HtmlPage, rel: str) -> list[dict[str, str]]:
    return [e.attrs for e in page.all("link") if rel in e.attrs.get("rel", "").split()]


def json_ld(page: HtmlPage) -> dict[str, dict]:
    """The JSON-LD blocks of a page by @type, each parsed by json.loads."""
    blocks = [json.loads(s.text) for s in page.all("script")
              if s.attrs.get("type") == "application/ld+json"]
    found = {block["@type"]: block for block in blocks}
    assert len(found) == len(blocks), "one block per type"
    assert all(block["@context"] == "https://schema.org" for block in blocks)
    return found


def published_file(out: Path, url: str, base_url: str) -> Path:
    """The output file an absolute URL of the site points at."""
    assert url.startswith(base_url), url
    return out / url.removeprefix(base_url)


@pytest.fixture(scope="module", params=BASE_URLS)
def built(request, tmp_path_factory) -> tuple[Path, str]:
    """The example site, built at its own base URL and under a path."""
    out = tmp_path_factory.mktemp("seo") / "public"
    base_url = request.param
    args = () if base_url == BASE_URLS[0] else ("--base-url", base_url)
    return build_example(out, *args), base_url


def read(out: Path, path: str) -> HtmlPage:
    return HtmlPage.read(out / path / "index.html" if path else out / "index.html")


def test_every_page_names_its_own_permalink_as_canonical(built):
    out, base_url = built
    checked = 0
    for path in html_pages(out):
        page = HtmlPage.read(path)
        if is_redirect(page):
            continue  # an alias page names the page it redirects to
        canonical = links(page, "canonical")
        if path.name == "404.html":  # /404.html, and each language's (/fr/404.html)
            assert canonical == [] and meta(page, "robots") == "noindex"
            continue
        expected = permalink_of(out, path, base_url)
        assert [c["href"] for c in canonical] == [expected], path
        assert meta(page, "og:url") == expected, path
        checked += 1
    assert checked > 80


def test_the_description_is_the_summary_or_else_the_site_description(built):
    out, _ = built
    seed = read(out, SEED_NEWS)
    # with typographic quotes and apostrophes, as the page shows it
    summary = smarten(front_matter(next((REPO / "content/news").glob("2025-06-12-*.md")))[
        "summary"], "")
    assert meta(seed, "description") == summary
    assert meta(seed, "og:description") == meta(seed, "twitter:description") == summary

    news_list = read(out, "news/")  # a list page has no summary of its own
    description = site_yaml()["description"]
    description = description["en"] if isinstance(description, dict) else description
    site_description = smarten(" ".join(description.split()), "")
    assert meta(news_list, "description") == site_description
    assert meta(news_list, "og:description") == site_description


def test_every_page_has_open_graph_and_twitter_tags_and_the_feed(built):
    out, base_url = built
    for path in html_pages(out):
        page = HtmlPage.read(path)
        if is_redirect(page):
            continue
        for key in ("og:title", "og:type", "og:description", "og:site_name", "og:locale",
                    "og:image", "twitter:card", "twitter:title", "twitter:description"):
            assert meta(page, key), (path, key)
        assert meta(page, "og:site_name") == "EARLALL"
        french = path.relative_to(out).parts[0] == "fr"
        assert meta(page, "og:locale") == ("fr" if french else "en"), path
        assert meta(page, "og:image").startswith(base_url)
        assert published_file(out, meta(page, "og:image"), base_url).is_file()
        feeds = [link["href"] for link in links(page, "alternate")
                 if link.get("type") == "application/atom+xml"]
        assert feeds[0] == urlsplit(base_url).path + ("fr/" if french else "") + "feed.xml", \
            path


def test_a_news_item_is_an_article_with_its_image_as_large_card(built):
    out, base_url = built
    seed = read(out, SEED_NEWS)
    meta_data = front_matter(next((REPO / "content/news").glob("2025-06-12-*.md")))
    assert meta(seed, "og:type") == "article"
    assert meta(seed, "og:title") == meta_data["title"]
    image = meta(seed, "og:image")
    assert re.fullmatch(re.escape(base_url)
                        + r"assets/images/news/meaningful-international-cooperation\.[0-9a-f]{10}"
                        r"\.svg", image)
    assert published_file(out, image, base_url).is_file()
    assert meta(seed, "og:image:alt") == " ".join(meta_data["image_alt"].split())
    assert meta(seed, "twitter:card") == "summary_large_image"
    assert meta(seed, "twitter:image") == image
    assert meta(seed, "article:published_time") == "2025-06-12"


def test_a_page_without_an_image_shares_the_site_logo_as_small_card(built):
    out, base_url = built
    page = read(out, "about/")
    assert meta(page, "og:type") == "website"
    assert re.fullmatch(re.escape(base_url) + r"assets/images/logo\.[0-9a-f]{10}\.svg",
                        meta(page, "og:image"))
    assert meta(page, "og:image:alt") == "EARLALL"
    assert meta(page, "twitter:card") == "summary"


def test_a_group_page_also_offers_its_own_feed(built):
    out, base_url = built
    page = read(out, "working-groups/mobility/")
    base_path = urlsplit(base_url).path
    feeds = [(link["href"], link["title"]) for link in links(page, "alternate")
             if link.get("type") == "application/atom+xml"]
    assert feeds == [(base_path + "feed.xml", "News – EARLALL"),
                     (base_path + "working-groups/mobility/feed.xml",
                      "News of Mobility – EARLALL")]
    assert (out / "working-groups/mobility/feed.xml").is_file()
    assert (out / "feed.xml").is_file()


def test_the_home_page_describes_the_organisation(built):
    out, base_url = built
    data = json_ld(read(out, ""))
    assert set(data) == {"Organization"}
    organisation = data["Organization"]
    home = front_matter(REPO / "content/_index.md")
    assert organisation["name"] == "EARLALL"
    assert organisation["url"] == base_url
    assert organisation["description"] == " ".join(home["summary"].split())
    assert published_file(out, organisation["logo"], base_url).is_file()


def test_the_seed_news_item_is_a_news_article(built):
    out, base_url = built
    data = json_ld(read(out, SEED_NEWS))
    article = data["NewsArticle"]
    assert article["headline"] == ("Working towards meaningful international cooperation "
                                   "and inclusive mobility")
    assert article["datePublished"] == "2025-06-12"
    assert article["mainEntityOfPage"] == article["url"] == base_url + SEED_NEWS
    [image] = article["image"]
    assert image.startswith(base_url + "assets/images/news/")
    assert published_file(out, image, base_url).is_file()
    for role in ("author", "publisher"):
        assert article[role]["@type"] == "Organization"
        assert article[role]["name"] == "EARLALL"
        assert article[role]["url"] == base_url
    trail = data["BreadcrumbList"]["itemListElement"]
    assert [(i["position"], i["name"], i["item"]) for i in trail] == [
        (1, "Home", base_url), (2, "News", base_url + "news/"),
        (3, article["headline"], base_url + SEED_NEWS)]


def test_an_event_has_its_times_with_offsets_and_its_place(built):
    out, base_url = built
    event = json_ld(read(out, EVENT))["Event"]
    assert event["name"] == "Mobility working group meeting in Gothenburg"
    assert event["startDate"] == "2027-03-10T09:30:00+01:00"
    assert event["endDate"] == "2027-03-11T13:00:00+01:00"
    assert event["location"] == {"@type": "Place", "name": "Gothenburg, Sweden",
                                 "address": "Gothenburg, Sweden"}
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["url"] == base_url + EVENT
    assert event["organizer"]["name"] == "EARLALL"

    online = json_ld(read(out, ONLINE_EVENT))["Event"]
    assert online["startDate"] == "2027-10-06"
    assert online["location"] == {"@type": "VirtualLocation",
                                  "url": "https://events.earlall.example.org/live/"}, \
        "an online-only event has no place beside its link"
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"


def test_pages_without_a_trail_have_no_breadcrumb_list(built):
    out, _ = built
    assert "BreadcrumbList" not in json_ld(read(out, ""))
    assert "BreadcrumbList" not in json_ld(HtmlPage.read(out / "404.html"))
    trail = json_ld(read(out, "news/page/2/"))["BreadcrumbList"]["itemListElement"]
    assert [(i["position"], i["name"]) for i in trail] == [
        (1, "Home"), (2, "News"), (3, "News (Page 2 of 2)")]


HOSTILE_TITLE = 'Jobs </script><script>alert(1)</script><!-- & "skills" </SCRIPT >'


def test_a_title_with_a_closing_script_tag_stays_inside_the_json(tmp_path, capsys):
    site = write_site(tmp_path / "site", {**SITE, "content/news/2026-04-01-hostile.md": (
        f"---\ntitle: '{HOSTILE_TITLE}'\ndate: 2026-04-01\n"
        f"summary: 'A summary with </script> in it.'\n---\nBody.\n")})
    assert build(site, capsys=capsys)[0] == 0
    html = (site / "public/news/hostile/index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 2  # NewsArticle and BreadcrumbList: nothing broke out
    assert len(re.findall(r"<script", html, re.I)) == 2
    assert len(re.findall(r"</script", html, re.I)) == 2
    article = json.loads(blocks[0])
    title = smarten(HOSTILE_TITLE, "")  # titles get typographic quotes and dashes
    assert article["headline"] == title
    assert article["description"] == "A summary with </script> in it."
    assert json.loads(blocks[1])["itemListElement"][-1]["name"] == title
    page = HtmlPage.read(site / "public/news/hostile/index.html")
    assert meta(page, "og:title") == title


def test_absolute_refuses_a_site_path_that_is_not_an_href(tmp_path, capsys):
    site = write_site(tmp_path / "site", {
        **SITE, "layouts/page.html": '{% extends "base.html" %}\n'
                                     '{% block content %}{{ "/about/"|absolute }}{% endblock %}\n'})
    status, err = build(site, "--base-url", "https://example.org/wg/", capsys=capsys)
    assert status == 1
    assert ("layouts/page.html:2: error: absolute takes an href of this site (from url(), "
            "asset() or a page's url, starting with /wg/), not '/about/' (while rendering "
            "/about/ from content/about.md)") in err
