"""`check` builds the site, then reports every broken internal reference by its source."""

from __future__ import annotations

import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
    assert len(lines) == 3
    assert lines[1].startswith("A link that is right but cannot be checked: ")
    assert re.fullmatch(r"1 problem in 1 page \(\d+ pages and \d+ internal links checked\)\.",
                        lines[2])


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


# -- links beside the site, ignored links and other sites ------------------------------

def test_the_organisations_own_site_beside_the_site_is_external(site: Path, capsys,
                                                               monkeypatch):
    write_site(site, {"content/about.md": ABOUT.format(
        "[Contact](https://www.network.example/contact/) and [ours](https://www.network.example"
        "/wg/news/)")})
    status, lines = check(site, capsys, base_url="https://www.network.example/wg/",
                          monkeypatch=monkeypatch)
    assert status == 0, lines


def test_a_broken_link_says_how_to_ignore_it_and_ignoring_works(site: Path, capsys,
                                                               monkeypatch):
    write_site(site, {"content/about.md": ABOUT.format("[Archive](/archive/2019/)")})
    status, lines = check(site, capsys, monkeypatch=monkeypatch)
    assert status == 1
    assert "content/about.md:7: error: broken link to /archive/2019/" in lines
    assert ("A link that is right but cannot be checked: add a pattern for it under check: "
            "ignore: in data/site.yaml (e.g. - \"https://www.example.org/*\").") in lines
    site_yaml = (site / "data/site.yaml").read_text() + "check:\n  ignore:\n    - /archive/*\n"
    write_site(site, {"data/site.yaml": site_yaml})
    status, lines = check(site, capsys, monkeypatch=monkeypatch)
    assert status == 0, lines


class _Partner(BaseHTTPRequestHandler):
    """Another organisation's web server, on 127.0.0.1 only."""

    asked: list[str] = []

    def _answer(self, body: bool) -> None:
        type(self).asked.append(f"{self.command} {self.path}")
        if self.path == "/moved/":
            self.send_response(301)
            self.send_header("Location", "/ok/")
        elif self.path == "/slow/":
            time.sleep(3)
            self.send_response(200)
        elif self.path == "/no-head/" and self.command == "HEAD":
            self.send_response(405)
        elif self.path in ("/ok/", "/no-head/"):
            self.send_response(200)
        elif self.path == "/broken/":
            self.send_response(500)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:  # noqa: N802 (the name http.server calls)
        self._answer(False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(True)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def partner():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Partner)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Partner.asked = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def partner_site(site: Path, partner: str) -> None:
    links = " ".join(f"[{name}]({partner}/{name}/)"
                     for name in ("ok", "moved", "no-head", "gone", "broken", "slow"))
    organisations = re.sub(r"\n  url: .*", "", (site / "data/organisations.yaml").read_text())
    # every other address the output holds is left out, so that no test asks the network
    site_yaml = (site / "data/site.yaml").read_text() + \
        "check:\n  ignore: [\"https://*\"]\n  timeout: 1\n"
    write_site(site, {"content/about.md": ABOUT.format(links),
                      "data/organisations.yaml": organisations, "data/site.yaml": site_yaml})


def test_external_links_are_not_checked_by_default(site: Path, capsys, monkeypatch, partner):
    partner_site(site, partner)
    status, lines = check(site, capsys, monkeypatch=monkeypatch)
    assert status == 0, lines
    assert _Partner.asked == []


def test_check_external_reports_gone_pages_and_warns_of_silent_servers(
        site: Path, capsys, monkeypatch, partner):
    partner_site(site, partner)
    status, lines = check(site, capsys, "--external", monkeypatch=monkeypatch)
    assert status == 1
    assert problems_of(lines) == [
        f"content/about.md:7: error: broken link to {partner}/gone/: the page is gone (404)",
        f"content/about.md:7: warning: could not check the link to {partner}/broken/: the "
        "server answers 500",
        f"content/about.md:7: warning: could not check the link to {partner}/slow/: no answer "
        "within 1 s",
    ]
    assert "GET /no-head/" in _Partner.asked, "a server refusing HEAD is asked with GET"


def test_check_external_keeps_good_answers_a_day(site: Path, capsys, monkeypatch, partner):
    partner_site(site, partner)
    write_site(site, {"content/about.md": ABOUT.format(f"[ok]({partner}/ok/) "
                                                       f"[gone]({partner}/gone/)")})
    check(site, capsys, "--external", monkeypatch=monkeypatch)
    _Partner.asked = []
    status, lines = check(site, capsys, "--external", monkeypatch=monkeypatch)
    assert status == 1
    assert _Partner.asked == ["HEAD /gone/"], "the good answer came from the cache"


def test_check_external_strict_fails_on_a_silent_server(site: Path, capsys, monkeypatch,
                                                        partner):
    partner_site(site, partner)
    write_site(site, {"content/about.md": ABOUT.format(f"[broken]({partner}/broken/)")})
    status, lines = check(site, capsys, "--external", monkeypatch=monkeypatch)
    assert status == 0, lines
    status, lines = check(site, capsys, "--external", "--strict", monkeypatch=monkeypatch)
    assert status == 1
    assert f"content/about.md:7: error: could not check the link to {partner}/broken/: the " \
        "server answers 500" in lines
