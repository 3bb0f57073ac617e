"""Rendering only the pages an edit can change, found by what each page read.

A page is a pure function of its template files, the interface phrases, the
assets' names, the build's options and wgsite's code (together: the global
key), and of the values its template read. Templates reach values only
through Jinja's attribute and item lookups, so `TrackingEnvironment` notes
each (object, attribute) a page looks up on a record (a news item, a group,
the site, a list page...). After the page is rendered, each such lookup is
kept with a digest of the value it gave: plain values by their contents,
records inside them by identity (their own attributes are lookups of their
own). The next build renders a page again unless its global key, its record
and every lookup it made give the same digests now; then the page's bytes
are taken from the previous output, after checking them against their hash.

Anything the digest cannot describe (a function, an object of unknown
shape) makes the page uncacheable: it is rendered every time. Nothing here
is trusted that the build would not re-derive: a missing, damaged or foreign
memo only means rendering.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from array import array
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Iterable, Iterator

import jinja2
from markupsafe import Markup

from wgsite.content import records as r
from wgsite.incremental.session import Session
from wgsite.incremental.cache import ENGINE
from wgsite.writer import write_atomically

_VERSION = 1
# Records that templates look up attributes on, and the attribute naming each one.
_KEYED: dict[type, str] = {
    r.Record: "url", r.WorkingGroup: "url", r.NewsItem: "url", r.Project: "url",
    r.Event: "url", r.Organisation: "url", r.Priority: "url", r.Tag: "url",
    r.ListPage: "url", r.ActionType: "id", r.Site: "",
}
_UNKNOWN = object()  # a value the digest cannot describe
# Lookups no page refers to that a memo may carry before save() drops them: a quarter
# of them, and this many more (see RenderMemo._compact)
SPARE_LOOKUPS = 1000


class TrackingEnvironment(jinja2.Environment):
    """A Jinja environment that tells the current recorder every lookup on a record."""

    recorder: "set[tuple[int, str]] | None" = None
    seen: dict[int, Any]

    def getattr(self, obj: Any, attribute: str) -> Any:
        # every attribute a template reads comes here (half a million at 1,000 posts), so
        # this is jinja2.Environment.getattr written out rather than called
        if self.recorder is not None and type(obj) in _KEYED:
            self.recorder.add((id(obj), attribute))
            self.seen[id(obj)] = obj
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if self.recorder is not None and type(obj) in _KEYED and isinstance(argument, str):
            self.recorder.add((id(obj), argument))
            self.seen[id(obj)] = obj
        return super().getitem(obj, argument)


def global_key(*parts: Any, files: Iterable[Path]) -> str:
    """What every page depends on besides its lookups: `parts` and the bytes of `files`
    (folders or files). Each file is named by its place in `files` and its path inside
    that folder, never by where the site is: a copy of the site in another folder (a CI
    build of a fresh clone) has the same key."""
    hashed = hashlib.sha256(json.dumps([ENGINE, *parts], sort_keys=True, default=str).encode())
    for number, folder in enumerate(files):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else [folder]:
            if path.is_file():
                name = f"{number}:{path.relative_to(folder).as_posix()}"
                hashed.update(name.encode("utf-8", "surrogateescape") + b"\0")
                hashed.update(hashlib.sha256(path.read_bytes()).digest())
    return hashed.hexdigest()


def reachable(roots: Iterable[Any]) -> Iterator[Any]:
    """Every dataclass instance reachable from `roots` through fields, lists, tuples and
    dicts, each once: the records a page may reach."""
    pending = list(roots)
    visited: set[int] = set()
    while pending:
        value = pending.pop()
        kind = type(value)
        if kind in _ATOMS or id(value) in visited:
            continue
        visited.add(id(value))
        if isinstance(value, (list, tuple)):
            pending.extend(value)
        elif isinstance(value, dict):
            pending.extend(value.values())
        elif (names := _field_names(kind)) is not None:  # a dataclass instance
            yield value
            pending.extend(getattr(value, name) for name in names)


def key_of(obj: Any) -> str | None:
    """A record's identity across builds: its type and URL (or id); None for other values."""
    attribute = _KEYED.get(type(obj))
    if attribute is None:
        return None
    return f"{type(obj).__name__}:{getattr(obj, attribute)}" if attribute else "Site"


# Values with no record inside: `index` does not look into them
_ATOMS = frozenset({str, Markup, int, float, bool, type(None), date, datetime, time})
_FIELDS: dict[type, "tuple[str, ...] | None"] = {}  # a dataclass's field names, by its type


