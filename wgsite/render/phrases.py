"""The words of the interface, and dates, times and numbers, in the site's language.

Phrases come from data/i18n/<lang>.yaml (the theme's, overlaid by the site's);
templates never carry English of their own. A phrase is a text, or a mapping of
CLDR plural categories to texts (`{one: "{count} page", other: "{count} pages"}`)
chosen by the `count` it is given.

Dates, times, ranges and numbers are not phrases: they are formatted with Babel
from CLDR's data for the locale the phrase file names with `locale:` (en.yaml
says en-GB, the European convention of "14 May 2025"), or else for the language's
own code. The theme's house style sits on top: a date never breaks across lines,
days of one month close up around their dash ("10–11 March 2027"), and two whole
dates are set apart by a spaced one ("30 March – 2 April 2027").
"""

from __future__ import annotations

import copy
import re
from datetime import date, datetime, tzinfo
from typing import Any

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time
from babel.numbers import format_decimal
from jinja2.exceptions import UndefinedError

from wgsite.content.language_codes import locale_of
from wgsite.problems import Problems

# What is not a phrase in a phrase file: the CLDR locale its dates are written for.
SETTINGS = ("locale",)
# Spaces become non-breaking (a thin one a narrow non-breaking one) and dashes are
# joined to their neighbours, so that a line breaks only between two dates.
_NO_BREAK = str.maketrans({" ": "\u00a0", "\u2009": "\u202f", "–": "\u2060–\u2060"})
_SEPARATOR = " \u00a0\u2009\u202f–—-"
_QUOTED = re.compile(r"('[^']*')")


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _keep(text: str) -> str:
    """`text` that a line never breaks inside: non-breaking spaces, and word joiners
    around dashes."""
    return text.translate(_NO_BREAK)


def _zone(local: datetime) -> str:
    return local.strftime("%Z")


class MissingPhrase(UndefinedError):
    """A phrase the interface needs is in no data/i18n file."""


