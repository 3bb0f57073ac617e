"""Pages rendered by forked helpers come out as one process renders them.

A build with many pages to render shares them with helper processes
(wgsite/render/workers.py); the build's own process renders whatever nobody
has taken yet when the page it needs next is still in a helper. These tests
build the same site with one process and with two, also with a helper held
back so that pages are rendered ahead of their turn, and compare: the
output byte for byte, the render memo the next build reuses, and the
template mistakes reported (once each, with the first page in route order
that they broke).
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.sitefiles import SITE, build, many_posts, tree, write_site
from wgsite.render import workers

pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="helpers fork (Linux, one thread)")

PROCESSES = re.compile(r"^\s+render\s.*?([\d,]+) rendered, (\d+) processes$", re.MULTILINE)
POSTS = workers.THRESHOLD + 40  # enough pages to be shared out


def built(site: Path, capsys, *args: str) -> tuple[int, str]:
    status, err = build(site, "--verbose", *args, capsys=capsys)
    return status, err


def render_line(err: str) -> tuple[int, int]:
    found = PROCESSES.search(err)
    assert found, err
    return int(found.group(1).replace(",", "")), int(found.group(2))


@pytest.fixture
def big(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", {**SITE, **many_posts(POSTS)})


def _slow_do(chunk: list[int]) -> list:
    """A helper's work, the first chunk half a second late (`_late` is each forked
    helper's own copy): the build's process meanwhile renders many pages ahead of
    their turn, then takes the helper's, which come before them in route order."""
    if _late:
        _late.clear()
        time.sleep(0.5)
    return _do(chunk)


_late = [True]
_do = workers._do


@pytest.fixture
def slow_helpers(monkeypatch) -> list[int]:
    """Helpers that lag; gives the list of chunks the build's process did ahead of
    their turn (one entry each)."""
    ahead: list[int] = []
    do_here = workers.Helpers._do_here

    def counted(self) -> bool:
        done = do_here(self)
        if done:
            ahead.append(1)
        return done

    monkeypatch.setattr(workers, "_do", _slow_do)
    monkeypatch.setattr(workers.Helpers, "_do_here", counted)
    return ahead


@pytest.mark.parametrize("base", [[], ["--base-url", "https://example.org/wg/"]])
def test_two_processes_make_the_same_site_as_one(big, tmp_path, capsys, base):
    status, err = built(big, capsys, "--jobs", "1", *base)
    assert status == 0, err
    assert render_line(err)[1] == 1
    alone = tree(big / "public")
    shutil.rmtree(big / "public")
    shutil.rmtree(big / ".wgsite-cache")

    status, err = built(big, capsys, "--jobs", "2", *base)
    assert status == 0, err
    rendered, processes = render_line(err)
    assert processes == 2 and rendered > workers.THRESHOLD
    assert tree(big / "public") == alone


def test_pages_rendered_ahead_of_their_turn_come_out_in_route_order(big, capsys,
                                                                  slow_helpers):
    status, err = built(big, capsys, "--jobs", "1")
    assert status == 0, err
    alone = tree(big / "public")
    shutil.rmtree(big / "public")
    shutil.rmtree(big / ".wgsite-cache")

    status, err = built(big, capsys, "--jobs", "2")
    assert status == 0, err
    assert render_line(err)[1] == 2
    assert len(slow_helpers) > 4  # the build's own process did not wait for the helpers
    assert tree(big / "public") == alone


def test_a_build_whose_output_is_gone_still_shares_its_pages_out(big, capsys):
    """With the cache kept and the output removed (`rm -r public`, or a CI cache that
    kept only .wgsite-cache/), every page's memo says it is unchanged, but its bytes
    are gone: the pages are rendered again, by both processes."""
    status, err = built(big, capsys, "--jobs", "2")
    assert status == 0, err
    first = tree(big / "public")
    shutil.rmtree(big / "public")

    status, err = built(big, capsys, "--jobs", "2")
    assert status == 0, err
    rendered, processes = render_line(err)
    assert processes == 2 and rendered > workers.THRESHOLD
    assert tree(big / "public") == first