def _field_names(kind: type) -> "tuple[str, ...] | None":
    """The field names of a dataclass type (None for any other type), looked up once:
    dataclasses.fields builds its answer anew on every call."""
    names = _FIELDS.get(kind, _UNKNOWN)
    if names is _UNKNOWN:
        names = (tuple(field.name for field in dataclasses.fields(kind))
                 if dataclasses.is_dataclass(kind) else None)
        _FIELDS[kind] = names
    return names  # type: ignore[return-value]


def _describe(value: Any, out: list[str], depth: int = 0) -> bool:
    """Append a description of `value` to `out`; False when it cannot be described."""
    if depth > 50:
        return False
    kind = type(value)
    if kind is str:  # the most common values first, by their exact type
        out.append("S" + str(len(value)) + ":" + value)
    elif kind is Markup:
        out.append("M" + str(len(value)) + ":" + value)
    elif value is None or isinstance(value, (bool, int, float)):
        out.append(repr(value))
    elif isinstance(value, str):  # Markup too: its text is its value
        out.append(("M" if isinstance(value, Markup) else "S") + str(len(value)) + ":" + value)
    elif isinstance(value, (datetime, date, time)):
        out.append(type(value).__name__ + ":" + value.isoformat()
                   + ":" + str(getattr(value, "tzinfo", "")))
    elif isinstance(value, jinja2.Undefined):
        out.append("undefined")
    elif type(value) in _KEYED:
        out.append("@" + str(key_of(value)))
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for item in value:
            if not _describe(item, out, depth + 1):
                return False
            out.append(",")
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        for name in sorted(value, key=str):
            out.append(repr(name) + "=")
            if not _describe(value[name], out, depth + 1):
                return False
            out.append(",")
        out.append("}")
    elif (names := _field_names(kind)) is not None:  # a dataclass instance
        out.append(kind.__name__ + "(")
        for name in names:
            out.append(name + "=")
            if not _describe(getattr(value, name), out, depth + 1):
                return False
            out.append(",")
        out.append(")")
    else:
        return False
    return True


