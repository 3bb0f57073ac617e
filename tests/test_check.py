"""`check` builds the site, then reports every broken internal reference by its source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.sitefiles import BUILD_EPOCH, REPO, run_cli, write_site
from wgsite.markup.sanitize import srcset_urls
from wgsite.cli import main

# The same mistakes give the same messages whether the site is published at a
# host's root or under a path (hrefs then start with /wg/).
BASE_URLS = [None, "https://example.org/wg/"]

ABOUT = "---\ntitle: About us\nsummary: Who we are.\n---\n## Our story\n\n{}\n"  # body: line 7

# A site template for plain pages (content/about.md is the fixture's only one).
PAGE_TEMPLATE = """\
{{% extends "base.html" %}}
{{% block content %}}
<h1>{{{{ page_heading }}}}</h1>
{}
{{% endblock %}}
"""


def check(site: Path, capsys, *args: str, base_url: str | None = None,
          monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    """Run `check` in-process; (exit status, lines of stderr)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    extra = ["--base-url", base_url] if base_url else []
    status = main(["check", "--site", str(site), "--out", str(site / "out"), *extra, *args])
    lines = capsys.readouterr().err.splitlines()
    return status, [line for line in lines if not line.startswith("Built ")]


def problems_of(lines: list[str]) -> list[str]:
    return [line for line in lines if ": error: " in line or ": warning: " in line]


@pytest.mark.parametrize("base_url", BASE_URLS)
def test_fixture_site_passes_check(site: Path, capsys, monkeypatch, base_url):
    status, lines = check(site, capsys, base_url=base_url, monkeypatch=monkeypatch)
    assert status == 0, lines
    assert len(lines) == 1 and re.fullmatch(
        r"Checked \d+ pages and \d+ internal links: no problems\.", lines[0]), lines
    pages, links = map(int, re.findall(r"\d+", lines[0]))
    assert pages == len(list((site / "out").rglob("*.html"))) and links > 200


def test_example_site_passes_check_under_a_base_path(tmp_path: Path):
    result = run_cli("check", "--site", str(REPO), "--out", str(tmp_path / "public"),
                     "--base-url", "https://example.org/wg/")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"Built \d+ pages \(\d+ files\) into .+\n"
                        r"Checked \d+ pages and \d+ internal links: no problems\.\n",
                        result.stderr), result.stderr


def test_example_site_passes_check_at_its_own_base_url(tmp_path: Path):
    result = run_cli("check", "--site", str(REPO), "--out", str(tmp_path / "public"))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("base_url", BASE_URLS)
def test_markdown_link_to_a_missing_page_names_the_file_and_line(
        site: Path, capsys, monkeypatch, base_url):
    write_site(site, {"content/about.md": ABOUT.format("See [nothing](/no-such-page/).")})
    status, lines = check(site, capsys, base_url=base_url, monkeypatch=monkeypatch)
    assert status == 1
    assert lines[0] == "content/about.md:7: error: broken link to /no-such-page/"
    assert len(lines) == 2
    assert re.fullmatch(r"1 problem in 1 page \(\d+ pages and \d+ internal links checked\)\.",
                        lines[1])


@pytest.mark.parametrize("base_url", BASE_URLS)
def test_missing_fragment_is_reported_on_its_target_page(site: Path, capsys, monkeypatch,
                                                         base_url):
    write_site(site, {"content/about.md": ABOUT.format(
        "See [the group](/working-groups/mobility/#nowhere).\n\nAnd [above](#no-such-part).")})
    status, lines = check(site, capsys, base_url=base_url, monkeypatch=monkeypatch)
    assert status == 1
    assert problems_of(lines) == [
        "content/about.md:7: error: no element with id 'nowhere' on /working-groups/mobility/",
        "content/about.md:9: error: no element with id 'no-such-part' on /about/",
    ]
    assert lines[-1].startswith("2 problems in 1 page (")


@pytest.mark.parametrize("base_url", BASE_URLS)
def test_existing_fragments_and_links_to_other_sites_pass(site: Path, capsys, monkeypatch,
                                                          base_url):
    write_site(site, {
        "content/about.md": ABOUT.format("Read [our story](#our-story), [top](#top), "
                                         "[mail](mailto:a@example.org), [tel](tel:+3212345), "
                                         "[elsewhere](https://other.example.net/nope/) and "
                                         "[a protocol-relative one](//other.example.net/x/)."),
        "content/_index.md": "---\ntitle: Welcome\n---\nSee [our story](/about/#our-story) "
                             "and [the about page](/about) without its slash.\n",
    })
    status, lines = check(site, capsys, base_url=base_url, monkeypatch=monkeypatch)
    assert status == 0, lines


