"""The build's "today", and how long a build's view of it stays true.

What a build shows depends on the time only through a few comparisons: has a
publish date come, an expiry date passed, an event ended? Each one goes
through a Clock, which keeps the nearest such moment on either side of now.
Between them every comparison comes out the same, so the output would be
the same: a build whose inputs have not changed may keep its output for as
long as the clock stays inside that span (see wgsite.manifest). Reading the
time itself (`site.build_date` in a template) narrows the span to this very
instant.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo

_TICK = timedelta(microseconds=1)  # the finest step of a datetime


class Clock:
    """The moment a build takes as now, in the site's time zone."""

    def __init__(self, now: datetime):
        self._now = now
        self.since: datetime | None = None  # the latest moment compared, at or before now
        self.until: datetime | None = None  # the earliest moment compared, after now

    @property
    def tz(self) -> tzinfo:
        """The time zone the clock reads in: the site's, or UTC for a naive `now`."""
        return self._now.tzinfo or timezone.utc

    def in_zone(self, tz: tzinfo) -> "Clock":
        """A clock at the same moment (and with the same span) read in `tz`."""
        moved = Clock(self._now.astimezone(tz))
        moved.since, moved.until = self.since, self.until
        return moved

    def read(self) -> datetime:
        """The time itself: whatever uses it holds for this instant only."""
        self._note(self._now)
        self._note(self._now + _TICK)
        return self._now

    def reached(self, moment: datetime) -> bool:
        """Whether `moment` is now or in the past."""
        self._note(moment)
        return moment <= self._now

    def passed(self, moment: datetime) -> bool:
        """Whether `moment` is strictly in the past."""
        return self.reached(moment + _TICK)

    def day_over(self, day: date) -> bool:
        """Whether `day` (in the site's time zone) has ended."""
        following = datetime.combine(day + timedelta(days=1), datetime.min.time(),
                                     tzinfo=self._now.tzinfo)
        return self.reached(following)

    def _note(self, moment: datetime) -> None:
        if moment <= self._now:
            self.since = moment if self.since is None else max(self.since, moment)
        else:
            self.until = moment if self.until is None else min(self.until, moment)

    def holds_at(self, since: datetime | None, until: datetime | None) -> bool:
        """Whether now lies in [since, until): every comparison then comes out the same."""
        return (since is None or since <= self._now) and (until is None or self._now < until)


def start_of_day(value: date, tz: tzinfo) -> datetime:
    """A date as the first moment of that day in the site's time zone; a datetime as is."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min, tzinfo=tz)
