"""Recurring meetings: their rules, their dates, and the checks a rule needs.

A meeting comes back weekly, every N weeks, or monthly (on the Nth weekday,
"third Tuesday", or on a day of the month), from `start_date` to an optional
`end_date`, at a `time` on the clock of its `time_zone` all year round: across
a change to or from daylight saving the time stays 10:00 and the offset moves.

The dates come from python-dateutil's rrule, the implementation of RFC 5545's
RRULE that calendar software shares, so what a page shows and what the .ics
says (wgsite.outputs.ical writes the same rule) cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from dateutil import rrule

from wgsite.content.schema import WEEKDAYS, WEEKS
from wgsite.content.yamlfile import LineDict
from wgsite.problems import Problems

LAST_YEAR = 9000  # dates near 9999 would overflow once a time and a duration are added
_WEEKDAY = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}


@dataclass(frozen=True)
class Rule:
    """A meeting's recurrence, read from its checked values."""

    frequency: str  # "weekly" or "monthly"
    interval: int
    weekday: int | None  # 0 for Monday; None: a monthly meeting on a day of the month
    week: int | None  # 1..4 or -1 (last), for a monthly meeting on a weekday
    start: date
    end: date | None
    at: time
    zone: ZoneInfo

    def rrule(self) -> rrule.rrule:
        """The rule as dateutil's, on naive local times (the zone applies to each)."""
        begin = datetime.combine(self.start, self.at)
        until = datetime.combine(self.end, self.at) if self.end else None
        if self.frequency == "weekly":
            return rrule.rrule(rrule.WEEKLY, dtstart=begin, interval=self.interval,
                               byweekday=_WEEKDAY[self.weekday], until=until)
        if self.weekday is None:
            return rrule.rrule(rrule.MONTHLY, dtstart=begin, interval=self.interval,
                               bymonthday=self.start.day, until=until)
        return rrule.rrule(rrule.MONTHLY, dtstart=begin, interval=self.interval,
                           byweekday=_WEEKDAY[self.weekday](self.week), until=until)

    def ical(self) -> dict[str, Any]:
        """The rule as iCalendar's RRULE parts (icalendar's vRecur keys)."""
        parts: dict[str, Any] = {"FREQ": self.frequency.upper()}
        if self.interval != 1:
            parts["INTERVAL"] = self.interval
        day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[self.weekday] \
            if self.weekday is not None else None
        if self.frequency == "weekly":
            parts["BYDAY"] = day
        elif day is None:
            parts["BYMONTHDAY"] = self.start.day
        else:
            parts["BYDAY"] = f"{self.week}{day}"
        return parts

    def dates(self) -> Iterator[date]:
        """Every date of the series, in order (without end when it has none)."""
        for moment in self.rrule():
            yield moment.date()

    def falls_on(self, day: date) -> bool:
        """Whether the series has a meeting on `day`."""
        moment = datetime.combine(day, self.at)
        return self.rrule().after(moment, inc=True) == moment

    def local(self, day: date, at: time | None = None) -> datetime:
        """The aware moment `at` (by default the meeting's time) on `day` in its zone."""
        return datetime.combine(day, at or self.at, tzinfo=self.zone)


def rule_of(meeting: dict[str, Any]) -> Rule | None:
    """The rule of a checked meeting, or None when its values do not make one."""
    recurrence = meeting.get("recurrence") or {}
    if not all(meeting.get(key) for key in ("start_date", "time", "time_zone")) \
            or "frequency" not in recurrence:
        return None
    start: date = meeting["start_date"]
    weekday = recurrence.get("weekday")
    week = recurrence.get("week")
    if recurrence["frequency"] == "weekly" and weekday is None:
        weekday = WEEKDAYS[start.weekday()]
    hours, minutes = map(int, meeting["time"].split(":"))
    return Rule(frequency=recurrence["frequency"], interval=recurrence.get("interval", 1),
                weekday=WEEKDAYS.index(weekday) if weekday else None,
                week=_NTH[week] if week else None, start=start, end=meeting.get("end_date"),
                at=time(hours, minutes), zone=ZoneInfo(meeting["time_zone"]))


