"""Language codes: the BCP 47 tags (`en`, `fr`, `pt-BR`, `sr-Latn`) that CLDR, through Babel,
has data for, and a suggestion for the ones editors write instead ("eng", "english", "fr-FRA").

A leaf of wgsite/content: it imports nothing of wgsite, so site settings, phrase files and
the render stage all check codes the same way.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.localedata import locale_identifiers

_TAG = re.compile(r"^(?P<language>[a-z]{2,3})(?:-(?P<script>[a-z]{4}))?"
                  r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?$", re.IGNORECASE)
EXAMPLES = "en, fr, pt-BR or sr-Latn"


def check_language(code: object) -> tuple[str, str | None]:
    """(the code normalised, None) for a code CLDR knows: "pt-br" -> "pt-BR";
    (the code as written, a message with a suggestion) for one it does not."""
    text = str(code).strip()
    found = _TAG.match(text)
    if found:
        language = found["language"].lower()
        script = (found["script"] or "").title()
        region = (found["region"] or "").upper()
        tag = "-".join(part for part in (language, script, region) if part)
        alias = _LANGUAGE_ALIASES().get(language)
        if alias is None and _known(tag):
            return tag, None
    suggestion = suggest_language(text)
    hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
    return text, (f"'{text}' is not a language code that wgsite knows{hint}; write a BCP 47 "
                  f"code such as {EXAMPLES}")


def locale_of(code: str) -> Locale:
    """Babel's Locale for a code that check_language accepted (its CLDR data)."""
    return _locale(code)


@lru_cache(maxsize=None)
def language_name(code: str, in_language: str = "en", title: bool = False) -> str:
    """The language's name, in English by default: "pt-BR" -> "Portuguese (Brazil)";
    `title` capitalises it as at the start of a line or in a menu ("Français")."""
    try:
        name = _locale(code).get_display_name(_locale(in_language)) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if title else name


def direction(code: str) -> str:
    """"rtl" for a language written right to left (Arabic, Hebrew, Persian, Urdu), else
    "ltr": what <html dir> says."""
    try:
        return "rtl" if _locale(code).character_order == "right-to-left" else "ltr"
    except (ValueError, UnknownLocaleError):
        return "ltr"


def suggest_language(text: str) -> str | None:
    """The known code an editor most likely meant, or None."""
    words = re.split(r"[-_\s]+", text.strip())
    lowered = text.strip().lower()
    if not words or not words[0]:
        return None
    language = words[0].lower()
    language = _LANGUAGE_ALIASES().get(language, language)
    if language not in _LANGUAGES():
        language = _NAMES().get(lowered) or _NAMES().get(language) or ""
        if language and lowered in _NAMES():
            return language
    if language in _LANGUAGES():
        rest = [w for w in words[1:] if w]
        script = next((w.title() for w in rest if len(w) == 4 and w.isalpha()), "")
        region = next((w for w in rest if len(w) != 4), "")
        if region:
            aliases = get_global("territory_aliases").get(region.upper())
            region = (aliases[0] if aliases else region).upper()
        for parts in ((language, script, region), (language, script), (language, region),
                      (language,)):
            tag = "-".join(part for part in parts if part)
            if _known(tag):
                return tag
    close = difflib.get_close_matches(lowered, [c.lower() for c in _CODES()], n=1, cutoff=0.75)
    if close:
        return next(c for c in _CODES() if c.lower() == close[0])
    close = difflib.get_close_matches(lowered, list(_NAMES()), n=1, cutoff=0.75)
    return _NAMES()[close[0]] if close else None


@lru_cache(maxsize=None)
def _locale(code: str) -> Locale:
    return Locale.parse(code, sep="-")


@lru_cache(maxsize=None)
def _known(tag: str) -> bool:
    try:
        locale = _locale(tag)
    except (ValueError, UnknownLocaleError):
        return False
    # Babel fills in likely subtags ("sr" -> "sr_Cyrl_RS"); the tag must not be rewritten
    # to another language by an alias ("iw" -> "he").
    return locale.language == tag.split("-")[0]


@lru_cache(maxsize=None)
def _CODES() -> tuple[str, ...]:
    return tuple(identifier.replace("_", "-") for identifier in locale_identifiers()
                 if identifier != "root")


@lru_cache(maxsize=None)
def _LANGUAGES() -> frozenset[str]:
    return frozenset(code.split("-")[0] for code in _CODES())


@lru_cache(maxsize=None)
def _LANGUAGE_ALIASES() -> dict[str, str]:
    """Three-letter and retired codes CLDR maps to the two-letter one: "eng" -> "en"."""
    aliases = {}
    for alias, target in get_global("language_aliases").items():
        if "_" not in alias and target and "_" not in target and alias != target:
            aliases[alias.lower()] = target
    return aliases


@lru_cache(maxsize=None)
def _NAMES() -> dict[str, str]:
    """Language names, in English and in the language itself, to codes: "english" -> "en"."""
    names: dict[str, str] = {}
    english = _locale("en").languages
    for code in sorted(_LANGUAGES()):
        for name in (english.get(code), _own_name(code)):
            if name:
                names.setdefault(name.lower(), code)
    return names


def _own_name(code: str) -> str | None:
    try:
        return _locale(code).get_display_name(code)
    except (ValueError, UnknownLocaleError):
        return None
