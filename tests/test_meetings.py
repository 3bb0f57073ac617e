"""Recurring meetings and events in their own time zone, from the outside: small sites
built in tmp dirs, their pages and calendars read back (calendars with icalendar, their
rules expanded with dateutil, independently of the engine's own expansion).

The fixture's "today" is 2026-06-01T12:00:00Z. Europe leaves summer time on
2026-10-25, North America on 2026-11-01.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import yaml
from dateutil import rrule

from tests.htmlpage import HtmlPage
from tests import sitefiles
from tests.sitefiles import SITE, build, write_site

BASE = "https://example.org/wg/"
GROUP = "content/working-groups/mobility.md"
OTHER = "content/working-groups/adult-learning.md"

MOBILITY_MEETINGS = """\
meetings:
  - id: monthly
    title: Monthly meeting
    recurrence:
      frequency: monthly
      week: third
      weekday: tuesday
    start_date: 2026-01-20
    time: "10:00"
    duration: 90
    time_zone: Europe/Stockholm
    online_url: https://meet.example.org/mobility
    cancelled: [2026-07-21]
    moved:
      - date: 2026-08-18
        to: 2026-08-20
        time: "14:00"
    sessions:
      - date: 2026-05-19
        minutes_url: https://example.org/minutes-may.pdf
        recording_url: https://example.org/recording-may
  - id: autumn
    title: Autumn series
    recurrence:
      frequency: weekly
      weekday: monday
    start_date: 2026-10-19
    end_date: 2026-11-30
    time: 10:00
    duration: 60
    time_zone: Europe/Brussels
    location: Room 4, Brussels
"""

ADULT_MEETINGS = """\
meetings:
  - id: transatlantic
    title: Transatlantic call
    recurrence:
      frequency: weekly
      interval: 2
      weekday: tuesday
    start_date: 2026-10-20
    time: "09:00"
    duration: 60
    time_zone: America/New_York
"""


def with_front_matter(path: str, extra: str) -> str:
    """The fixture's file `path` with `extra` YAML added at the end of its front matter."""
    text = SITE[path]
    end = text.index("\n---", 3) + 1
    return text[:end] + extra + text[end:]


@pytest.fixture
def meeting_site(site: Path) -> Path:
    write_site(site, {GROUP: with_front_matter(GROUP, MOBILITY_MEETINGS),
                      OTHER: with_front_matter(OTHER, ADULT_MEETINGS)})
    return site


@pytest.fixture
def built(meeting_site: Path, capsys) -> Path:
    status, err = build(meeting_site, "--base-url", BASE, capsys=capsys)
    assert status == 0, err
    assert "warning" not in err, err
    return meeting_site / "public"


def section(html: str, ident: str) -> str:
    """The HTML of the meeting `ident`'s section of a group page."""
    start = html.index(f'id="meeting-{ident}"')
    return html[start:html.index("</section>", start)]


def shown_starts(html: str) -> list[datetime]:
    return [datetime.fromisoformat(v) for v in re.findall(r'data-start="([^"]+)"', html)]


def plain(text: str) -> str:
    """Text as a reader sees it: no word joiners, spaces as spaces."""
    return " ".join(text.replace("\u2060", "").split())


def calendar(out: Path, path: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((out / path).read_bytes())


def series(cal: icalendar.Calendar, uid_part: str) -> list[icalendar.Event]:
    return [e for e in cal.walk("VEVENT") if uid_part in str(e["UID"])]


def expand(vevent: icalendar.Event, count: int) -> list[datetime]:
    """The first `count` dates of a VEVENT's RRULE minus its EXDATEs, by dateutil alone."""
    start = vevent.decoded("DTSTART")
    rules = rrule.rruleset()
    rules.rrule(rrule.rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=start))
    exdates = vevent.get("EXDATE")
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        for moment in group.dts:
            rules.exdate(moment.dt)
    return list(rules)[:count]


# -- The group page ---------------------------------------------------------------

