"""Unit tests of the small pure functions that the stages share."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from wgsite import writer
from wgsite.clock import Clock, start_of_day
from wgsite.markup.sanitize import clean, srcset_urls
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
