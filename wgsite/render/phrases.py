"""The words of the interface, and dates, in the site's language.

Phrases come from data/i18n/<lang>.yaml (the theme's, overlaid by the site's);
templates never carry English of their own.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from jinja2.exceptions import UndefinedError


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
