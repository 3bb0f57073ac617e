"""iCalendar files (RFC 5545) of events: all of them, a group's, or one to add.

Timed events are written in UTC and all-day ones as dates, so no VTIMEZONE is
needed. Every value comes from the events themselves (DTSTAMP is the start),
so the same sources give the same bytes and a calendar that subscribes sees
the same UIDs after every build.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from urllib.parse import quote, urlsplit

from wgsite.content.records import Event
from wgsite.urls import Urls
from wgsite.clock import start_of_day

PRODID = "-//wgsite//NONSGML wgsite//EN"
LINE_OCTETS = 75  # RFC 5545 3.1: longer lines are folded
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # TEXT allows no control character but tab


def calendar(name: str, events: list[Event], urls: Urls, tz: tzinfo) -> bytes:
    """A VCALENDAR holding `events`, with CRLF line ends and folded lines."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(name)}"]
    for event in events:
        lines += _vevent(event, urls, tz)
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


def _vevent(event: Event, urls: Urls, tz: tzinfo) -> list[str]:
    start = event.start
    assert start is not None  # the schema requires it
    lines = ["BEGIN:VEVENT", f"UID:{escape_text(uid(event, urls))}",
             f"DTSTAMP:{_utc(start_of_day(start, tz))}"]
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

    DTEND is exclusive: an all-day event ending on the 11th ends on the 12th.
    An end that is not after the start is left out (the event then has no length).
    """
    if not isinstance(start, datetime):
        last = start if end is None else _local_date(end, tz)
        if last < start:
            last = start
        return [f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
                f"DTEND;VALUE=DATE:{last + timedelta(days=1):%Y%m%d}"]
    lines = [f"DTSTART:{_utc(start)}"]
    if end is not None:
        # an end given as a date: the event lasts until the end of that day
        stop = end if isinstance(end, datetime) else start_of_day(end + timedelta(days=1), tz)
        if stop > start:
            lines.append(f"DTEND:{_utc(stop)}")
    return lines


def _local_date(value: date, tz: tzinfo) -> date:
    return value.astimezone(tz).date() if isinstance(value, datetime) else value


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
