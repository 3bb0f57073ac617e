"""iCalendar files (RFC 5545) of events and meetings: all of them, a group's, or one event.

The files are made with the icalendar library, which escapes and folds text
and builds each VTIMEZONE from the system's zoneinfo, so a meeting at 10:00
Europe/Stockholm stays at 10:00 on both sides of a daylight-saving change in
every calendar that reads it.

- An event without a zone of its own is written in UTC; one with `time_zone`
  with its TZID; an all-day one as dates.
- A recurring meeting is one VEVENT with an RRULE (the rule of
  wgsite.content.meetings), EXDATE for its cancelled dates and, for each moved
  date, a VEVENT with the same UID and a RECURRENCE-ID naming the date it
  replaces. Its times carry the meeting's TZID.

Every value comes from the sources, never from the clock, so the same sources
give the same bytes and a calendar that subscribes sees the same UIDs after
every build.

When an item changed is when its file last changed: the time of the last
commit that changed it (see wgsite.content.history), else its `date`. That is
its LAST-MODIFIED and its DTSTAMP (the moment this version of it was made; the
build's own time would change the file at every build, and SOURCE_DATE_EPOCH
is the build's "today" in wgsite, not the sources' date). SEQUENCE must only
ever grow, or a calendar that holds the event may keep the old version (RFC
5545 3.8.7.4): a hash of the event's text would change with it but go down as
often as up, so SEQUENCE counts the seconds from 2000 to LAST-MODIFIED, which
grows with every edit. Without either date, DTSTAMP is 1970-01-01 (as the
feeds' `updated` is), SEQUENCE is 0 and LAST-MODIFIED is left out.

A timed event without an end would last no time at all (RFC 5545 3.6.1): it
gets DEFAULT_DURATION instead. An all-day one lasts its day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Iterable
from urllib.parse import quote, urlsplit

import icalendar

from wgsite.clock import start_of_day
from wgsite.content.records import Event, Meeting, Record
from wgsite.urls import Urls

PRODID = "-//wgsite//NONSGML wgsite//EN"
DEFAULT_DURATION = timedelta(hours=1)  # of a timed event that gives no end
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)  # DTSTAMP when no date is known
SEQUENCE_FROM = datetime(2000, 1, 1, tzinfo=timezone.utc)
# A VTIMEZONE describes its zone's changes up to here, or to the last date in the file
# when later: far enough for a series without end, short enough to stay small.
ZONES_UNTIL = date(2038, 1, 1)
_URL_SAFE = ":/?#[]@!$&()*+,;=%~"


def calendar(name: str, events: list[Event], urls: Urls, tz: tzinfo,
             changed: dict[str, datetime] | None = None,
             meetings: Iterable[Meeting] = ()) -> bytes:
    """A VCALENDAR holding `events` and the recurring `meetings`, with CRLF line ends
    and folded lines; `changed` gives when a source file last changed
    (wgsite.content.history)."""
    changed = changed or {}
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", icalendar.vText(name))
    first: date | None = None
    last = ZONES_UNTIL
    for event in events:
        cal.add_component(_vevent(event, urls, tz, last_modified(event, tz, changed)))
        if event.tz is not None and isinstance(event.start, datetime):
            first = min(first or event.start.date(), event.start.date())
            last = max(last, _day(event.end or event.start) + timedelta(days=1))
    for meeting in meetings:
        modified = last_modified(meeting.group, tz, changed)
        for component in _meeting(meeting, urls, modified):
            cal.add_component(component)
        first = min(first or meeting.start_date, meeting.start_date)
        # from the sources alone (how far the occurrences reach depends on the clock)
        latest = max([o.start.date() for o in meeting.occurrences if o.moved or o.cancelled]
                     + [meeting.end_date or meeting.start_date])
        last = max(last, latest + timedelta(days=1))
    if first is not None:
        cal.add_missing_timezones(first_date=first, last_date=last)
        # icalendar adds them from a set, in an order that differs from one process to the
        # next: by their names, a rebuild gives the same bytes
        zones = sorted((part for part in cal.subcomponents if part.name == "VTIMEZONE"),
                       key=lambda zone: str(zone["TZID"]))
        cal.subcomponents[:] = zones + [part for part in cal.subcomponents
                                        if part.name != "VTIMEZONE"]
    return cal.to_ical()


def uid(event: Record, urls: Urls) -> str:
    """The event's UID: its slug at the site's host, and the base path when there is one.

    It does not change between builds, so calendars update the event they hold.
    """
    return _uid([event.slug], urls)


def meeting_uid(meeting: Meeting, urls: Urls) -> str:
    """A meeting series' UID: its group's slug and its id, at the site's host."""
    return _uid(["working-groups", meeting.group.slug, "meetings", meeting.id], urls)