def digest(value: Any) -> str | None:
    """A short hash of a value as a template sees it; None when it cannot be described."""
    parts: list[str] = []
    if not _describe(value, parts):
        return None
    return hashlib.sha256("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


class RenderMemo:
    """What each page of the last build read, and the hash of the bytes it made."""

    def __init__(self, place: Path, out: Path, global_key: str, env: TrackingEnvironment,
                 kept: Session | None = None):
        """`kept`: serve's Session, which holds the last memo and pages in memory."""
        self.place, self.out, self.global_key, self.env = place, out, global_key, env
        self.kept = kept
        env.seen = {}
        self._old_pages: dict[str, dict[str, Any]] = {}
        self._old_lookups: list[tuple[str, str, str | None]] = []
        self._load()
        self._objects: dict[str, Any] | None = None
        self._now: dict[tuple[str, str], str | None] = {}  # (key, attribute) -> digest
        self._still: dict[int, bool] = {}  # old lookup number -> gives the same digest now
        self._checked: dict[str, tuple[Any, Any, str, dict[str, Any] | None]] = {}
        self._pages: dict[str, dict[str, Any]] = {}
        # The lookups by number, and each lookup's number: they start as the last memo's,
        # so that a page kept from it keeps its numbers as they are (a thousand pages of a
        # hundred lookups each are not numbered again on every edit); see save
        self._ordered: list[tuple[str, str, str | None]] = list(self._old_lookups)
        self._lookups: dict[tuple[str, str, str | None], int] = {
            lookup: number for number, lookup in enumerate(self._ordered)}
        self.reused = 0
        self._changed: list[Any] | None = None  # see only_changed
        self._trusted: set[str] | None = None

    def _load(self) -> None:
        remembered = self.kept.memos.get(str(self.place)) if self.kept is not None else None
        if remembered is not None:  # as save() left it, in this process
            if remembered["global"] == self.global_key:
                self._old_lookups, self._old_pages = remembered["lookups"], remembered["pages"]
            return
        try:
            data = json.loads(self.place.read_bytes())
            if (data.get("version") != _VERSION or data.get("engine") != ENGINE
                    or data.get("global") != self.global_key):
                return
            lookups, pages = data["lookups"], data["pages"]
            if not (isinstance(lookups, list) and isinstance(pages, dict)):
                return
            # Thousands of pages look up the same few names on the same records:
            # one copy of each string, and the numbers packed, keep the memo small.
            self._old_lookups = [(sys.intern(key), sys.intern(attribute), value)
                                 for key, attribute, value in lookups]
            for page in pages.values():
                page["lookups"] = array("I", page["lookups"])
            self._old_pages = pages
        except (OSError, ValueError, TypeError, KeyError, AttributeError, OverflowError):
            self._old_lookups, self._old_pages = [], {}

    def index(self, roots: Iterable[Any]) -> None:
        """Every record reachable from `roots` by its key; a key seen twice is ambiguous.
        After only_changed, the roots of the last index in this process are the same site
        with the same records: that index holds."""
        roots = list(roots)
        known = self.kept.indexes.get(str(self.place)) if self.kept is not None else None
        if self._changed is not None and known is not None and roots \
                and known[0] is roots[0]:
            self._objects = known[1]
            return
        objects: dict[str, Any] = {}
        for value in reachable(roots):
            key = key_of(value)
            if key is not None:
                objects[key] = value if objects.get(key, value) is value else _UNKNOWN
        self._objects = objects
        if self.kept is not None and roots:
            self.kept.indexes[str(self.place)] = (roots[0], objects)

    def _digest_now(self, key: str, attribute: str, obj: Any = None) -> str | None:
        """The digest of a lookup in this build (memoised: many pages make the same one)."""
        found = self._now.get((key, attribute), _UNKNOWN)
        if found is not _UNKNOWN:
            return found  # type: ignore[return-value]
        if obj is None:
            obj = (self._objects or {}).get(key, _UNKNOWN)
        value = _UNKNOWN if obj is _UNKNOWN else jinja2.Environment.getattr(self.env, obj,
                                                                             attribute)
        result = None if value is _UNKNOWN else digest(value)
        self._now[(key, attribute)] = result
        return result

    def _unchanged(self, output: str, page: Any, template: str, breadcrumbs: Any
                   ) -> dict[str, Any] | None:
        """The page's entry in the last memo, if nothing it read has changed since (asked
        twice of a page when `fresh` asked first: the answer is kept)."""
        checked = self._checked.get(output)
        if checked is not None and checked[0] is page and checked[1] is breadcrumbs \
                and checked[2] == template:
            return checked[3]
        found = self._compare(output, page, template, breadcrumbs)
        self._checked[output] = (page, breadcrumbs, template, found)
        return found

    def only_changed(self, records: Iterable[Any]) -> None:
        """Told that since the last memo nothing a page reads has changed but values on
        `records`, and that the routes are the last build's own (serve's rebuild of page
        bodies alone, commands.body_edit): a page is then kept unless it looked up on one of
        them a value whose digest is different now, without comparing its other lookups."""
        self._changed, self._trusted = list(records), None

    def _trust(self) -> set[str]:
        """The pages of the last memo that read no value of the changed records that is
        different now (see only_changed)."""
        if self._trusted is None:
            keys = {key_of(record) for record in self._changed or ()}
            changed = {number for number, (key, attribute, was) in enumerate(self._old_lookups)
                        if key in keys and (was is None or self._digest_now(key, attribute) != was)}
            self._trusted = {output for output, page in self._old_pages.items()
                             if changed.isdisjoint(page.get("lookups", ()))}
        return self._trusted

    def _compare(self, output: str, page: Any, template: str, breadcrumbs: Any
                 ) -> dict[str, Any] | None:
        old = self._old_pages.get(output)
        if not isinstance(old, dict) or self._objects is None:
            return None
        if self._changed is not None and old.get("page") == key_of(page) \
                and output in self._trust():
            return old  # the same route object as then: its template and crumbs are too
        if (old.get("page") != key_of(page) or old.get("template") != template
                or old.get("crumbs") != digest(breadcrumbs)):
            return None
        for number in old.get("lookups", ()):
            still = self._still.get(number)
            if still is None:
                try:
                    key, attribute, was = self._old_lookups[number]
                    still = was is not None and self._digest_now(key, attribute) == was
                except (IndexError, TypeError, ValueError):
                    still = False
                self._still[number] = still
            if not still:
                return None
        return old

    def fresh(self, output: str, page: Any, template: str, breadcrumbs: Any) -> bool:
        """Whether the page may be kept from the last build, by what it read (no file is
        read: `reuse` still checks the bytes in the output, but a page whose file is gone
        from it, as after `rm -r public`, is rendered again and so is not fresh)."""
        if self._unchanged(output, page, template, breadcrumbs) is None:
            return False
        return (self.kept is not None and output in self.kept.pages) \
            or (self.out / output).is_file()

    def reuse(self, output: str, page: Any, template: str, breadcrumbs: Any) -> bytes | None:
        """The page's bytes from the previous output, if nothing it read has changed."""
        old = self._unchanged(output, page, template, breadcrumbs)
        if old is None:
            return None
        known = self.kept.pages.get(output) if self.kept is not None else None
        if known is not None and known[0] == old.get("sha256"):
            data = known[1]  # the bytes this process made last time (serve writes them back
            # if the file was changed by hand)
        else:
            try:
                data = (self.out / output).read_bytes()
            except OSError:
                return None
            if hashlib.sha256(data).hexdigest() != old.get("sha256"):
                return None  # the output was changed by hand: render it again
            if self.kept is not None:
                self.kept.pages[output] = (old["sha256"], data)
        self._pages[output] = old  # its lookups are numbered as they were (see __init__)
        self.reused += 1
        return data

    def render(self, output: str, page: Any, template: str, breadcrumbs: Any,
               render: Any) -> bytes:
        """Render the page with its lookups recorded; they decide its reuse next time."""
        self.env.recorder, lookups = set(), None
        try:
            data = render()
            lookups = self.env.recorder
        finally:
            self.env.recorder = None
        crumbs = digest(breadcrumbs)
        numbers = array("I")
        for object_id, attribute in sorted(lookups, key=lambda pair: (pair[0], pair[1])):
            obj = self.env.seen[object_id]
            key = key_of(obj)
            value = self._digest_now(key, attribute, obj) if key is not None else None
            if key is None or value is None or (self._objects or {}).get(key) is not obj:
                return data  # a lookup we could not tell again next time: no memo
            numbers.append(self._number((sys.intern(key), sys.intern(attribute), value)))
        if crumbs is None or key_of(page) is None:
            return data
        sha = hashlib.sha256(data).hexdigest()
        self._pages[output] = {"page": key_of(page), "template": template, "crumbs": crumbs,
                               "lookups": numbers, "sha256": sha}
        if self.kept is not None:
            self.kept.pages[output] = (sha, data)
        return data

    def _number(self, lookup: tuple[str, str, str | None]) -> int:
        """The lookup's number in this build's memo (each distinct lookup is kept once)."""
        number = self._lookups.get(lookup)
        if number is None:
            number = self._lookups[lookup] = len(self._ordered)
            self._ordered.append(lookup)
        return number

    def note(self, output: str) -> dict[str, Any] | None:
        """What this memo learnt of one page it rendered, for the memo of the process that
        asked for the page (see render.workers): its entry, lookups spelt out."""
        entry = self._pages.get(output)
        if entry is None:
            return None
        return {**entry, "lookups": [self._ordered[number] for number in entry["lookups"]]}

    def adopt(self, output: str, note: dict[str, Any] | None, data: bytes) -> None:
        """Take a page rendered in another process, with its `note`, as if rendered here."""
        if note is None:  # a page that could not be memoised there
            return
        numbers = array("I", (self._number((sys.intern(key), sys.intern(attribute), value))
                              for key, attribute, value in note["lookups"]))
        self._pages[output] = {**note, "lookups": numbers}
        if self.kept is not None:
            self.kept.pages[output] = (note["sha256"], data)

    def save(self) -> None:
        """Keep the memo for the next build; failing to only costs that build time."""
        self._compact()
        ordered = self._ordered
        if self.kept is not None:
            self.kept.memos[str(self.place)] = {"global": self.global_key, "lookups": ordered,
                                                "pages": self._pages}
            # serve's next build reads the memo from memory: the disk's copy can wait
            pages = self._pages
            self.kept.later(str(self.place), lambda: self._write(ordered, pages))
        else:
            self._write(ordered, self._pages)

    def _write(self, ordered: list[tuple[str, str, str | None]],
               pages: dict[str, dict[str, Any]]) -> None:
        data = {"version": _VERSION, "engine": ENGINE, "global": self.global_key,
                "lookups": [list(entry) for entry in ordered],
                "pages": {output: {**page, "lookups": page["lookups"].tolist()}
                          for output, page in pages.items()}}
        try:
            write_atomically(self.place, json.dumps(data, separators=(",", ":")).encode("utf-8"))
        except OSError:
            pass

    def _compact(self) -> None:
        """Drop the lookups no page refers to any more, once they are many: the numbering
        starts as the last memo's, so each edit leaves the digests it changed behind."""
        used: set[int] = set()
        for page in self._pages.values():
            used.update(page["lookups"])
        if len(self._ordered) - len(used) <= SPARE_LOOKUPS + len(self._ordered) // 4:
            return
        kept = sorted(used)
        renumbered = {old: new for new, old in enumerate(kept)}
        self._ordered = [self._ordered[number] for number in kept]
        self._lookups = {lookup: number for number, lookup in enumerate(self._ordered)}
        self._pages = {output: {**page, "lookups": array("I", (renumbered[number]
                                                              for number in page["lookups"]))}
                       for output, page in self._pages.items()}
