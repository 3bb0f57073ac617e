"""The pages a reader gets, built from the small fixture site."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.htmlpage import HtmlPage
from tests.sitefiles import build, site_pages, write_site


@pytest.fixture
def built(site: Path, capsys) -> Path:
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    return site / "public"


def page(out: Path, url: str, main_only: bool = True) -> HtmlPage:
    """A built page's <main> (or all of it), parsed."""
    path = out / url.strip("/") / "index.html" if url != "/" else out / "index.html"
    return HtmlPage.read(path, main_only)


EVERY_PAGE = [
    "/", "/about/", "/working-groups/", "/working-groups/mobility/",
    "/working-groups/mobility/news/", "/working-groups/adult-learning/news/", "/news/",
    "/news/page/2/", "/news/first-news/", "/projects/", "/projects/move-on/", "/events/",
    "/events/spring-forum/", "/events/autumn-forum/", "/priorities/", "/priorities/skills/",
    "/priorities/mobility/", "/organisations/", "/organisations/north-region/",
    "/organisations/south-agency/", "/tags/", "/tags/mobility/", "/tags/erasmus/",
]


def test_every_page_type_is_built_with_pretty_urls(built: Path):
    for url in EVERY_PAGE:
        html = built / url.strip("/") / "index.html" if url != "/" else built / "index.html"
        assert html.is_file(), url
        assert len(page(built, url, main_only=False).all("h1")) == 1, f"{url}: one h1"


def test_a_site_with_only_content_and_data_uses_the_default_theme(built: Path):
    css = list((built / "assets" / "css").glob("site.*.css"))
    assert len(css) == 1, "the theme's stylesheet is published, fingerprinted"
    assert any(href.endswith(css[0].name) for href in page(built, "/", main_only=False).hrefs)


def test_group_page_shows_leads_priorities_and_policy_areas(built: Path):
    group = page(built, "/working-groups/mobility/")
    assert group.links_to("/organisations/north-region/")
    assert group.links_to("/organisations/south-agency/")
    headings = group.texts("h3") + group.texts("h2")
    first = headings.index("Strategic Priority 1: Skills for the future")
    assert headings.index("Strategic Priority 2: Mobility for all") > first, \
        "priorities are in their numbered order, whatever the front matter's order"
    assert "We teach skills." in group.text and "We move people." in group.text
    assert "Learning mobility" in group.texts("li") and "Recognition" in group.texts("li")
    assert "2023-2024" in group.text
    assert "Capacity building" in group.text and "Responding to policy" in group.text
    assert group.links_to("/working-groups/mobility/news/"), "a link to all of the group's news"


def test_relations_resolve_both_ways(built: Path):
    group = page(built, "/working-groups/mobility/")
    assert group.links_to("/projects/move-on/"), "the project names the group"
    assert group.links_to("/news/second-news/"), "the news names the group"
    assert group.links_to("/events/autumn-forum/"), "the event names the group"

    news = page(built, "/news/first-news/")
    assert news.links_to("/working-groups/mobility/")
    assert news.links_to("/projects/move-on/")
    assert news.links_to("/organisations/east-institute/")

    east = page(built, "/organisations/east-institute/")
    assert east.links_to("/working-groups/adult-learning/"), "it leads that group"
    assert east.links_to("/news/first-news/"), "that news names it"
    south = page(built, "/organisations/south-agency/")
    assert south.links_to("/working-groups/mobility/"), "it cooperates in that group"
    assert south.links_to("/projects/move-on/"), "it is a partner of that project"

    priority = page(built, "/priorities/mobility/")
    assert priority.links_to("/working-groups/mobility/")
    assert "We move people." in priority.text
    assert priority.links_to("/projects/move-on/")
    assert not priority.links_to("/working-groups/adult-learning/")

    project = page(built, "/projects/move-on/")
    assert project.links_to("/news/first-news/")
    assert project.links_to("/priorities/mobility/")


def test_news_items_link_previous_and_next_in_date_order(built: Path):
    second = page(built, "/news/second-news/")
    assert second.links_to("/news/first-news/"), "the older item"
    assert second.links_to("/news/third-news/"), "the newer item"
    newest = page(built, "/news/third-news/")
    assert not newest.links_to("/news/fourth-news/")
    assert newest.links_to("/news/"), "a way back to the list"