def _uid(parts: list[str], urls: Urls) -> str:
    site = urlsplit(urls.base_url)
    folders = [part for part in site.path.split("/") if part]
    return "/".join(folders + parts) + "@" + (site.hostname or "localhost")


def last_modified(record: Record, tz: tzinfo, changed: dict[str, datetime]) -> datetime | None:
    """When the record last changed: its file's last commit, else its `date`, else None."""
    if record.source in changed:
        return changed[record.source]
    return start_of_day(record.date, tz) if record.date else None


def _stamp(component: icalendar.Event, modified: datetime | None) -> None:
    component.add("dtstamp", _utc(modified or EPOCH))
    if modified is not None:
        component.add("last-modified", _utc(modified))
    seconds = int((modified - SEQUENCE_FROM).total_seconds()) if modified else 0
    component.add("sequence", max(0, seconds))


def _vevent(event: Event, urls: Urls, tz: tzinfo, modified: datetime | None) -> icalendar.Event:
    start = event.start
    assert start is not None  # the schema requires it
    vevent = icalendar.Event()
    vevent.add("uid", uid(event, urls))
    _stamp(vevent, modified)
    begin, stop = _when(start, event.end, tz, event.tz)
    vevent.add("dtstart", begin)
    vevent.add("dtend", stop)
    vevent.add("summary", event.title)
    description = [event.summary] if event.summary else []
    if event.online_url and event.location:
        description.append(event.online_url)
    if description:
        vevent.add("description", "\n\n".join(description))
    if event.location:
        vevent.add("location", event.location)
    elif event.online_url:  # an online-only event: its place is its link
        vevent.add("location", event.online_url)
    vevent.add("url", quote(event.permalink, safe=_URL_SAFE))
    if event.tags:
        vevent.add("categories", [tag.name for tag in event.tags])
    return vevent


def _meeting(meeting: Meeting, urls: Urls, modified: datetime | None
             ) -> list[icalendar.Event]:
    """The series as one VEVENT, and one VEVENT for each moved date."""
    rule = meeting.rule
    length = timedelta(minutes=meeting.duration)
    series = _meeting_event(meeting, urls, modified, rule.local(next(rule.dates())), length)
    recur = rule.ical()
    if rule.end is not None:
        # with a TZID'd DTSTART, UNTIL is in UTC (RFC 5545 3.3.10)
        recur["UNTIL"] = _utc(rule.local(rule.end))
    series.add("rrule", recur)
    cancelled = [o.start for o in meeting.occurrences if o.cancelled]
    if cancelled:
        series.add("exdate", cancelled)
    components = [series]
    for occurrence in meeting.occurrences:
        if occurrence.moved and not occurrence.cancelled:
            moved = _meeting_event(meeting, urls, modified, occurrence.start, length)
            moved.add("recurrence-id", occurrence.scheduled)
            components.append(moved)
    return components


def _meeting_event(meeting: Meeting, urls: Urls, modified: datetime | None, start: datetime,
                   length: timedelta) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", meeting_uid(meeting, urls))
    _stamp(vevent, modified)
    vevent.add("dtstart", start)
    vevent.add("dtend", start + length)
    vevent.add("summary", f"{meeting.title} – {meeting.group.title}")
    description = [link for link in (meeting.online_url, meeting.agenda_url) if link]
    if description:
        vevent.add("description", "\n".join(description))
    if meeting.location or meeting.online_url:
        vevent.add("location", meeting.location or meeting.online_url)
    vevent.add("url", quote(meeting.permalink, safe=_URL_SAFE))
    return vevent


def _when(start: date, end: date | None, tz: tzinfo, zone: tzinfo | None
          ) -> tuple[date, date]:
    """DTSTART and DTEND: times in UTC (or in the event's own zone), dates for all-day ones.

    DTEND is exclusive: an all-day event ending on the 11th ends on the 12th. A timed
    event without an end after its start lasts DEFAULT_DURATION.
    """
    if not isinstance(start, datetime):
        last = start if end is None else _local_date(end, zone or tz)
        if last < start:
            last = start
        return start, last + timedelta(days=1)
    stop = None
    if end is not None:
        # an end given as a date: the event lasts until the end of that day
        stop = end if isinstance(end, datetime) else start_of_day(end + timedelta(days=1),
                                                                  zone or tz)
    if stop is None or stop <= start:
        stop = start + DEFAULT_DURATION
    if zone is not None:
        return start.astimezone(zone), stop.astimezone(zone)
    return _utc(start), _utc(stop)


def _local_date(value: date, tz: tzinfo) -> date:
    return value.astimezone(tz).date() if isinstance(value, datetime) else value


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)