class Phrases:
    """Looks up interface phrases and formats dates and numbers for one language.

    `tables` maps language codes to phrase files; a phrase the language lacks is
    taken from its base language's file (pt for pt-BR), then from `fallback`'s (the
    site's default language); `defaults` (the names of a site's own kinds) come
    before all. `check` reports what fell back.
    """

    def __init__(self, language: str, tables: dict[str, dict[str, Any]], tz: tzinfo,
                 defaults: dict[str, str] | None = None, fallback: str = "en"):
        self.language = language
        self.fallback = fallback
        self.tz = tz
        base = language.split("-")[0]
        self.own = next((code for code in (language, base) if code in tables), None)
        # the theme's English under all: a phrase no other file gives is still there
        self.table: dict[str, Any] = {**(defaults or {}), **tables.get("en", {}),
                                      **tables.get(fallback, {})}
        if base != language:
            self.table.update(tables.get(base, {}))
        self.table.update(tables.get(language, {}))
        own_locale = tables.get(language, {}).get("locale") if language in tables else None
        if language == fallback and own_locale is None:
            own_locale = tables.get(fallback, {}).get("locale")
        self.locale: Locale = locale_of(str(own_locale or language))
        self._tables = tables

    # words

    def in_zone(self, tz: tzinfo | None) -> "Phrases":
        """These phrases with times on the clock of `tz` (a meeting's, an event's own zone)
        rather than the site's; the site's when `tz` is None."""
        if tz is None:
            return self
        other = copy.copy(self)
        other.tz = tz
        return other

    def __call__(self, key: str, **values: Any) -> str:
        text = self._lookup(key)
        if isinstance(text, dict):
            text = self._choose(text, values.get("count"))
        if not values:
            return str(text)
        shown = {name: self.number(value) if _is_number(value) else value
                 for name, value in values.items()}
        return str(text).format(**shown)

    def forms(self, key: str) -> dict[str, str]:
        """A phrase's plural forms by category, for a script that counts
        (assets/js/search.js picks one with Intl.PluralRules): {"other": text} for a
        phrase of one form."""
        text = self._lookup(key)
        if isinstance(text, dict):
            return {str(category): str(form) for category, form in text.items()}
        return {"other": str(text)}

    def plural(self, count: int | float) -> str:
        """The CLDR plural category of `count` in the language: "one", "few", "other"…"""
        return self.locale.plural_form(abs(count))

    @property
    def direction(self) -> str:
        """The direction the language is written in: "rtl" (Arabic, Hebrew, Persian,
        Urdu…) or "ltr", for <html dir>."""
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    def check(self, problems: Problems) -> None:
        """Warns once per phrase that the language's file lacks and the default
        language's gives (the page shows that one), naming the file and the key.
        A language with no file at all is one warning, where site.yaml names it."""
        if self.own is None or self.own == self.fallback:
            return
        own = self._tables[self.own]
        fallback = self._tables.get(self.fallback, {})
        for key in fallback:
            if key not in own and key not in SETTINGS:
                problems.warning(f"data/i18n/{self.own}.yaml", None,
                                 f"no phrase '{key}'; the pages show the one of "
                                 f"data/i18n/{self.fallback}.yaml until it is translated")

    def _lookup(self, key: str) -> Any:
        try:
            return self.table[key]
        except KeyError:
            files = dict.fromkeys((self.language, self.fallback))
            raise MissingPhrase(f"no phrase '{key}' in " + " nor in ".join(
                f"data/i18n/{code}.yaml" for code in files)) from None

    def _choose(self, forms: dict[str, Any], count: Any) -> Any:
        if _is_number(count):
            found = forms.get(self.plural(count))
            if found is not None:
                return found
        return forms.get("other", next(iter(forms.values()), ""))

    # numbers

    def number(self, value: int | float | None) -> str:
        """A number with the language's separators: "1,234" in English, "1 234" in French."""
        if value is None:
            return ""
        return format_decimal(value, locale=self.locale)

    # dates and times

    def date(self, value: date | datetime | None) -> str:
        """A date as readers of the language write it: "14 May 2025", "14. Mai 2025"."""
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.astimezone(self.tz)
        return format_date(_day(value), "long", locale=self.locale)

    def day_month(self, value: date) -> str:
        """A date without its year, for the first date of a range: "30 March"."""
        return format_skeleton("MMMMd", _day(value), locale=self.locale)

    def time(self, value: date | datetime | None) -> str:
        """The time of day in the site's time zone: "17:00 CET" (empty for a date)."""
        if not isinstance(value, datetime):
            return ""
        local = value.astimezone(self.tz)
        return f"{self._clock(local)} {_zone(local)}".strip()

    def datetime(self, value: date | datetime | None) -> str:
        """A date with its time in the site's time zone: "10 March 2027, 09:30 CET"."""
        if not isinstance(value, datetime):
            return self.date(value)
        local = value.astimezone(self.tz)
        return f"{self._join(self.date(local), self._clock(local))} {_zone(local)}".strip()

    def range(self, start: date | datetime, end: date | datetime | None = None) -> str:
        """When something takes place, month and year said once: "10–11 March 2027",
        "30 March – 2 April 2027", "10 March 2027, 09:30–17:00 CET". No line breaks
        inside a date: its spaces are non-breaking, and nothing breaks at a dash
        between two days."""
        timed = isinstance(start, datetime)
        if isinstance(start, datetime):
            start = start.astimezone(self.tz)
            end = end.astimezone(self.tz) if isinstance(end, datetime) else end
        first, last = _day(start), _day(end) if end is not None else None
        if last is None or (last == first and not timed):
            return _keep(self.datetime(start) if timed else self.date(start))
        if isinstance(start, datetime) and isinstance(end, datetime):
            zone = _zone(start)
            if last == first:
                return _keep(f"{self._join(self.date(first), self._clock_span(start, end))} "
                             f"{zone}".strip())
            begins = self._join(self.day_month(first) if first.year == last.year
                                else self.date(first), self._clock(start))
            ends = f"{self._join(self.date(last), self._clock(end))} {_zone(end)}".strip()
            return " – ".join((_keep(begins), _keep(ends)))
        return self._date_span(first, last)

    def _date_span(self, first: date, last: date) -> str:
        differs = ("y" if first.year != last.year else "M" if first.month != last.month
                   else "d")
        patterns = self._interval(differs)
        if patterns is None:
            return " – ".join((_keep(self.date(first)), _keep(self.date(last))))
        begins = format_date(first, patterns[0], locale=self.locale).rstrip(_SEPARATOR)
        ends = format_date(last, patterns[1], locale=self.locale).lstrip(_SEPARATOR)
        if differs == "d":
            return _keep(f"{begins}–{ends}")
        return " – ".join((_keep(begins), _keep(ends)))

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
            number = self.number(round(value))
        else:  # one decimal, with the language's separator (Babel)
            number = format_decimal(value, format="0.0", locale=self.locale)
        default = ("{size} B", "{size} kB", "{size} MB", "{size} GB")[unit]
        return _keep(str(self.table.get(units[unit], default)).format(size=number))


    def _interval(self, differs: str) -> tuple[str, str] | None:
        """CLDR's two halves of a date range that differs first in `differs` (y, M or d),
        with the months spelled out and the days as the long date writes them."""
        formats = self.locale.interval_formats
        for skeleton in ("yMMMMd", "yMMMd"):
            parts = formats.get(skeleton, {}).get(differs) if skeleton in formats else None
            if parts and len(parts) == 2:
                break
        else:
            return None
        long_form = str(getattr(self.locale.date_formats["long"], "pattern",
                                self.locale.date_formats["long"]))
        days = "dd" in _QUOTED.sub("", long_form)
        return (self._widen(str(getattr(parts[0], "pattern", parts[0])), days),
                self._widen(str(getattr(parts[1], "pattern", parts[1])), days))

    @staticmethod
    def _widen(pattern: str, two_digit_days: bool) -> str:
        """An abbreviated month (MMM) spelled out (MMMM), outside quoted text."""
        pieces = _QUOTED.split(pattern)
        for number, piece in enumerate(pieces):
            if number % 2 == 0:
                piece = re.sub(r"(?<![ML])([ML])\1\1(?![ML])", r"\1\1\1\1", piece)
                if not two_digit_days:
                    piece = re.sub(r"(?<!d)dd(?!d)", "d", piece)
                pieces[number] = piece
        return "".join(pieces)

    def _time_pattern(self) -> str:
        short = self.locale.time_formats["short"]
        return str(getattr(short, "pattern", short))

    def _clock(self, local: datetime) -> str:
        return format_time(local, self._time_pattern(), tzinfo=local.tzinfo,
                           locale=self.locale)

    def _clock_span(self, start: datetime, end: datetime) -> str:
        skeleton = "hm" if "h" in _QUOTED.sub("", self._time_pattern()) else "Hm"
        return format_interval(start, end, skeleton, tzinfo=start.tzinfo, locale=self.locale)

    def _join(self, day: str, clock: str) -> str:
        """A date and a time as the language joins them: "10 March 2027, 09:30"."""
        pattern = str(self.locale.datetime_formats.get("medium", "{1}, {0}"))
        return pattern.replace("{1}", day).replace("{0}", clock).replace("'", "")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)