def test_the_memo_keeps_what_the_helpers_rendered(big, tmp_path, capsys):
    status, err = built(big, capsys, "--jobs", "2")
    assert status == 0, err
    assert render_line(err)[1] == 2
    post = next((big / "content/news").glob("*post-150.md"))
    post.write_text(post.read_text().replace("The body of post 150", "A new body"))

    status, err = built(big, capsys, "--jobs", "2")
    assert status == 0, err
    rendered, processes = render_line(err)
    assert rendered <= 3 and processes == 1  # the post (and lists showing its summary)

    copy = tmp_path / "clean"
    shutil.copytree(big, copy, ignore=shutil.ignore_patterns("public", ".wgsite-cache"))
    status, err = built(copy, capsys, "--jobs", "1")
    assert status == 0, err
    assert tree(big / "public") == tree(copy / "public")


@pytest.mark.parametrize("broken", ["1", "3"])
def test_a_template_mistake_is_reported_once_with_its_first_page(big, capsys, broken):
    """Posts whose number ends in `broken` break the layout: wherever they fall among
    the processes, the one report names the first of them in route order, as with one
    process."""
    layout = (Path(__file__).resolve().parent.parent / "layouts/news.html").read_text()
    layout = layout.replace("{% block content %}", "{% block content %}{% if page.title"
                            f"[-1] == '{broken}' %}}{{{{ page.no_such_field }}}}{{% endif %}}", 1)
    write_site(big, {"layouts/news.html": layout})
    reports = []
    for jobs in ("1", "2"):
        status, err = build(big, "--jobs", jobs, capsys=capsys)
        assert status == 1
        errors = [line for line in err.splitlines() if ": error: " in line]
        assert len(errors) == 1, err
        assert errors[0].startswith("layouts/news.html:4: error: ")
        reports.append(errors[0])
    assert reports[0] == reports[1]


def test_a_mistake_met_ahead_of_its_turn_is_reported_with_its_first_page(big, capsys,
                                                                         slow_helpers):
    """The group's news list pages numbered 3, 13, 23... break their template. The
    helper holds the first chunks (pages 3, 13 and 23 among them) half a second, and
    meanwhile the build's process renders page 33 and later ones: the report still
    names page 3, as with one process."""
    layout = (Path(__file__).resolve().parent.parent / "layouts/news_list.html").read_text()
    layout = layout.replace("{% block items %}", "{% block items %}{% if page.paginator"
                            ".number % 10 == 3 %}{{ page.no_such_field }}{% endif %}", 1)
    write_site(big, {"layouts/news_list.html": layout})
    reports = []
    for jobs in ("1", "2"):
        status, err = build(big, "--jobs", jobs, capsys=capsys)
        assert status == 1
        errors = [line for line in err.splitlines() if ": error: " in line]
        assert len(errors) == 1, err
        reports.append(errors[0])
    assert "/working-groups/mobility/news/page/3/" in reports[0], reports[0]
    assert len(slow_helpers) > 4
    assert reports[1] == reports[0]


def test_the_pool_is_offered_the_gil_often_while_helpers_work(big, capsys, monkeypatch):
    """While helpers work, the build's rendering offers the GIL every half millisecond,
    so that the pool's threads hand chunks to the helpers in time (with Python's 5 ms
    the helper sat idle for a third of the render phase); once the pages are out, and
    after a build that fails, the interval is what it was."""
    seen: list[float] = []
    do_here = workers.Helpers._do_here

    def noted(self) -> bool:
        seen.append(sys.getswitchinterval())
        return do_here(self)

    monkeypatch.setattr(workers.Helpers, "_do_here", noted)
    before = sys.getswitchinterval()
    status, err = built(big, capsys, "--jobs", "2")
    assert status == 0, err
    assert render_line(err)[1] == 2
    assert seen and set(seen) == {workers.SWITCH_INTERVAL}
    assert sys.getswitchinterval() == before

    layout = (Path(__file__).resolve().parent.parent / "layouts/news.html").read_text()
    write_site(big, {"layouts/news.html": layout.replace(
        "{% block content %}", "{% block content %}{{ page.no_such_field }}", 1)})
    seen.clear()
    status, err = built(big, capsys, "--jobs", "2")
    assert status == 1, err
    assert seen
    assert sys.getswitchinterval() == before