def test_the_group_page_shows_the_next_dates_on_the_meetings_clock(built: Path):
    html = (built / "working-groups/mobility/index.html").read_text(encoding="utf-8")
    monthly = section(html, "monthly")
    text = plain(HtmlPage.read(built / "working-groups/mobility/index.html").text)
    assert "Every third Tuesday of the month, 10:00 Europe/Stockholm time, 90 minutes" in text
    assert shown_starts(monthly) == [
        datetime(2026, 6, 16, 10, tzinfo=ZoneInfo("Europe/Stockholm")),
        datetime(2026, 7, 21, 10, tzinfo=ZoneInfo("Europe/Stockholm")),
        datetime(2026, 8, 20, 14, tzinfo=ZoneInfo("Europe/Stockholm"))], \
        "the next three dates, the moved one on its new day and time"
    words = plain(re.sub(r"<[^>]+>", " ", monthly))
    assert "16 June 2026, 10:00–11:30 CEST" in words
    assert "21 July 2026, 10:00–11:30 CEST Cancelled" in words
    assert "20 August 2026, 14:00–15:30 CEST Moved from 18 August 2026" in words
    assert 'href="https://meet.example.org/mobility"' in monthly
    assert "/wg/meetings/" in HtmlPage.read(built / "working-groups/mobility/index.html").hrefs


def test_past_meetings_keep_their_minutes_and_recording(built: Path):
    page = HtmlPage.read(built / "working-groups/mobility/index.html")
    assert page.links_to("https://example.org/minutes-may.pdf") == ["Minutes"]
    assert page.links_to("https://example.org/recording-may") == ["Recording"]


def test_across_the_end_of_summer_time_the_clock_stays_and_the_offset_moves(built: Path):
    """Europe (25 October) and North America (1 November): the page's dates are the ones
    dateutil expands from the calendar's RRULE, at the same local time on both sides."""
    for group, ident, uid_part, zone, local, abbreviations in (
            ("mobility", "autumn", "mobility/meetings/autumn", "Europe/Brussels", 10,
             ["CEST", "CET", "CET"]),
            ("adult-learning", "transatlantic", "adult-learning/meetings/transatlantic",
             "America/New_York", 9, ["EDT", "EST", "EST"])):
        html = (built / f"working-groups/{group}/index.html").read_text(encoding="utf-8")
        shown = shown_starts(section(html, ident))
        [vevent] = series(calendar(built, f"working-groups/{group}/events.ics"), uid_part)
        assert vevent["DTSTART"].params["TZID"] == zone
        assert shown == expand(vevent, 3)
        assert [moment.hour for moment in shown] == [local] * 3
        offsets = [moment.utcoffset() for moment in shown]
        assert offsets[0] - offsets[1] == timedelta(hours=1), "summer time ended between"
        words = plain(re.sub(r"<[^>]+>", " ", section(html, ident)))
        assert re.findall(r"\b(CEST|CET|EDT|EST)\b", words) == abbreviations


def test_a_series_that_has_ended_has_no_next_dates(meeting_site: Path, capsys):
    ended = MOBILITY_MEETINGS.replace("start_date: 2026-10-19\n    end_date: 2026-11-30",
                                      "start_date: 2026-03-02\n    end_date: 2026-04-30")
    write_site(meeting_site, {GROUP: with_front_matter(GROUP, ended)})
    status, err = build(meeting_site, capsys=capsys)
    assert status == 0, err
    html = (meeting_site / "public/working-groups/mobility/index.html").read_text()
    autumn = section(html, "autumn")
    assert shown_starts(autumn) == [] and "No upcoming dates." in autumn


# -- Calendars ----------------------------------------------------------------------

