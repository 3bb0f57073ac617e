"""Unit tests of the small pure functions that the stages share."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from wgsite import writer
from wgsite.clock import Clock, start_of_day
from wgsite.markup.sanitize import clean, srcset_urls
from wgsite.markup.typography import smarten
from wgsite.problems import BuildFailed, Problem, Problems, did_you_mean, report, user_problems
from wgsite.urls import Urls, collision_key, unsafe_site_path
from wgsite.writer import write_atomically

BRUSSELS = ZoneInfo("Europe/Brussels")
NOON = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)


def test_write_atomically_replaces_a_file_whole_and_leaves_nothing_beside_it(tmp_path: Path):
    target = tmp_path / "deep" / "er" / "file.json"
    write_atomically(target, b"first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    source = tmp_path / "source.bin"
    source.write_bytes(b"copied")
    write_atomically(target, source)
    assert target.read_bytes() == b"copied"
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.json"]


def test_write_atomically_follows_the_umask_like_any_written_file(tmp_path: Path):
    plain = tmp_path / "plain"
    plain.write_bytes(b"x")
    write_atomically(tmp_path / "atomic", b"x")
    assert (tmp_path / "atomic").stat().st_mode == plain.stat().st_mode


def test_a_write_that_fails_keeps_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch):
    target = tmp_path / "file"
    target.write_bytes(b"old")

    def refused(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "replace", refused)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["file"]


def test_a_write_under_a_file_raises_os_error(tmp_path: Path):
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(OSError):
        write_atomically(tmp_path / "file" / "inside", b"y")


def test_start_of_day_is_midnight_in_the_zone_and_leaves_a_datetime_alone():
    assert start_of_day(date(2026, 6, 1), BRUSSELS) == datetime(2026, 6, 1, tzinfo=BRUSSELS)
    assert start_of_day(date(2026, 6, 1), BRUSSELS).utcoffset() == timedelta(hours=2)
    assert start_of_day(NOON, BRUSSELS) is NOON


def test_a_clock_reads_in_utc_unless_given_a_zone():
    assert Clock(datetime(2026, 6, 1, 12)).tz is timezone.utc
    assert Clock(NOON.astimezone(BRUSSELS)).tz is BRUSSELS


def test_in_zone_is_a_new_clock_at_the_same_moment_with_the_same_span():
    clock = Clock(NOON)
    clock.reached(NOON - timedelta(days=1))
    moved = clock.in_zone(BRUSSELS)
    assert moved is not clock
    assert clock.tz is timezone.utc and moved.tz is BRUSSELS
    assert moved.read() == NOON
    assert moved.since == NOON
    assert clock.since == NOON - timedelta(days=1), "the first clock is left as it was"


def test_a_clock_keeps_the_nearest_moments_compared_on_either_side():
    clock = Clock(NOON)
    assert clock.reached(NOON - timedelta(hours=3))
    assert clock.reached(NOON - timedelta(hours=1))
    assert not clock.reached(NOON + timedelta(hours=5))
    assert not clock.passed(NOON)
    assert clock.since == NOON - timedelta(hours=1)
    assert clock.until == NOON + timedelta(microseconds=1)
    assert clock.holds_at(clock.since, clock.until)
    assert not Clock(NOON + timedelta(hours=1)).holds_at(clock.since, clock.until)


def test_a_day_is_over_at_the_next_midnight_in_the_clocks_zone():
    late = Clock(datetime(2026, 6, 1, 23, 30, tzinfo=timezone.utc)).in_zone(BRUSSELS)
    assert late.day_over(date(2026, 6, 1)), "23:30 UTC is 01:30 on the 2nd in Brussels"
    assert not late.day_over(date(2026, 6, 2))


@pytest.mark.parametrize("srcset,urls", [
    ("a.png 1x, b.png 2x", ["a.png", "b.png"]),
    ("small.png 480w,large.png 1024w", ["small.png", "large.png"]),
    ("data:image/png;base64,AAA= 2x, b.png", ["data:image/png;base64,AAA=", "b.png"]),
    ("a.png,b.png 2x", ["a.png,b.png"]),  # a comma inside a URL is part of it
    ("a.png, b.png", ["a.png", "b.png"]),  # a comma ending a URL ends the candidate
    ("a.png,, ,b.png", ["a.png", "b.png"]),
    ("a.png 1x (x, y), b.png 2x", ["a.png", "b.png"]),  # no split inside parentheses
    ("a.png 1x (never closed, b.png 2x", ["a.png"]),
    ("a.png\t100w,\nb.png 200w", ["a.png", "b.png"]),
    ("a.png\xa0b.png 1x", ["a.png\xa0b.png"]),  # only ASCII blanks separate
    ("", []),
    (" , ,", []),
])
def test_srcset_urls_are_those_a_browser_reads(srcset: str, urls: list[str]):
    assert srcset_urls(srcset) == urls


def test_the_sanitiser_reads_srcset_as_a_browser_does():
    kept = clean('<img alt="" srcset="/a.png,b.png 1x, /c.png 2x">')
    assert 'srcset="/a.png,b.png 1x, /c.png 2x"' in kept
    assert "srcset" not in clean('<img alt="" srcset="/a.png 1x, data:image/png;base64,AAA= 2x">')
    assert "srcset" not in clean('<img alt="" srcset="/a.png 1x, javascript:x 2x">')


def test_urls_under_a_base_path():
    urls = Urls("https://example.org/wg")
    assert (urls.base_url, urls.base_path) == ("https://example.org/wg/", "/wg/")
    assert urls.href("/news/") == "/wg/news/"
    assert urls.permalink("/news/") == "https://example.org/wg/news/"
    for other in ("https://elsewhere.example/", "//cdn.example/x", "#top", "mailto:a@b.c"):
        assert urls.href(other) == other, "only site paths move under the base path"
    assert Urls("https://example.org").base_path == "/"


def test_urls_give_pretty_output_files_and_paged_lists():
    assert Urls.output_file("/") == "index.html"
    assert Urls.output_file("/news/x/") == "news/x/index.html"
    assert Urls.output_file("/feed.xml") == "feed.xml"
    assert Urls.paged("/news/", 1) == "/news/"
    assert Urls.paged("/news/", 3) == "/news/page/3/"
    assert Urls("https://example.org/").path("tag", "erasmus") == "/tags/erasmus/"


def test_urls_take_each_content_kinds_item_and_list_routes():
    kind = SimpleNamespace(name="publication", url="/publications/{slug}/",
                           list_url="/publications/", list_route="publications")
    urls = Urls("https://example.org/wg/", [kind])
    assert urls.path("publication", "report") == "/publications/report/"
    assert urls.href(urls.path("publications")) == "/wg/publications/"


def test_collision_key_folds_case_and_unicode_form():
    decomposed = "News/Cafe\u0301/INDEX.html"
    assert collision_key(decomposed) == collision_key("news/caf\u00e9/index.html")
    assert collision_key("news/a/index.html") != collision_key("news/b/index.html")


@pytest.mark.parametrize("value,reason", [
    ("/about/", None),
    ("/news/page/2/", None),
    ("about/", "must be a path on this site, starting with one /"),
    ("//evil.example/", "must be a path on this site, starting with one /"),
    ("/a?b=1", "must be a plain path, without ? or #"),
    ("/a#b", "must be a plain path, without ? or #"),
    ("/./x", "must not contain . or .. segments"),
    ("/%2e%2e/x", "must not contain . or .. segments"),
    ("/%252e%252e/x", "must not contain . or .. segments"),  # decoded twice
    ("/a\\b", "must not contain backslashes or control characters"),
    ("/a%00", "must not contain backslashes or control characters"),
    ("/C:/x", "must not name a drive"),
])
def test_unsafe_site_path_says_why(value: str, reason: str | None):
    assert unsafe_site_path(value) == reason


def test_did_you_mean_names_a_near_miss_only():
    assert did_you_mean("mobilty", ["mobility", "skills"]) == " (did you mean 'mobility'?)"
    assert did_you_mean("zzz", ["mobility", "skills"]) == ""
    assert did_you_mean(2, [1, 2, 3]) == " (did you mean '2'?)"
    assert did_you_mean("x", []) == ""


def test_a_problem_reads_file_line_column_severity_message():
    assert str(Problem("content/a.md", 4, "bad", "error", 7)) == "content/a.md:4:7: error: bad"
    assert str(Problem("content/a.md", None, "bad", "warning")) == "content/a.md: warning: bad"
    assert str(Problem("", None, "no Pagefind")) == "error: no Pagefind"


def test_problems_are_reported_once_each_in_file_order(capsys):
    problems = Problems(strict=True)
    problems.error("content/b.md", 2, "second")
    problems.warning("content/a.md", 9, "first")
    problems.error("content/b.md", 2, "second")
    report(problems)
    assert capsys.readouterr().err.splitlines() == [
        "content/a.md:9: error: first",
        "content/b.md:2: error: second",
        "2 errors, 0 warnings: the site was not built; the previous output is unchanged.",
    ]


@pytest.mark.parametrize("text,before,smart", [
    ('"Hello," she said', "", "\u201cHello,\u201d she said"),
    ("don't; Europe's", "", "don\u2019t; Europe\u2019s"),
    ("'80s music", "", "\u201980s music"),
    ("'quoted'", " ", "\u2018quoted\u2019"),
    ('"x"', "(", "\u201cx\u201d"),
    ('word"', "", "word\u201d"),
    ('"', "d", "\u201d"),  # `before` is the text before: a closing quote
    ("a -- b --- c...", "", "a \u2013 b \u2014 c\u2026"),
    ("a ---- b ....", "", "a ---- b ...."),  # runs longer than a dash or an ellipsis stay
    ("plain", "", "plain"),
])
def test_smarten_curls_quotes_and_makes_dashes(text: str, before: str, smart: str):
    assert smarten(text, before) == smart


def test_user_problems_are_build_failures_and_refused_files_only(tmp_path: Path):
    failed = BuildFailed.one("data/site.yaml", "bad")
    assert user_problems(failed) is failed.problems
    refused = PermissionError(13, "Permission denied", str(tmp_path / "content" / "a.md"))
    assert [str(p) for p in user_problems(refused, tmp_path).items] == [
        "content/a.md: error: cannot read or write it: Permission denied"]
    outside = FileExistsError(17, "File exists", "/elsewhere/x")
    assert [p.path for p in user_problems(outside, tmp_path).items] == ["/elsewhere/x"]
    assert user_problems(OSError("no file named"), tmp_path) is None, "a crash of wgsite"
    assert user_problems(RuntimeError("a bug")) is None
