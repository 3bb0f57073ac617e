"""Search: the Pagefind index made with every build, the search page and the header's box."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.sitefiles import SITE, build, write_site
from wgsite.outputs import cbor


def fragments(out: Path) -> dict[str, dict]:
    """Every indexed page, by URL, as Pagefind stored it (gzip, a signature, JSON)."""
    found = {}
    for path in (out / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[data["url"]] = data
    return found


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(site: Path, tmp_path: Path, capsys) -> Path:
    write_site(site, {"content/about.md":
                      "---\ntitle: About us\naliases: [/old-about/]\n---\nWho we are.\n"})
    out = tmp_path / "out"
    status, err = build(site, "--out", str(out), capsys=capsys)
    assert status == 0, err
    return out


def test_only_the_pages_of_records_are_indexed(built: Path):
    assert set(fragments(built)) == {
        "/about/", "/working-groups/mobility/", "/working-groups/adult-learning/",
        "/news/first-news/", "/news/second-news/", "/news/third-news/", "/projects/move-on/",
        "/events/spring-forum/", "/events/autumn-forum/",
        "/priorities/skills/", "/priorities/mobility/",
        "/organisations/north-region/", "/organisations/south-agency/",
        "/organisations/east-institute/",
    }, "no lists, no home, no search page, no 404.html, no alias page"


def test_each_page_is_indexed_from_its_main_alone(built: Path):
    page = fragments(built)["/news/first-news/"]
    assert page["meta"]["title"] == "First news"
    assert "Body of the first news." in page["content"]
    assert "Test Network" not in page["content"], "the header and footer are not indexed"
    assert "Working groups" not in page["content"].split("First news", 1)[0]


def test_pages_carry_their_type_and_their_groups_as_filters(built: Path):
    pages = fragments(built)
    assert pages["/news/first-news/"]["filters"] == {"Type": ["News"],
                                                     "Working group": ["Mobility"],
                                                     "Year": ["2026"]}
    assert pages["/projects/move-on/"]["filters"]["Year"] == ["2024", "2025", "2026"], \
        "a project is found under every year it runs"
    assert pages["/working-groups/adult-learning/"]["filters"] == {
        "Type": ["Working group"], "Working group": ["Adult learning"]}
    assert pages["/priorities/mobility/"]["filters"] == {"Type": ["Strategic priority"],
                                                         "Working group": ["Mobility"]}
    assert pages["/organisations/east-institute/"]["filters"] == {
        "Type": ["Organisation"], "Working group": ["Adult learning"]}
    assert pages["/about/"]["filters"] == {"Type": ["Page"]}


def test_each_result_carries_its_type_and_date(built: Path):
    pages = fragments(built)
    assert pages["/news/first-news/"]["meta"]["type"] == "News"
    assert pages["/news/first-news/"]["meta"]["date"] == "10 January 2026"
    assert pages["/events/spring-forum/"]["meta"]["date"] == "1 March 2026"
    assert pages["/projects/move-on/"]["meta"]["date"] == "1 January 2024 – 31 December 2026"
    assert pages["/working-groups/mobility/"]["meta"]["type"] == "Working group"
    assert "date" not in pages["/working-groups/mobility/"]["meta"]


def test_only_each_pages_own_text_is_indexed_not_its_furniture(built: Path):
    pages = fragments(built)
    news = pages["/news/first-news/"]["content"]
    assert news.startswith("First news. The first. Body of the first news."), news
    for furniture in ("Working groups", "Move On", "East Institute", "Erasmus+",
                      "Back to", "Newer", "Older"):
        assert furniture not in news, f"{furniture!r} (related lists, links on) is indexed"
    event = pages["/events/spring-forum/"]["content"]
    assert event.startswith("Spring forum. Brussels. Past event."), event
    project = pages["/projects/move-on/"]["content"]
    assert "Ongoing" not in project and "South Agency" not in project, project
    group = pages["/working-groups/mobility/"]["content"]
    assert "First news" not in group, "the group's news cards are not the group's text"
    assert "introduction." in group


def test_an_acronym_that_the_title_lacks_is_indexed_with_the_weight_of_a_title(
        site: Path, tmp_path: Path, capsys):
    write_site(site, {"content/projects/fly.md": "---\ntitle: Learning abroad\nacronym: FLY\n"
                      "status: planned\n---\nText.\n"})
    assert build(site, "--out", str(tmp_path / "out"), capsys=capsys)[0] == 0
    pages = fragments(tmp_path / "out")
    assert pages["/projects/fly/"]["content"].startswith("FLY. ")
    assert pages["/projects/move-on/"]["content"].startswith("Move On. A project."), \
        "MOVE is in the title already"


def test_the_published_html_marks_furniture_alone(built: Path):
    # Body, filters and meta come from the records, in the copy the indexer reads.
    for path in built.rglob("*.html"):
        text = path.read_text().replace("data-pagefind-ignore", "")
        assert "data-pagefind" not in text, path
    assert "data-pagefind-ignore" in (built / "news" / "first-news" / "index.html").read_text()


def test_only_the_bundle_the_search_page_uses_is_published(built: Path):
    names = {p.name for p in (built / "pagefind").iterdir() if p.is_file()}
    assert {"pagefind.js", "pagefind-entry.json", "pagefind-worker.js",
            "wasm.en.pagefind"} <= names
    assert not [n for n in names if "-ui" in n or "highlight" in n]


def test_the_index_is_byte_identical_from_build_to_build(site: Path, tmp_path: Path, capsys):
    # Pagefind writes filter values in hash-map order, new in every run; wgsite sorts
    # them. Seven types in one filter: two runs agree by chance once in 5040.
    outs = []
    for run in ("a", "b", "c"):
        assert build(site, "--out", str(tmp_path / run), capsys=capsys)[0] == 0
        outs.append(tree(tmp_path / run / "pagefind"))
    assert outs[0] == outs[1] == outs[2]
    filters = [gzip.decompress(data).removeprefix(b"pagefind_dcd")
               for name, data in outs[0].items() if name.startswith("filter/")]
    decoded = sorted(cbor.loads(data) for data in filters)
    assert decoded[0][0] == "Type"
    assert [value for value, _ in decoded[0][1]] == sorted(value for value, _ in decoded[0][1])


def test_under_a_base_path_the_index_holds_site_paths_and_the_page_names_the_base(
        site: Path, tmp_path: Path, capsys):
    # Pagefind puts the search page's baseUrl in front of every URL in the index; an
    # index whose URLs carried /wg/ already gave links to /wg/wg/news/first-news/.
    out = tmp_path / "out"
    status, err = build(site, "--out", str(out), "--base-url", "https://example.org/wg/",
                        capsys=capsys)
    assert status == 0, err
    assert "/news/first-news/" in fragments(out)
    assert not [url for url in fragments(out) if url.startswith("/wg/")]
    page = (out / "search" / "index.html").read_text()
    assert 'data-bundle="/wg/pagefind/"' in page
    assert 'data-base-url="/wg/"' in page
    assert 'action="/wg/search/"' in page


def test_every_page_has_a_search_box_that_works_without_javascript(built: Path):
    html = (built / "news" / "first-news" / "index.html").read_text()
    assert '<form class="site-search" action="/search/" method="get" role="search"' in html
    assert '<label class="site-search__label" for="site-search-q">Search the site</label>' in html
    assert 'id="site-search-q" type="search" name="q" placeholder="Search the site"' in html


def test_the_search_page_has_one_search_box_its_own(built: Path):
    html = (built / "search" / "index.html").read_text()
    assert html.count('role="search"') == 1 and html.count('type="search"') == 1
    assert 'class="site-search"' not in html
    assert '<label class="search-form__label" for="search-q">Search the site</label>' in html


def test_the_search_page_says_search_needs_javascript_and_links_to_the_lists(built: Path):
    html = (built / "search" / "index.html").read_text()
    assert "<title>Search – Test Network</title>" in html
    noscript = html.split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    assert "needs JavaScript" in noscript
    assert '<a href="/working-groups/">Working groups</a>' in noscript
    assert '<a href="/news/">News</a>' in noscript
    assert "<script>" not in html and "style=" not in html, "no inline script or style"


def test_cbor_reads_and_writes_what_pagefind_writes():
    value = ["Type", [["News", [3, 4, 500]], ["Événement", [70000, 2**33]]], {"k": b"\x00"}, -5]
    assert cbor.loads(cbor.dumps(value)) == value
    assert cbor.dumps(["a", [1, 24]]) == b"\x82\x61a\x82\x01\x18\x18"
    with pytest.raises(cbor.CborError):
        cbor.loads(b"\x82\x01")


LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>\n'


def _index(out: Path) -> tuple[dict[str, dict], list]:
    """Every fragment, and every filter and meta file decoded, of a built site."""
    decoded = sorted(cbor.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
                     for path in (out / "pagefind").rglob("*")
                     if path.suffix in (".pf_filter", ".pf_meta"))
    return fragments(out), decoded


@pytest.mark.parametrize("logo", [False, True])
@pytest.mark.parametrize("base", [[], ["--base-url", "https://example.org/wg/"]])
def test_what_pagefind_is_spared_changes_nothing_it_finds(site: Path, tmp_path: Path,
                                                          capsys, monkeypatch, logo, base):
    """Pagefind reads a copy of each page without the header, menu and footer around
    <main> and without most of <head> (search._left_out). The index is the one of the
    whole pages: the same text, anchors, filters and meta, and with a logo in the footer
    and a page without a picture, the same image (Pagefind's first <img> after the
    title, which is the footer's logo)."""
    from wgsite.outputs import search
    if logo:
        write_site(site, {"assets/images/logo.svg": LOGO,
                          "data/site.yaml": SITE["data/site.yaml"] + "logo: images/logo.svg\n"})
    status, err = build(site, "--out", str(tmp_path / "spared"), *base, capsys=capsys)
    assert status == 0, err
    monkeypatch.setattr(search, "_left_out", lambda markup: markup)
    status, err = build(site, "--out", str(tmp_path / "whole"), *base, capsys=capsys)
    assert status == 0, err

    spared, whole = _index(tmp_path / "spared"), _index(tmp_path / "whole")
    assert spared == whole
    image = spared[0]["/news/first-news/"]["meta"].get("image")
    assert (image or "").startswith(("/assets/images/logo.", "/wg/assets/images/logo.")) \
        if logo else image is None


def test_pagefind_is_given_whole_what_it_reads_outside_main(site: Path, tmp_path: Path,
                                                            capsys):
    """A site's own templates may set filters or meta outside <main>: in <head>, or in
    the header. Those parts are given to Pagefind whole."""
    base = (Path(__file__).resolve().parent.parent / "layouts/base.html").read_text()
    base = base.replace("</head>", '<meta data-pagefind-meta="author[content]" '
                        'content="The secretariat">\n</head>', 1)
    header = (Path(__file__).resolve().parent.parent / "layouts/partials/header.html"
              ).read_text()
    header = '<span data-pagefind-filter="Region:North"></span>\n' + header
    write_site(site, {"layouts/base.html": base, "layouts/partials/header.html": header})
    out = tmp_path / "out"
    status, err = build(site, "--out", str(out), capsys=capsys)
    assert status == 0, err
    page = fragments(out)["/news/first-news/"]
    assert page["meta"]["author"] == "The secretariat"
    assert page["filters"]["Region"] == ["North"]
    assert "Test Network" not in page["content"], "the header is still not indexed"