def check_meetings(meetings: list[dict[str, Any]], path: str, problems: Problems) -> None:
    """What the schema cannot see: a rule that makes no sense or gives no date, and
    cancelled, moved or documented dates that are none of the meeting's."""
    for meeting in meetings:
        line = getattr(meeting, "line", None)
        lines = meeting.lines if isinstance(meeting, LineDict) else {}
        recurrence = meeting.get("recurrence") or {}
        where = f"meeting '{meeting.get('id', '?')}'"
        rec_lines = recurrence.lines if isinstance(recurrence, LineDict) else {}
        rec_line = rec_lines.get("frequency", lines.get("recurrence", line))
        broken = False
        if recurrence.get("interval", 1) < 1:
            problems.error(path, rec_lines.get("interval", rec_line),
                           f"{where}: 'recurrence.interval' is {recurrence['interval']}; it "
                           "counts weeks or months, so it must be 1 or more")
            broken = True
        if recurrence.get("frequency") == "weekly" and "week" in recurrence:
            problems.error(path, rec_lines.get("week", rec_line),
                           f"{where}: a weekly meeting has no 'week' of the month; use "
                           "'frequency: monthly' for the third Tuesday of each month, or "
                           "remove 'week'")
            broken = True
        if recurrence.get("frequency") == "monthly" and "week" in recurrence \
                and "weekday" not in recurrence:
            problems.error(path, rec_lines.get("week", rec_line),
                           f"{where}: 'week: {recurrence['week']}' needs a 'weekday' (the "
                           f"{recurrence['week']} what of the month?)")
            broken = True
        if recurrence.get("frequency") == "monthly" and "weekday" in recurrence \
                and "week" not in recurrence:
            problems.error(path, rec_lines.get("weekday", rec_line),
                           f"{where}: a monthly meeting on a '{recurrence['weekday']}' needs a "
                           "'week' (first, second, third, fourth or last)")
            broken = True
        if meeting.get("duration", 1) < 1:
            problems.error(path, lines.get("duration", line),
                           f"{where}: 'duration' is {meeting['duration']}; give the minutes "
                           "the meeting lasts, 1 or more")
        start, end = meeting.get("start_date"), meeting.get("end_date")
        if start and start.year > LAST_YEAR:
            problems.error(path, lines.get("start_date", line),
                           f"{where}: 'start_date' {start} is too far ahead to have dates")
            continue
        if start and end and end < start:
            problems.error(path, lines.get("end_date", line),
                           f"{where}: 'end_date' ({end}) is before 'start_date' ({start})")
            continue
        rule = None if broken else rule_of(meeting)
        if rule is None:
            continue
        first = next(rule.dates(), None)
        if first is None:
            problems.error(path, lines.get("end_date", rec_line),
                           f"{where}: the recurrence gives no date between {start} and {end}; "
                           "move 'end_date' later or change the recurrence")
            continue
        _check_dates(meeting, rule, where, path, problems)


def _check_dates(meeting: dict[str, Any], rule: Rule, where: str, path: str,
                 problems: Problems) -> None:
    """Cancelled, moved and session dates must be dates the meeting falls on."""
    described = describe_dates(rule)

    def check(day: date, line: int | None, what: str) -> bool:
        if rule.falls_on(day):
            return True
        nearest = nearest_dates(rule, day)
        near = f"; the nearest are {' and '.join(map(str, nearest))}" if nearest else ""
        problems.error(path, line, f"{where}: {what} {day} is not one of its dates "
                       f"({described}){near}")
        return False

    cancelled = meeting.get("cancelled") or []
    for index, day in enumerate(cancelled):
        check(day, _line(cancelled, index), "the cancelled date")
    moved_from: set[date] = set()
    for index, move in enumerate(meeting.get("moved") or []):
        line = _line(meeting["moved"], index)
        if check(move["date"], line, "the moved date"):
            if move["date"] in cancelled:
                problems.error(path, line, f"{where}: {move['date']} is both cancelled and "
                               "moved; keep one of the two")
            moved_from.add(move["date"])
    for index, session in enumerate(meeting.get("sessions") or []):
        check(session["date"], _line(meeting["sessions"], index), "the session date")


def _line(values: Any, index: int) -> int | None:
    lines = getattr(values, "lines", None) or []
    return lines[index] if index < len(lines) else getattr(values, "line", None)