def test_the_group_calendar_holds_each_meeting_as_one_recurring_event(built: Path):
    cal = calendar(built, "working-groups/mobility/events.ics")
    assert sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")) == ["Europe/Brussels",
                                                                       "Europe/Stockholm"]
    monthly = series(cal, "wg/working-groups/mobility/meetings/monthly@example.org")
    main = [e for e in monthly if "RECURRENCE-ID" not in e]
    moved = [e for e in monthly if "RECURRENCE-ID" in e]
    assert len(main) == 1 and len(moved) == 1
    [event] = main
    assert str(event["SUMMARY"]) == "Monthly meeting – Mobility"
    assert event["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=3TU"
    assert event.decoded("DTSTART") == datetime(2026, 1, 20, 10,
                                                tzinfo=ZoneInfo("Europe/Stockholm"))
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)
    assert str(event["URL"]) == BASE + "working-groups/mobility/#meeting-monthly"
    assert str(event["LOCATION"]) == "https://meet.example.org/mobility"
    [exdate] = [d.dt for d in event["EXDATE"].dts]
    assert exdate == datetime(2026, 7, 21, 10, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert exdate not in expand(event, 12), "the cancelled date drops out of the series"
    [instead] = moved
    assert instead.decoded("RECURRENCE-ID") == datetime(2026, 8, 18, 10,
                                                        tzinfo=ZoneInfo("Europe/Stockholm"))
    assert instead.decoded("DTSTART") == datetime(2026, 8, 20, 14,
                                                  tzinfo=ZoneInfo("Europe/Stockholm"))
    assert instead["UID"] == event["UID"]
    autumn = series(cal, "meetings/autumn")[0]
    assert autumn["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20261130T090000Z;BYDAY=MO", \
        "UNTIL in UTC, as RFC 5545 wants beside a TZID"
    assert len(expand(autumn, 100)) == 7, "19 October to 30 November: seven Mondays"
    assert str(autumn["LOCATION"]) == "Room 4, Brussels"
    # the events of the group are still there
    assert {"Spring forum", "Autumn forum"} <= {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}


def test_the_vtimezone_says_when_the_clock_changes(built: Path):
    cal = calendar(built, "working-groups/adult-learning/events.ics")
    [zone] = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/New_York"
    standard = [c for c in zone.walk("STANDARD")]
    changes = [c.decoded("DTSTART") for c in standard] + [
        r.dt for c in standard for rdates in (c.get("RDATE") if isinstance(
            c.get("RDATE"), list) else [c.get("RDATE")] if c.get("RDATE") else [])
        for r in rdates.dts]
    assert datetime(2026, 11, 1, 2) in [c.replace(tzinfo=None) for c in changes]


def test_the_site_calendar_holds_every_meeting_and_event_and_events_ics_the_events(
        built: Path):
    everything = calendar(built, "calendar.ics")
    uids = {str(e["UID"]) for e in everything.walk("VEVENT")}
    assert {"wg/working-groups/mobility/meetings/monthly@example.org",
            "wg/working-groups/mobility/meetings/autumn@example.org",
            "wg/working-groups/adult-learning/meetings/transatlantic@example.org",
            "wg/spring-forum@example.org", "wg/autumn-forum@example.org"} <= uids
    events_only = calendar(built, "events.ics")
    assert not [e for e in events_only.walk("VEVENT") if "meetings" in str(e["UID"])]
    assert HtmlPage.read(built / "meetings/index.html").links_to("/wg/calendar.ics") == [
        "Calendar of all meetings and events"]


def test_a_closed_group_has_no_upcoming_meetings_nor_any_in_calendars(
        meeting_site: Path, capsys):
    group = meeting_site / GROUP
    group.write_text(group.read_text(encoding="utf-8").replace(
        "---\n", "---\nstatus: closed\nstatus_since: 2026-05-30\n", 1), encoding="utf-8")
    status, err = build(meeting_site, capsys=capsys)
    assert status == 0, err
    out = meeting_site / "public"
    assert series(calendar(out, "calendar.ics"), "mobility/meetings") == []
    assert series(calendar(out, "calendar.ics"), "adult-learning/meetings"), "others stay"
    assert series(calendar(out, "working-groups/mobility/events.ics"), "meetings") == []
    html = (out / "working-groups/mobility/index.html").read_text()
    assert shown_starts(html) == []
    assert "No meetings in the coming weeks." in HtmlPage.read(out / "meetings/index.html").text
    assert HtmlPage.read(out / "working-groups/mobility/index.html").links_to(
        "https://example.org/minutes-may.pdf") == ["Minutes"], "its records stay"


# -- The upcoming-meetings page -----------------------------------------------------

def test_the_upcoming_meetings_page_lists_every_groups_meetings_by_week(
        meeting_site: Path, capsys, monkeypatch):
    # a "today" (2026-10-12T12:00Z) when all three series are under way
    epoch = str(int(datetime(2026, 10, 12, 12, tzinfo=timezone.utc).timestamp()))
    monkeypatch.setattr(sitefiles, "BUILD_EPOCH", epoch)
    status, err = build(meeting_site, "--base-url", BASE, capsys=capsys)
    assert status == 0, err
    out = meeting_site / "public"
    page = HtmlPage.read(out / "meetings/index.html", main_only=True)
    headings = [plain(h) for h in page.texts("h2")]
    assert headings[:3] == ["Week of 19–25 October 2026",
                            "Week of 26 October – 1 November 2026",
                            "Week of 2–8 November 2026"], "weeks from Monday, none empty"
    html = (out / "meetings/index.html").read_text(encoding="utf-8")
    weeks = html.split('class="section meeting-week"')[1:]
    first_week = plain(re.sub(r"<[^>]+>", " ", weeks[0]))
    assert "Autumn series · Mobility" in first_week
    assert "Transatlantic call · Adult learning" in first_week
    assert first_week.index("Monthly meeting") < first_week.index("Transatlantic call"), \
        "on 20 October, in order of time: 10:00 in Stockholm comes before 09:00 in New York"
    assert "20 October 2026, 09:00–10:00 EDT" in first_week
    starts = shown_starts(html)
    assert starts == sorted(starts)
    assert all(s < datetime(2026, 10, 12, 12, tzinfo=timezone.utc) + timedelta(weeks=8)
               for s in starts), "eight weeks ahead"
    assert "/wg/working-groups/mobility/#meeting-autumn" in page.hrefs
    assert "/wg/working-groups/adult-learning/" in page.hrefs


# -- Mistakes, with file and line ---------------------------------------------------

BAD = """\
meetings:
  - id: zone
    title: Bad zone
    recurrence: {frequency: weekly}
    start_date: 2026-01-05
    time: "10:00"
    duration: 60
    time_zone: Europe/Stokholm
  - id: city
    title: City only
    recurrence: {frequency: weekly}
    start_date: 2026-01-05
    time: "10:00"
    duration: 60
    time_zone: Lisbon
  - id: weekly-week
    title: Weekly with a week
    recurrence:
      frequency: weekly
      week: third
    start_date: 2026-01-05
    time: "10:00"
    duration: 60
    time_zone: Europe/Brussels
  - id: never
    title: Never
    recurrence:
      frequency: monthly
      week: first
      weekday: monday
    start_date: 2026-01-06
    end_date: 2026-01-31
    time: "10:00"
    duration: 60
    time_zone: Europe/Brussels
  - id: cancelled
    title: Wrong cancellation
    recurrence:
      frequency: monthly
      week: third
      weekday: tuesday
    start_date: 2026-01-01
    time: "25:00"
    duration: 0
    time_zone: Europe/Brussels
  - id: dates
    title: Wrong dates
    recurrence:
      frequency: monthly
      week: third
      weekday: tuesday
    start_date: 2026-01-01
    time: "10:00"
    duration: 60
    time_zone: Europe/Brussels
    cancelled: [2026-03-18]
    moved:
      - date: 2026-04-22
        to: 2026-04-23
  - id: dates
    title: Same id
    recurrence: {frequency: weekly, interval: 0}
    start_date: 2026-01-01
    time: "10:00"
    duration: 60
    time_zone: Europe/Brussels
"""


def test_every_meeting_mistake_is_named_with_its_file_and_line(site: Path, capsys):
    text = with_front_matter(GROUP, BAD)
    write_site(site, {GROUP: text})
    lines = text.splitlines()

    def line(fragment: str) -> int:
        return next(i for i, l in enumerate(lines) if fragment in l) + 1

    status, err = build(site, capsys=capsys)
    assert status == 1 and "Traceback" not in err
    where = f"{GROUP}:"
    expected = [
        (line("Europe/Stokholm"), "'meetings.time_zone' is 'Europe/Stokholm', which is not a "
                                  "time zone name (did you mean 'Europe/Stockholm'?)"),
        (line("time_zone: Lisbon"), "(did you mean 'Europe/Lisbon'?)"),
        (line("week: third"), "meeting 'weekly-week': a weekly meeting has no 'week' of the "
                              "month"),
        (line("end_date: 2026-01-31"), "meeting 'never': the recurrence gives no date between "
                                       "2026-01-06 and 2026-01-31"),
        (line('time: "25:00"'), "'meetings.time' must be a time of day (HH:MM, such as "
                                "09:30), not '25:00'"),
        (line("duration: 0"), "meeting 'cancelled': 'duration' is 0"),
        (line("cancelled: [2026-03-18]"), "meeting 'dates': the cancelled date 2026-03-18 is "
                                          "not one of its dates (monthly, on the third "
                                          "Tuesday, from 2026-01-01); the nearest are "
                                          "2026-03-17 and 2026-04-21"),
        (line("- date: 2026-04-22"), "meeting 'dates': the moved date 2026-04-22 is not one "
                                     "of its dates"),
        ([i + 1 for i, l in enumerate(lines) if "- id: dates" in l][1],
         "duplicate id 'dates'"),
    ]
    for number, message in expected:
        assert f"{where}{number}: error: " in err and any(
            message in row for row in err.splitlines() if row.startswith(f"{where}{number}:")
        ), (number, message, err)


def test_an_unquoted_time_reads_as_the_time_it_says(meeting_site: Path, capsys):
    """YAML 1.1 reads 10:00 as the number 600; `time: 10:00` still means ten o'clock."""
    status, err = build(meeting_site, capsys=capsys)
    assert status == 0, err
    html = (meeting_site / "public/working-groups/mobility/index.html").read_text()
    assert all(s.hour == 10 for s in shown_starts(section(html, "autumn")))


# -- Events in their own time zone ---------------------------------------------------

EVENTS = {
    "content/events/new-york-visit.md": """\
---
title: New York visit
start: 2026-09-10T09:30:00
end: 2026-09-10T11:00:00
time_zone: America/New_York
location: New York
working_groups: [mobility]
---
A visit.
""",
    "content/events/lisbon-day.md": """\
---
title: Lisbon day
start: 2026-09-11T09:30:00+01:00
time_zone: Europe/Lisbon
location: Lisbon
---
Same clock in summer as the site's? No: Lisbon is one hour behind Brussels.
""",
    "content/events/stockholm-day.md": """\
---
title: Stockholm day
start: 2026-09-12T10:00:00
time_zone: Europe/Stockholm
location: Stockholm
---
The same clock as Brussels.
""",
}


def test_an_event_is_shown_in_its_own_zone_and_the_sites_second(site: Path, capsys):
    write_site(site, EVENTS)
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    out = site / "public"
    visit = plain(HtmlPage.read(out / "events/new-york-visit/index.html", main_only=True).text)
    assert "10 September 2026, 09:30–11:00 EDT (10 September 2026, 15:30–17:00 CEST)" in visit
    lisbon = plain(HtmlPage.read(out / "events/lisbon-day/index.html", main_only=True).text)
    assert "11 September 2026, 09:30 WEST (11 September 2026, 10:30 CEST)" in lisbon, \
        "an offset given is kept, the moment shown on the event's clock"
    stockholm = plain(HtmlPage.read(out / "events/stockholm-day/index.html",
                                    main_only=True).text)
    assert "12 September 2026, 10:00 CEST" in stockholm and "(" not in stockholm.split(
        "CEST")[1][:3], "the same clock as the site's is not shown twice"
    [vevent] = calendar(out, "events/new-york-visit/event.ics").walk("VEVENT")
    assert vevent["DTSTART"].params["TZID"] == "America/New_York"
    assert vevent.decoded("DTSTART") == datetime(2026, 9, 10, 9, 30,
                                                 tzinfo=ZoneInfo("America/New_York"))
    assert [str(z["TZID"]) for z in calendar(out, "events/new-york-visit/event.ics").walk(
        "VTIMEZONE")] == ["America/New_York"]
    [spring] = calendar(out, "events/spring-forum/event.ics").walk("VEVENT")
    assert spring.decoded("DTSTART").utcoffset() == timedelta(0), \
        "an event without a zone of its own stays in UTC"


def test_an_online_only_event_is_shown_with_its_link(site: Path, capsys):
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    page = HtmlPage.read(site / "public/events/autumn-forum/index.html", main_only=True)
    assert "Online only" in page.text
    assert page.links_to("https://meet.test.example.org/autumn") == ["Join online"]
    events = HtmlPage.read(site / "public/events/index.html", main_only=True)
    assert events.links_to("https://meet.test.example.org/autumn") == ["Online only"]


def test_online_only_mistakes_and_location_online(site: Path, capsys):
    write_site(site, {
        "content/events/both.md": "---\ntitle: Both\nstart: 2026-09-01\nonline_only: true\n"
                                  "online_url: https://x.example.org/\nlocation: Brussels\n"
                                  "---\nX\n",
        "content/events/no-link.md": "---\ntitle: No link\nstart: 2026-09-01\n"
                                     "online_only: true\n---\nX\n",
        "content/events/said-online.md": "---\ntitle: Said online\nstart: 2026-09-01\n"
                                         "location: Online\n---\nX\n",
    })
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "content/events/both.md:6: error: an event with 'online_only: true' takes place " \
           "nowhere else" in err
    assert "content/events/no-link.md:4: error: an online-only event needs its " \
           "'online_url'" in err
    assert "content/events/said-online.md:4: warning: 'location: Online' names no place: " \
           "write 'online_only: true'" in err


def test_an_unknown_event_zone_is_an_error_with_a_suggestion(site: Path, capsys):
    write_site(site, {"content/events/x.md": "---\ntitle: X\nstart: 2026-09-01T10:00:00\n"
                                             "time_zone: america/new_york\n---\nX\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "content/events/x.md:4: error: 'time_zone' is 'america/new_york', which is not " \
           "a time zone name (did you mean 'America/New_York'?)" in err


# -- The content manager ---------------------------------------------------------------

def test_the_cms_edits_meetings_with_structured_fields(built: Path):
    cfg = yaml.safe_load((built / "admin/config.yml").read_text(encoding="utf-8"))
    groups = next(c for c in cfg["collections"] if c["name"] == "working_groups")
    meetings = next(f for f in groups["fields"] if f["name"] == "meetings")
    assert meetings["widget"] == "list"
    fields = {f["name"]: f for f in meetings["fields"]}
    assert {"id", "title", "recurrence", "start_date", "end_date", "time", "duration",
            "time_zone", "online_url", "location", "cancelled", "moved", "sessions"} <= set(
        fields)
    recurrence = {f["name"]: f for f in fields["recurrence"]["fields"]}
    assert recurrence["frequency"]["options"] == ["weekly", "monthly"]
    assert recurrence["week"]["options"] == ["first", "second", "third", "fourth", "last"]
    assert recurrence["weekday"]["widget"] == "select"
    assert recurrence["interval"]["widget"] == "number"
    assert fields["time"] == {**fields["time"], "widget": "datetime", "format": "HH:mm",
                              "date_format": False}
    assert fields["time_zone"]["widget"] == "string" and "pattern" in fields["time_zone"]
    assert fields["cancelled"]["widget"] == "list"
    assert {f["name"] for f in fields["moved"]["fields"]} == {"date", "to", "time"}
    events = next(c for c in cfg["collections"] if c["name"] == "events")
    event_fields = {f["name"]: f for f in events["fields"]}
    assert event_fields["online_only"]["widget"] == "boolean"
    assert event_fields["time_zone"]["widget"] == "string"


# -- The example site ---------------------------------------------------------------

def test_the_example_mobility_group_meets_every_third_tuesday_in_stockholm(example: Path):
    """Built on its "today", 2026-11-25: December's meeting is cancelled, January's moved."""
    html = (example / "working-groups/mobility/index.html").read_text(encoding="utf-8")
    monthly = section(html, "monthly")
    words = plain(re.sub(r"<[^>]+>", " ", monthly))
    assert "Every third Tuesday of the month, 10:00 Europe/Stockholm time" in words
    assert "15 December 2026, 10:00–11:30 CET Cancelled" in words
    assert "21 January 2027, 14:00–15:30 CET Moved from 19 January 2027" in words
    assert 'href="https://meet.earlall.example.org/mobility"' in monthly
    cal = calendar(example, "working-groups/mobility/events.ics")
    events = series(cal, "mobility/meetings/monthly")
    [main] = [e for e in events if "RECURRENCE-ID" not in e]
    assert main["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=3TU"
    assert main["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert [d.dt.date() for d in main["EXDATE"].dts] == [date(2026, 12, 15)]
    assert [e.decoded("RECURRENCE-ID").date() for e in events if "RECURRENCE-ID" in e] == [
        date(2027, 1, 19)]
    weeks = HtmlPage.read(example / "meetings/index.html", main_only=True)
    assert any("Coordination call" in t for t in weeks.texts("a")), \
        "another group's meeting beside Mobility's"


def test_a_calendar_holds_the_same_bytes_whatever_the_day_of_the_build(
        meeting_site: Path, capsys, monkeypatch):
    """The page's next dates follow the clock; the calendar's rule does not."""
    runs = []
    for day in (datetime(2026, 6, 1, 12), datetime(2027, 3, 1, 12)):
        epoch = str(int(day.replace(tzinfo=timezone.utc).timestamp()))
        monkeypatch.setattr(sitefiles, "BUILD_EPOCH", epoch)
        status, err = build(meeting_site, capsys=capsys)
        assert status == 0, err
        out = meeting_site / "public"
        runs.append(((out / "working-groups/mobility/events.ics").read_bytes(),
                     shown_starts(section((out / "working-groups/mobility/index.html")
                                          .read_text(), "monthly"))))
    assert runs[0][0] == runs[1][0]
    assert runs[0][1] != runs[1][1], "while the page moved on"


@pytest.mark.parametrize("base", [[], ["--base-url", BASE]])
def test_a_calendar_of_several_zones_holds_the_same_bytes_in_every_process(
        meeting_site: Path, base):
    """Python orders a set of names differently in each process (PYTHONHASHSEED), and
    icalendar adds the zones a calendar needs from such a set: the zones come out in
    the order of their names, so a rebuild does not change the file nor a deploy."""
    made = []
    for seed in ("1", "2", "3"):
        done = sitefiles.run_cli("build", "--site", str(meeting_site), *base,
                                 env={"PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        made.append((meeting_site / "public/calendar.ics").read_bytes())
    zones = re.findall(rb"BEGIN:VTIMEZONE\r\nTZID:([^\r]+)", made[0])
    assert zones == sorted(zones) and len(zones) == 3, zones
    assert made[1] == made[0] and made[2] == made[0]
