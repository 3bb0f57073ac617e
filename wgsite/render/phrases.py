"""The words of the interface, and dates, in the site's language.

Phrases come from data/i18n/<lang>.yaml (the theme's, overlaid by the site's);
templates never carry English of their own.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, tzinfo
from typing import Any

from jinja2.exceptions import UndefinedError


_RANGE_DEFAULTS = {"range_days": "{start}–{end}", "range_times": "{date}, {start}–{end} {zone}",
                   "range_moment": "{date}, {time}", "range_zone": "{moment} {zone}"}
_NO_BREAK = str.maketrans({" ": "\u00a0", "–": "\u2060–\u2060"})


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _keep(text: str) -> str:
    """`text` that a line never breaks inside: non-breaking spaces and hyphens, and
    word joiners around dashes."""
    return text.translate(_NO_BREAK)


class MissingPhrase(UndefinedError):
    """A phrase the interface needs is in no data/i18n file."""


class Phrases:
    """Looks up interface phrases and formats dates for one language."""

    def __init__(self, language: str, tables: dict[str, dict[str, Any]], tz: tzinfo,
                 defaults: dict[str, str] | None = None):
        self.language = language
        self.tz = tz
        # A phrase the language lacks falls back to English rather than to nothing;
        # `defaults` (the names of a site's own kinds) come before both.
        self.table = {**(defaults or {}), **tables.get("en", {}), **tables.get(language, {})}

    def in_zone(self, tz: tzinfo | None) -> "Phrases":
        """These phrases with times on the clock of `tz` (a meeting's, an event's own zone)
        rather than the site's; the site's when `tz` is None."""
        if tz is None:
            return self
        other = copy.copy(self)
        other.tz = tz
        return other

    def __call__(self, key: str, **values: Any) -> str:
        try:
            text = self.table[key]
        except KeyError:
            raise MissingPhrase(f"no phrase '{key}' in data/i18n/{self.language}.yaml") from None
        return str(text).format(**values) if values else str(text)

    def date(self, value: date | datetime | None) -> str:
        """A date as readers of the language write it: "14 May 2025"."""
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.astimezone(self.tz)
        months = self.table.get("months") or []
        month = months[value.month - 1] if len(months) == 12 else f"{value.month:02d}"
        pattern = str(self.table.get("date_format", "{year}-{month}-{day}"))
        return pattern.format(day=value.day, month=month, year=value.year)

    def day_month(self, value: date) -> str:
        """A date without its year, for the first date of a range: "30 March"."""
        months = self.table.get("months") or []
        month = months[value.month - 1] if len(months) == 12 else f"{value.month:02d}"
        pattern = str(self.table.get("day_month_format", "{day} {month}"))
        return pattern.format(day=value.day, month=month)

    def range(self, start: date | datetime, end: date | datetime | None = None) -> str:
        """When something takes place, month and year said once: "10–11 March 2027",
        "30 March – 2 April 2027", "10 March 2027, 09:30–17:00 CET". No line breaks
        inside a date: its spaces are non-breaking, and nothing breaks at a dash
        between two days."""
        timed = isinstance(start, datetime)
        if timed:
            start = start.astimezone(self.tz)
            end = end.astimezone(self.tz) if isinstance(end, datetime) else end
        first, last = _day(start), _day(end) if end is not None else None
        if last is None or (last == first and not timed):
            return _keep(self.datetime(start) if timed else self.date(start))
        if timed and isinstance(end, datetime):
            zone = start.strftime("%Z")
            if last == first:
                return _keep(self.phrase("range_times", date=self.date(first),
                                         start=f"{start:%H:%M}", end=f"{end:%H:%M}", zone=zone))
            same_year = first.year == last.year
            begins = self.phrase("range_moment", time=f"{start:%H:%M}",
                                 date=self.day_month(first) if same_year else self.date(first))
            ends = self.phrase("range_zone", zone=zone, moment=self.phrase(
                "range_moment", date=self.date(last), time=f"{end:%H:%M}"))
            return " – ".join((_keep(begins), _keep(ends)))
        if (first.year, first.month) == (last.year, last.month):
            return _keep(self.phrase("range_days", start=first.day, end=self.date(last)))
        if first.year == last.year:
            return " – ".join((_keep(self.day_month(first)), _keep(self.date(last))))
        return " – ".join((_keep(self.date(first)), _keep(self.date(last))))

    def phrase(self, key: str, default: str = "", **values: Any) -> str:
        """A phrase with values filled in, or `default` filled in when the table lacks it."""
        return str(self.table.get(key, default or _RANGE_DEFAULTS[key])).format(**values)

    def size(self, size: int | None) -> str:
        """A file's size as readers of the language write it: "1.2 MB", "340 kB", "512 B"
        (powers of 1000; one decimal below 10), never broken across lines."""
        if size is None:
            return ""
        units = ("size_bytes", "size_kb", "size_mb", "size_gb")
        value, unit = float(size), 0
        while value >= 999.5 and unit < len(units) - 1:
            value, unit = value / 1000, unit + 1
        if unit == 0 or value >= 9.95:
            number = str(round(value))
        else:
            number = f"{value:.1f}".replace(".", str(self.table.get("decimal_separator", ".")))
        default = ("{size} B", "{size} kB", "{size} MB", "{size} GB")[unit]
        return _keep(self.phrase(units[unit], default, size=number))

    def time(self, value: date | datetime | None) -> str:
        """The time of day in the site's time zone: "17:00 CET" (empty for a date)."""
        if not isinstance(value, datetime):
            return ""
        local = value.astimezone(self.tz)
        return f"{local:%H:%M} {local:%Z}".strip()

    def datetime(self, value: date | datetime | None) -> str:
        """A date with its time in the site's time zone: "10 March 2027, 09:30 CET"."""
        if not isinstance(value, datetime):
            return self.date(value)
        local = value.astimezone(self.tz)
        pattern = str(self.table.get("datetime_format", "{date}, {time} {zone}"))
        return pattern.format(date=self.date(local), time=local.strftime("%H:%M"),
                              zone=local.strftime("%Z"))