def test_events_list_upcoming_before_past(built: Path):
    events = page(built, "/events/")
    hrefs = events.hrefs
    upcoming = hrefs.index("/events/autumn-forum/")
    past = hrefs.index("/events/spring-forum/")
    assert upcoming < past
    home = page(built, "/")
    assert home.links_to("/events/autumn-forum/"), "the home page shows upcoming events"
    assert not home.links_to("/events/spring-forum/"), "but not past ones"


def test_tags_list_what_carries_them(built: Path):
    tag = page(built, "/tags/erasmus/")
    assert tag.links_to("/news/first-news/")
    assert "Erasmus+" in tag.text
    mobility = page(built, "/tags/mobility/")
    assert mobility.links_to("/working-groups/mobility/") and mobility.links_to(
        "/news/first-news/")


def news_links(html: HtmlPage) -> list[str]:
    return sorted({h for h in html.hrefs if h.startswith("/news/") and h.count("/") == 3
                   and "/page/" not in h})


@pytest.mark.parametrize("count,pages", [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3)])
def test_group_news_paginates_at_its_page_size(tmp_path: Path, capsys, count: int, pages: int):
    from tests.sitefiles import SITE
    files = {k: v for k, v in SITE.items() if not k.startswith("content/news/")}
    for n in range(1, count + 1):
        files[f"content/news/2026-01-{n:02d}-item-{n}.md"] = (
            f"---\ntitle: Item {n}\ndate: 2026-01-{n:02d}\nworking_groups: [mobility]\n---\nText\n")
    root = write_site(tmp_path / "s", files)
    status, err = build(root, capsys=capsys)
    assert status == 0, err
    base = root / "public" / "working-groups" / "mobility" / "news"
    built_pages = [base / "index.html"] + sorted(base.glob("page/*/index.html"))
    assert len(built_pages) == pages
    assert not (base / "page" / "1").exists(), "page 1 is the list itself"
    seen = []
    for html in built_pages:
        links = news_links(HtmlPage.read(html))
        assert 1 <= len(links) <= 2, "group_news page size is 2"
        seen += links
    assert len(seen) == count and len(set(seen)) == count, "every item once, on one page"
    first = HtmlPage.read(built_pages[0])
    if pages > 1:
        assert first.links_to("/working-groups/mobility/news/page/2/")
        last = HtmlPage.read(built_pages[-1])
        previous = "/working-groups/mobility/news/" if pages == 2 else \
            f"/working-groups/mobility/news/page/{pages - 1}/"
        assert last.links_to(previous)
    else:
        assert not any("/page/" in h for h in first.hrefs)


def test_news_list_is_paginated_newest_first(built: Path):
    first = news_links(page(built, "/news/"))
    second = news_links(page(built, "/news/page/2/"))
    assert len(first) == 2 and len(second) == 1, "news page size is 2"
    assert set(first).isdisjoint(second)
    assert first == ["/news/second-news/", "/news/third-news/"]
    assert second == ["/news/first-news/"], "the oldest item is on the last page"
    hrefs = page(built, "/news/").hrefs
    assert hrefs.index("/news/third-news/") < hrefs.index("/news/second-news/")


UNPUBLISHED = {
    "content/news/2026-04-01-draft-news.md":
        "---\ntitle: Draft news\ndate: 2026-04-01\ndraft: true\nworking_groups: [mobility]\n"
        "tags: [hidden]\n---\nDraft.\n",
    "content/news/2026-04-02-future-news.md":
        "---\ntitle: Future news\ndate: 2026-04-02\npublish_date: 2027-01-01\n"
        "working_groups: [mobility]\ntags: [hidden]\n---\nLater.\n",
    "content/news/2026-04-03-expired-news.md":
        "---\ntitle: Expired news\ndate: 2026-04-03\nexpiry_date: 2026-05-01\n"
        "working_groups: [mobility]\ntags: [hidden]\n---\nGone.\n",
}