def describe_dates(rule: Rule) -> str:
    """The rule in the words of an error message: "monthly, on the third tuesday"."""
    every = {"weekly": "week", "monthly": "month"}[rule.frequency]
    often = f"every {rule.interval} {every}s" if rule.interval > 1 else rule.frequency
    if rule.weekday is None:
        return f"{often}, on day {rule.start.day} of the month, from {rule.start}"
    weekday = WEEKDAYS[rule.weekday].capitalize()
    if rule.frequency == "weekly":
        return f"{often} on {weekday}, from {rule.start}"
    nth = WEEKS[rule.week - 1] if rule.week and rule.week > 0 else "last"
    return f"{often}, on the {nth} {weekday}, from {rule.start}"


def nearest_dates(rule: Rule, day: date) -> list[date]:
    """The meeting's dates on either side of `day`, for a message."""
    moment = datetime.combine(day, rule.at)
    found = [rule.rrule().before(moment), rule.rrule().after(moment)]
    return [m.date() for m in found if m is not None]


def duration_of(meeting: dict[str, Any]) -> timedelta:
    return timedelta(minutes=meeting.get("duration") or 60)


# How many of a meeting's next dates its group's page shows, and how far ahead the
# upcoming-meetings page looks.
UPCOMING = 3
MEETINGS_AHEAD = timedelta(weeks=8)


def link_meetings(group: Any, meetings: list[dict[str, Any]], clock: Any) -> list[Any]:
    """The group's meetings as records, each with its occurrences: every date from its
    start until its next UPCOMING dates and MEETINGS_AHEAD are covered (and any date
    the group gave links, a cancellation or a move for). A closed group has none upcoming.
    """
    from wgsite.content import records as r  # records are plain data; no cycle at import

    closed = getattr(group, "status", "active") == "closed"
    found = []
    for values in meetings:
        rule = rule_of(values)
        if rule is None:
            continue
        meeting = r.Meeting(
            id=values["id"], title=values["title"], group=group,
            recurrence={**values["recurrence"], "weekday": WEEKDAYS[rule.weekday]}
            if rule.weekday is not None else dict(values["recurrence"]), time_zone=values["time_zone"],
            time=values["time"], duration=values["duration"], start_date=values["start_date"],
            end_date=values.get("end_date"), online_url=values.get("online_url", ""),
            location=values.get("location", ""), agenda_url=values.get("agenda_url", ""),
            url=f"{group.url}#meeting-{values['id']}",
            permalink=f"{group.permalink}#meeting-{values['id']}", rule=rule, tz=rule.zone)
        _occurrences(meeting, values, rule, clock, closed, r)
        found.append(meeting)
    return found


def _occurrences(meeting: Any, values: dict[str, Any], rule: Rule, clock: Any, closed: bool,
                 r: Any) -> None:
    cancelled = set(values.get("cancelled") or [])
    moves = {m["date"]: m for m in values.get("moved") or []}
    sessions = {s["date"]: s for s in values.get("sessions") or []}
    named = cancelled | set(moves) | set(sessions)
    last_named = max(named) if named else None
    length = duration_of(values)
    for day in rule.dates():
        scheduled = rule.local(day)
        move = moves.get(day)
        start = rule.local(move["to"], _time(move.get("time"))) if move else scheduled
        session = sessions.get(day, {})
        occurrence = r.Occurrence(
            meeting=meeting, date=day, start=start, end=start + length,
            cancelled=day in cancelled, moved=move is not None,
            scheduled=scheduled if move else None,
            agenda_url=session.get("agenda_url", ""), minutes_url=session.get("minutes_url", ""),
            recording_url=session.get("recording_url", ""))
        meeting.occurrences.append(occurrence)
        past = clock.passed(occurrence.end)
        if past:
            meeting.past.append(occurrence)
        elif not closed:
            meeting.upcoming.append(occurrence)
        if closed:  # its past meetings stay (documents name them), no future ones
            enough = not past
        else:
            enough = len(meeting.upcoming) >= UPCOMING and \
                not clock.reached(occurrence.start - MEETINGS_AHEAD)
        if enough and (last_named is None or day >= last_named):
            break
    meeting.upcoming.sort(key=lambda o: o.start)
    shown = meeting.upcoming[:UPCOMING]
    # the upcoming-meetings page takes more than the group page's few, up to its horizon
    meeting.upcoming_all = list(meeting.upcoming)
    meeting.upcoming = shown
    meeting.ended = not closed and not meeting.upcoming_all and rule.end is not None


def _time(value: str | None) -> time | None:
    if not value:
        return None
    hours, minutes = map(int, value.split(":"))
    return time(hours, minutes)
