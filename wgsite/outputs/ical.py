"""iCalendar files (RFC 5545) of events: all of them, a group's, or one to add.

Timed events are written in UTC and all-day ones as dates, so no VTIMEZONE is
needed. Every value comes from the sources, never from the clock, so the same
sources give the same bytes and a calendar that subscribes sees the same UIDs
after every build.

When an event changed is when its file last changed: the time of the last
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

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from urllib.parse import quote, urlsplit

from wgsite.content.records import Event
from wgsite.urls import Urls
from wgsite.clock import start_of_day

PRODID = "-//wgsite//NONSGML wgsite//EN"
DEFAULT_DURATION = timedelta(hours=1)  # of a timed event that gives no end
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)  # DTSTAMP when no date is known
SEQUENCE_FROM = datetime(2000, 1, 1, tzinfo=timezone.utc)
LINE_OCTETS = 75  # RFC 5545 3.1: longer lines are folded
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # TEXT allows no control character but tab


def calendar(name: str, events: list[Event], urls: Urls, tz: tzinfo,
             changed: dict[str, datetime] | None = None) -> bytes:
    """A VCALENDAR holding `events`, with CRLF line ends and folded lines; `changed`
    gives when a source file last changed (wgsite.content.history)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(name)}"]
    for event in events:
        lines += _vevent(event, urls, tz, last_modified(event, tz, changed or {}))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _CONTROL.sub("", value)


def fold(line: str) -> str:
    """`line` folded into lines of at most 75 octets, never inside a UTF-8 character."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > LINE_OCTETS:
            parts.append("".join(current))
            current, size = [], 1  # a continuation line starts with one space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def uid(event: Event, urls: Urls) -> str:
    """The event's UID: its slug at the site's host, and the base path when there is one.

    It does not change between builds, so calendars update the event they hold.
    """
    parts = urlsplit(urls.base_url)
    folders = [part for part in parts.path.split("/") if part]
    return "/".join(folders + [event.slug]) + "@" + (parts.hostname or "localhost")


def last_modified(event: Event, tz: tzinfo, changed: dict[str, datetime]) -> datetime | None:
    """When the event last changed: its file's last commit, else its `date`, else None."""
    if event.source in changed:
        return changed[event.source]
    return start_of_day(event.date, tz) if event.date else None


def _vevent(event: Event, urls: Urls, tz: tzinfo, modified: datetime | None) -> list[str]:
    start = event.start
    assert start is not None  # the schema requires it
    lines = ["BEGIN:VEVENT", f"UID:{escape_text(uid(event, urls))}",
             f"DTSTAMP:{_utc(modified or EPOCH)}"]
    if modified is not None:
        lines.append(f"LAST-MODIFIED:{_utc(modified)}")
    seconds = int((modified - SEQUENCE_FROM).total_seconds()) if modified else 0
    lines.append(f"SEQUENCE:{max(0, seconds)}")
    lines += _when(start, event.end, tz)
    lines.append(f"SUMMARY:{escape_text(event.title)}")
    if event.summary:
        lines.append(f"DESCRIPTION:{escape_text(event.summary)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    lines.append(f"URL:{quote(event.permalink, safe=':/?#[]@!$&()*+,;=%~')}")
    if event.tags:
        lines.append("CATEGORIES:" + ",".join(escape_text(tag.name) for tag in event.tags))
    lines.append("END:VEVENT")
    return lines


def _when(start: date, end: date | None, tz: tzinfo) -> list[str]:
    """DTSTART and DTEND: UTC times for timed events, dates for all-day ones.

    DTEND is exclusive: an all-day event ending on the 11th ends on the 12th. A timed
    event without an end after its start lasts DEFAULT_DURATION.
    """
    if not isinstance(start, datetime):
        last = start if end is None else _local_date(end, tz)
        if last < start:
            last = start
        return [f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
                f"DTEND;VALUE=DATE:{last + timedelta(days=1):%Y%m%d}"]
    lines = [f"DTSTART:{_utc(start)}"]
    stop = None
    if end is not None:
        # an end given as a date: the event lasts until the end of that day
        stop = end if isinstance(end, datetime) else start_of_day(end + timedelta(days=1), tz)
    if stop is None or stop <= start:
        stop = start + DEFAULT_DURATION
    lines.append(f"DTEND:{_utc(stop)}")
    return lines


def _local_date(value: date, tz: tzinfo) -> date:
    return value.astimezone(tz).date() if isinstance(value, datetime) else value


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