def all_html(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html")))


def test_drafts_future_and_expired_items_are_left_out_everywhere(site: Path, capsys):
    write_site(site, UNPUBLISHED)
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    out = site / "public"
    everything = all_html(out)
    for slug in ("draft-news", "future-news", "expired-news"):
        assert not (out / "news" / slug).exists()
        assert f"/news/{slug}/" not in everything, f"{slug} appears in a list"
    assert not (out / "tags" / "hidden").exists(), "a tag carried only by hidden items"


def test_drafts_are_built_with_the_drafts_flag(site: Path, capsys):
    write_site(site, UNPUBLISHED)
    status, err = build(site, "--drafts", capsys=capsys)
    assert status == 0, err
    out = site / "public"
    assert (out / "news" / "draft-news" / "index.html").is_file()
    assert "/news/draft-news/" in (out / "working-groups/mobility/index.html").read_text()
    assert not (out / "news" / "future-news").exists(), "--drafts does not publish early"


def test_base_url_with_a_path_makes_every_internal_link_resolve(site: Path, capsys):
    write_site(site, {"content/about.md": "---\ntitle: About\n---\n"
                      "See [the group](/working-groups/mobility/) and [x](https://x.org/).\n"})
    out = site / "out"
    status, err = build(site, "--out", str(out), "--base-url", "https://example.org/wg/",
                        capsys=capsys)
    assert status == 0, err
    checked = 0
    for html_file in site_pages(out):
        html = HtmlPage.read(html_file)
        for ref in html.hrefs + html.srcs:
            if ref.startswith(("http://", "https://", "mailto:", "#")):
                continue
            assert ref.startswith("/wg/"), f"{html_file}: {ref} ignores the base path"
            target = out / ref.removeprefix("/wg/").split("#")[0]
            if ref.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), f"{html_file}: {ref} leads nowhere"
            checked += 1
    assert checked > 200
    about = HtmlPage.read(out / "about/index.html")
    assert about.links_to("/wg/working-groups/mobility/"), "Markdown links get the base path too"


def test_slug_comes_from_the_file_name_without_its_date_unless_set(site: Path, capsys):
    write_site(site, {"content/news/2026-05-05-a-b-c.md":
                      "---\ntitle: ABC\ndate: 2026-05-05\n---\nx\n",
                      "content/news/2026-05-06-whatever.md":
                      "---\ntitle: Chosen\ndate: 2026-05-06\nslug: chosen-one\n---\nx\n"})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert (site / "public/news/a-b-c/index.html").is_file()
    assert (site / "public/news/chosen-one/index.html").is_file()
    assert not (site / "public/news/whatever").exists()


def test_markdown_has_tables_code_footnotes_heading_ids_and_smart_quotes(site: Path, capsys):
    write_site(site, {"content/about.md": """---
title: About
---
## Who "we" are

| a | b |
|---|---|
| 1 | 2 |

```python
print("x < y")
```

A claim.[^1]

[^1]: The source.
"""})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    html = (site / "public/about/index.html").read_text()
    assert '<h2 id="who-we-are">Who “we” are</h2>' in html
    assert "<table>" in html and "<td>1</td>" in html
    assert '<code class="language-python">print("x &lt; y")' in html
    assert 'class="footnote-ref"' in html and 'id="fn:1"' in html


def test_two_builds_are_byte_identical(site: Path, tmp_path: Path, capsys):
    build(site, "--out", str(tmp_path / "one"), capsys=capsys)
    build(site, "--out", str(tmp_path / "two"), capsys=capsys)
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*")
           if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*")
           if p.is_file()}
    assert one == two and len(one) > 20


def test_a_site_template_overrides_the_theme(site: Path, capsys):
    write_site(site, {"layouts/page.html": "<h1>{{ page.title }}</h1>OVERRIDDEN\n"})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert "OVERRIDDEN" in (site / "public/about/index.html").read_text()
    assert "OVERRIDDEN" not in (site / "public/news/first-news/index.html").read_text()


def test_deleted_pages_disappear_from_the_output(site: Path, capsys):
    build(site, capsys=capsys)
    assert (site / "public/about/index.html").is_file()
    write_site(site, {"content/about.md": None})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert not (site / "public/about").exists()
    assert not list(site.glob(".public.staging-*")), "no staging folder left behind"
    assert not list(site.glob(".public.old-*"))