@pytest.mark.parametrize("base_url", [None, "https://example.org/wg/"])
def test_absolute_link_under_the_base_url_is_checked(site: Path, capsys, monkeypatch,
                                                     base_url):
    base = base_url or "https://test.example.org/"
    write_site(site, {"content/about.md": ABOUT.format(
        f"[Good]({base}working-groups/) and [bad]({base}no-such-page/).")})
    status, lines = check(site, capsys, base_url=base_url, monkeypatch=monkeypatch)
    assert status == 1
    assert problems_of(lines) == [f"content/about.md:7: error: broken link to "
                                  f"{base}no-such-page/"]


@pytest.mark.parametrize("base_url", BASE_URLS)
def test_template_link_to_a_missing_page_names_the_source_and_the_page(
        site: Path, capsys, monkeypatch, base_url):
    write_site(site, {"layouts/page.html": PAGE_TEMPLATE.format(
        '<a href="{{ url("/nope/") }}">Nope</a>\n'
        '<link rel="stylesheet" href="{{ url("/css/missing.css") }}">')})
    status, lines = check(site, capsys, base_url=base_url, monkeypatch=monkeypatch)
    assert status == 1
    assert problems_of(lines) == [
        "content/about.md: error: broken link to /css/missing.css (on /about/)",
        "content/about.md: error: broken link to /nope/ (on /about/)",
    ]


def test_template_mistake_on_many_pages_is_one_problem_per_source(site: Path, capsys,
                                                                   monkeypatch):
    write_site(site, {"layouts/news_list.html": PAGE_TEMPLATE.format(
        '<a href="{{ url("/nope/") }}">Nope</a>')})
    status, lines = check(site, capsys, monkeypatch=monkeypatch)
    assert status == 1
    assert problems_of(lines) == [
        "the list /news/: error: broken link to /nope/ (on /news/ and 1 other page)",
        "the list /working-groups/adult-learning/news/: error: broken link to /nope/ "
        "(on /working-groups/adult-learning/news/)",
        "the list /working-groups/mobility/news/: error: broken link to /nope/ "
        "(on /working-groups/mobility/news/)",
    ]
    assert lines[-1].startswith("3 problems in 4 pages (")


@pytest.mark.parametrize("base_url", BASE_URLS)
def test_image_without_alt_text_from_a_template(site: Path, capsys, monkeypatch, base_url):
    write_site(site, {
        "assets/images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>',
        "layouts/page.html": PAGE_TEMPLATE.format(
        '<img src="{{ asset("images/logo.svg") }}">\n'
        '<img src="{{ asset("images/logo.svg") }}" alt="">\n'
        '<img alt="" srcset="{{ url("/gone.png") }} 1x, {{ asset("images/logo.svg") }} 2x">')})
    status, lines = check(site, capsys, base_url=base_url, monkeypatch=monkeypatch)
    assert status == 1
    [logo] = (site / "out" / "assets" / "images").glob("logo.*.svg")
    assert problems_of(lines) == [
        "content/about.md: error: broken image source /gone.png (on /about/)",
        f"content/about.md: error: image without alt text: /assets/images/{logo.name} "
        "(on /about/)",
    ], "alt=\"\" marks a decorative image and passes"


@pytest.mark.parametrize("base_url", BASE_URLS)
@pytest.mark.parametrize("href", ["/../../etc/passwd", "/../data/site.yaml"])
def test_link_out_of_the_site_is_reported_never_followed(site: Path, capsys, monkeypatch,
                                                         base_url, href):
    # /../data/site.yaml from site/out/ would reach a file that exists on disk
    write_site(site, {"content/about.md": ABOUT.format(f"[Secrets]({href})")})
    status, lines = check(site, capsys, base_url=base_url, monkeypatch=monkeypatch)
    assert status == 1
    assert problems_of(lines) == [
        f"content/about.md:7: error: broken link to {href}: it leads outside the site"]


def test_build_mistakes_stop_check_before_the_links(site: Path, capsys, monkeypatch):
    write_site(site, {"content/about.md": "---\nsumary: x\n---\n[x](/nope/)\n"})
    status, lines = check(site, capsys, monkeypatch=monkeypatch)
    assert status == 1
    assert "content/about.md:2: error: missing required key 'title'" in lines
    assert not any("broken link" in line for line in lines)


def test_srcset_urls_are_split_as_browsers_split_them():
    assert srcset_urls("a.png 1x, data:image/png;base64,AAA= 2x,b.png 3x , c.png") == [
        "a.png", "data:image/png;base64,AAA=", "b.png", "c.png"]
    assert srcset_urls("small.png 480w,large.png 1024w") == ["small.png", "large.png"]
