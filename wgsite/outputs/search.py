"""Site search: a Pagefind index of the rendered pages, made with every build.

Pagefind turns the pages into static index files under pagefind/ that the
reader's browser queries, so search needs no server. Only the pages of
records are indexed (groups, news, projects, events, plain pages, priorities,
organisations): list pages would repeat them, and aliases and 404.html are
not pages to find. Only each page's <main> is read, so the header, menu and
footer every page shares do not match every query, and inside it the
templates mark what is not the page's own text (cards, credits, related
lists, labels) with data-pagefind-ignore. Each page carries three filters
(its type, the working groups it belongs to, the years it is dated in; a
document also its document type: minutes, report...) and two fields a result
shows (its type and date).

Those come from the records, so they are added to a copy of the page that
only the indexer sees: the published HTML carries data-pagefind-ignore alone.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import html
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pagefind.service import get_executable

from wgsite.outputs import cbor
from wgsite.outputs.search_layout import SearchLayout
from wgsite.outputs.search_service import SearchService, ServiceFailed, pagefind_environment
from wgsite.problems import BuildFailed
from wgsite.render.phrases import Phrases
from wgsite.render.routes import Route
from wgsite.reuse import ResultCache, content_key
from wgsite.urls import Urls

# Besides every content kind, these records' pages are indexed; the type filter
# names each kind by its phrase search_kind_<kind>.
DATA_KINDS = ("priority", "organisation")

# Pagefind's interfaces (default, modular, web component, highlighting) are not
# published: the search page has its own, on Pagefind's JavaScript API (pagefind.js).
_LEFT_OUT = re.compile(r"pagefind-(ui|component-ui|modular-ui|highlight)\.\w+|playground/.*")

_FILTER = re.compile(r"filter/(?P<name>[^/]+)\.pf_filter")
_META = re.compile(r"pagefind\.(?P<name>[^/]+)\.pf_meta")
_SIGNATURE = b"pagefind_dcd"  # what every index file starts with, once unzipped

_MAIN = re.compile(r"<main\b[^>]*>", re.IGNORECASE)
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
# On the page's bytes made lower case (ASCII alone, so every offset holds), see _left_out
_HEAD_START = re.compile(rb"<head\b[^>]*>")
_HEAD_END = re.compile(rb"</head\s*>")
_KEPT_IN_HEAD = re.compile(rb"<meta\s+charset\b[^>]*>|<title\b.*?</title\s*>", re.DOTALL)
_MAIN_START = re.compile(rb"<main\b[^>]*>")
_BODY_START = re.compile(rb"<body\b[^>]*>")
_MAIN_END = re.compile(rb"</main\s*>")
_BODY_END = re.compile(rb"</body\s*>")
_H1 = re.compile(rb"<h1\b")
_IMG = re.compile(rb"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""")


def start_search(routes: list[Route], files: dict[str, bytes], urls: Urls,
                 phrases: Phrases | dict[str, Phrases], kinds: Iterable[Any] = (),
                 cache: ResultCache | None = None, layout: "SearchLayout | None" = None,
                 service: SearchService | None = None) -> "SearchIndex":
    """Start indexing the site's record pages, all made already; the index is the
    result's `files()`. (A build hands its pages over as it renders them, to a
    SearchFeed; this is for serve's rebuild, which indexes after the reload, with
    the service serve keeps when it has one.)"""
    feed = SearchFeed(phrases, kinds, cache, layout, service)
    for route in routes:
        output = urls.output_file(route.path)
        feed.add(route, output, files[output])
    return feed.index()


class SearchFeed:
    """Pages handed to the indexer one by one, as the build makes them.

    Indexing is a pure function of the pages as the indexer sees them, so the
    index is kept in the cache under a hash of them. Each page is laid out for
    Pagefind as it comes, and dropped from memory; when every page is in,
    `index()` looks in the cache, and on a miss starts Pagefind, which works in
    a process of its own while the build writes the other files.
    """

    def __init__(self, phrases: Phrases | dict[str, Phrases], kinds: Iterable[Any] = (),
                 cache: ResultCache | None = None, layout: "SearchLayout | None" = None,
                 service: SearchService | None = None):
        """`layout`: the folder the pages are kept laid out in between builds (see
        search_layout), so that only the pages that changed are written there again;
        `service`: a long-lived indexer (see search_service) to ask instead of the
        command line."""
        self._kinds = {*(kind.name for kind in kinds), *DATA_KINDS}
        # each page's filters and meta in the words of its own language; Pagefind makes an
        # index per language from each page's <html lang>
        self._phrases = phrases if isinstance(phrases, dict) else {phrases.language: phrases}
        self._default = next(iter(self._phrases.values()))
        self._language = self._default.language if len(self._phrases) == 1 else ""
        self._cache = cache
        self._layout = layout
        self._service = service
        self._hashes: list[tuple[str, str]] = []
        self._indexer: _Indexer | None = None
        self._index: SearchIndex | None = None

    def _markup(self, route: Route, data: bytes) -> str | None:
        """The page as the indexer reads it, or None when it is no page to find."""
        kind = getattr(route.page, "kind", "")
        if kind not in self._kinds or route.template == "alias.html":
            return None
        words = self._phrases.get(route.language, self._default)
        return _for_indexer(_left_out(data).decode("utf-8"), _filters(route.page, words),
                            _other_names(route.page), _meta(route.page, words))

    def _key(self, hashes: list[tuple[str, str]]) -> str:
        return content_key("search", self._language, hashes)

    def add(self, route: Route, output: str, data: bytes) -> None:
        """One page as the build made it; ignored unless it is a page to find."""
        markup = self._markup(route, data)
        if markup is None:
            return
        encoded = markup.encode("utf-8")
        digest = hashlib.sha256(encoded).hexdigest()
        self._hashes.append((output, digest))
        if self._indexer is None:
            self._indexer = _Indexer(self._language, self._layout, self._service)
        self._indexer.add(output, encoded, digest)

    def index(self) -> "SearchIndex":
        """The index of the pages added: from the cache, or being finished by Pagefind.
        Once every page is in, the build asks for it as soon as it can, so that Pagefind
        starts before the feeds and the rest are made; asking again gives the same."""
        if self._index is not None:
            return self._index
        key = self._key(self._hashes)
        kept = _from_cache(self._cache.get(key)) if self._cache is not None else None
        if kept is not None:
            self._drop_pages()  # Pagefind never starts
            self._index = SearchIndex(kept)
            return self._index
        indexer, self._indexer = self._indexer or _Indexer(self._language, self._layout,
                                                           self._service), None
        self._index = SearchIndex(None, indexer, self._cache, key)
        indexer.start()
        return self._index

    def cancel(self) -> None:
        """Stop Pagefind if it started, and drop the pages laid out for it (the build
        failed or was interrupted)."""
        if self._index is not None:
            self._index.cancel()
        self._drop_pages()

    def _drop_pages(self) -> None:
        if self._indexer is not None:
            self._indexer.cancel()
            self._indexer = None


class SearchIndex:
    """A search index: at hand (from the cache), or being made by Pagefind."""

    def __init__(self, ready: dict[str, bytes] | None, indexer: "_Indexer | None" = None,
                 cache: ResultCache | None = None, key: str = ""):
        self._ready, self._indexer, self._cache, self._key = ready, indexer, cache, key

    def files(self) -> dict[str, bytes]:
        """The index's files; waits for the indexer the first time if it is still running."""
        if self._ready is None:
            assert self._indexer is not None
            self._ready = self._indexer.finish()
            if self._cache is not None:
                self._cache.put(self._key, {path: base64.b64encode(data).decode("ascii")
                                            for path, data in self._ready.items()})
                self._cache.prune(spare=3)  # the indexes of a few other states of the site
        return self._ready

    def cancel(self) -> None:
        """Stop an indexer still running (the build failed or was interrupted)."""
        if self._indexer is not None and self._ready is None:
            self._indexer.cancel()


def _from_cache(value: Any) -> dict[str, bytes] | None:
    """A cached index as SearchIndex writes it; anything else is not trusted."""
    if not isinstance(value, dict) or "pagefind/pagefind-entry.json" not in value:
        return None
    try:
        return {path: base64.b64decode(data, validate=True) for path, data in value.items()
                if isinstance(path, str) and path.startswith("pagefind/")
                and ".." not in path.split("/")}
    except (TypeError, ValueError):
        return None


def _dates(page: Any) -> tuple[Any, Any]:
    """When a page is about: an event's start and end, a project's, an item's date."""
    if page.kind in ("event", "project"):
        return page.start, page.end
    return getattr(page, "date", None), None


def _year(value: Any) -> int | None:
    """The year of a date, or of a project's "2019" or "2019-10"."""
    if value is None:
        return None
    if hasattr(value, "year"):
        return value.year
    digits = str(value)[:4]
    return int(digits) if digits.isdigit() else None


def _years(page: Any) -> list[str]:
    """The years a page is dated in: a project's or a long event's span, else one."""
    start, end = (_year(value) for value in _dates(page))
    if start is None:
        return [str(end)] if end is not None else []
    return [str(year) for year in range(start, max(start, end or start) + 1)]


def _meta(page: Any, phrases: Phrases) -> dict[str, str]:
    """What a result shows besides its title: the page's type and its date."""
    meta = {"type": phrases(page.type_phrase if page.kind == "document"
                            else f"search_kind_{page.kind}")}
    start, end = _dates(page)
    shown = [phrases.date(value) if hasattr(value, "year") else str(value)
             for value in (start, end) if value is not None]
    if shown:
        meta["date"] = " – ".join(dict.fromkeys(shown))
    return meta


def _filters(page: Any, phrases: Phrases) -> dict[str, list[str]]:
    """The filters of one page: its type, the titles of its working groups, its years."""
    if page.kind == "working_group":
        groups = [page]
    elif page.kind == "priority":
        groups = [served.group for served in page.groups]
    elif page.kind == "organisation":
        groups = page.leads + page.cooperates_in + page.member_of + page.chairs_in
    else:
        groups = getattr(page, "working_groups", [])
    titles = list(dict.fromkeys(group.title for group in groups))
    filters = {phrases("search_filter_type"): [phrases(f"search_kind_{page.kind}")],
               phrases("search_filter_group"): titles,
               phrases("search_filter_year"): _years(page)}
    if page.kind == "document":  # minutes, reports, position papers...
        filters[phrases("search_filter_document_type")] = [phrases(page.type_phrase)]
    return filters


def _other_names(page: Any) -> list[str]:
    """Names a page goes by besides its title (VENHANS, EVTA): they rank like its title."""
    names = [getattr(page, "acronym", ""), getattr(page, "short_name", "")]
    return [name for name in names if name and name.casefold() not in page.title.casefold()]


def _for_indexer(markup: str, filters: dict[str, list[str]], names: list[str],
                 meta: dict[str, str]) -> str | None:
    """The page as the indexer reads it: <main> marked as the text, filters and meta
    inside it, and what Pagefind would only skip over left out (see `_left_out`). (What
    inside <main> is furniture rather than the page's own text, the templates mark with
    data-pagefind-ignore.)"""
    opening = _MAIN.search(markup) or _BODY.search(markup)
    if opening is None:
        return None
    tags = "".join(
        f'<span data-pagefind-filter="{html.escape(name)}[data-value]" '
        f'data-value="{html.escape(value)}"></span>'
        for name, values in filters.items() for value in values)
    tags += "".join(
        f'<span data-pagefind-meta="{name}[data-value]" data-value="{html.escape(value)}">'
        f'</span>' for name, value in meta.items())
    if names:
        tags += f'<p data-pagefind-weight="10">{html.escape(" ".join(names))}</p>'
    start, end = opening.span()
    tag = markup[start:end]
    marked = tag[:-1].rstrip("/").rstrip() + " data-pagefind-body>"
    return markup[:start] + marked + tags + markup[end:]


def _left_out(page: bytes) -> bytes:
    """The page without what Pagefind reads only to skip: with <main> as the part it
    indexes, the header, menu, breadcrumbs and footer around it but their <img> tags,
    and in <head> everything but the charset and <title> (the result's title when the
    page has no <h1>). Pagefind takes nothing else from them: when they hold one of its
    data-pagefind- attributes or an <h1>, they are kept whole (see _read_outside), so the
    fragments, filters and meta are those of the whole page, the image included (the
    first <img> after the title, which may be a logo in the footer). About a third of a
    news page, and a seventh of Pagefind's CPU."""
    low = page.lower()  # tags and attribute names in any case; bytes.lower() keeps offsets
    parts: list[bytes] = []
    at = 0
    head = _HEAD_START.search(low)
    head_end = _HEAD_END.search(low, head.end()) if head is not None else None
    if head is not None and head_end is not None \
            and not _read_outside(low, head.end(), head_end.start(), images=True):
        parts += [page[:head.end()], *(page[slice(*found.span())] for found
                                       in _KEPT_IN_HEAD.finditer(low, head.end(),
                                                                 head_end.start()))]
        at = head_end.start()
    body = _BODY_START.search(low, at)
    main = _MAIN_START.search(low, body.end()) if body is not None else None
    main_end = low.rfind(b"</main")
    ends = _MAIN_END.match(low, main_end) if main is not None and main_end > main.end() else None
    body_end = _BODY_END.search(low, ends.end()) if ends is not None else None
    if body is None or main is None or ends is None or body_end is None \
            or _read_outside(low, body.end(), main.start()) \
            or _read_outside(low, ends.end(), body_end.start()):
        return b"\n".join([*parts, page[at:]])
    return b"\n".join([*parts, page[at:body.end()],
                       *(page[slice(*found.span())]
                         for found in _IMG.finditer(low, body.end(), main.start())),
                       page[main.start():ends.end()],
                       *(page[slice(*found.span())]
                         for found in _IMG.finditer(low, ends.end(), body_end.start())),
                       page[body_end.start():]])


def _read_outside(low: bytes, start: int, end: int, images: bool = False) -> bool:
    """Whether Pagefind takes something from low[start:end], a part it does not index:
    one of its own attributes (filters, meta, sort...), an <h1> (the result's title)
    or, when `images`, an <img> (the first after the title is the result's image;
    elsewhere the <img> tags are kept, see _left_out)."""
    return (low.find(b"data-pagefind", start, end) >= 0
            or _H1.search(low, start, end) is not None
            or (images and _IMG.search(low, start, end) is not None))


class _Indexer:
    """Pagefind's command line on pages laid out in a folder as they come.

    Each page is written there as the build hands it over (unless the folder,
    a SearchLayout kept from the last build, holds it already), so no second
    copy of the site is held in memory; `start` runs Pagefind once they are
    all in. Pagefind's bundle goes next to the pages, and is removed after
    every run.
    The command line comes from the same package as Pagefind's Python API: 0.04 s
    for the example site, where the Python API takes 0.34 s, as it reads each
    answer of its indexing service after a 0.1 s sleep. (For a whole site its
    service, spoken to directly, is no faster: at 1,000 pages reading the folder
    took 0.9 s and handing over the files 1.3 s more. serve keeps one running,
    search_service.SearchService, to which a rebuild re-adds only the pages that
    changed.) The pages are laid out as
    in the output folder, so the index holds site paths (/news/x/) whatever the
    base path: the search page gives Pagefind the base path as its `baseUrl`,
    which it puts in front of every result URL. (Left to itself, Pagefind
    guesses that base from the bundle's path, /wg/pagefind/ -> /wg/, so an index
    whose URLs carried the base path already led to /wg/wg/news/x/.) The
    folder is also the working directory, so no pagefind.yml of the user's
    applies. It is kept in the site's cache, or is in the system's temporary
    folder (TMPDIR) while another build uses the kept one; here, a folder in
    memory was about a tenth faster than one on disk.
    """

    def __init__(self, language: str, layout: "SearchLayout | None" = None,
                 service: "SearchService | None" = None):
        """`language` forces one index for a site in one language; "" lets Pagefind make
        one per language, from each page's <html lang>. `layout`: pages laid out by
        earlier builds, brought up to date page by page (else a new folder). `service`:
        a Pagefind service kept from earlier builds (serve's), which re-indexes only the
        pages that changed; the command line is the fallback when it fails."""
        self._language = language
        self._waiting = self._cancelled = False
        self._process: subprocess.Popen | None = None
        self._layout = layout if layout is not None else SearchLayout()
        self._own = layout is None  # a folder of its own, removed when done
        self._layout.begin()
        self._root = self._layout.root
        self._service = service
        self._digests: dict[str, str] = {}  # output file -> SHA-256 of its markup
        self._site: Path | None = None

    def add(self, output: str, markup: bytes, digest: str) -> None:
        self._layout.add(output, markup, digest)
        self._digests[output] = digest

    def start(self) -> None:
        """Run Pagefind over the pages added; `finish` waits for it. (With a service,
        `finish` asks it: the thread that waits is the one that works.)"""
        self._site = self._layout.end()  # the pages of this build, and only those
        if self._service is None:
            self._run_command_line()

    def _run_command_line(self) -> None:
        assert self._site is not None
        site = self._site
        shutil.rmtree(self._root / "bundle", ignore_errors=True)  # an earlier run's
        language = ["--force-language", self._language] if self._language else []
        try:
            self._process = subprocess.Popen(
                [str(_executable()), "--site", str(site), "--output-path",
                 str(self._root / "bundle"), *language, "--silent"],
                cwd=self._root, env=pagefind_environment(), stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True)
        except BaseException:
            self._done()
            raise

    def finish(self) -> dict[str, bytes]:
        assert self._site is not None, "start() first"
        self._waiting = True
        if self._service is not None and not self._cancelled:
            try:
                bundle = self._service.index(self._site, self._digests, self._language)
            except ServiceFailed:
                if self._cancelled:
                    self._done()
                    raise SearchCancelled("the index was no longer wanted") from None
                self._run_command_line()  # what the service could not do
            else:
                self._done()
                if self._cancelled:  # while the service was being asked
                    raise SearchCancelled("the index was no longer wanted")
                return self._published(bundle)
        if self._process is None:  # cancelled before it ran
            self._done()
            raise SearchCancelled("the index was no longer wanted")
        try:
            _, errors = self._process.communicate()
            if self._cancelled:
                raise SearchCancelled("the index was no longer wanted")
            if self._process.returncode != 0:
                raise RuntimeError(f"Pagefind failed to index the site: {errors.strip()}")
            bundle = {path.relative_to(self._root / "bundle").as_posix(): path.read_bytes()
                      for path in (self._root / "bundle").rglob("*") if path.is_file()}
        finally:
            self._done()
        return self._published(bundle)

    @staticmethod
    def _published(bundle: dict[str, bytes]) -> dict[str, bytes]:
        """The files of Pagefind's bundle that the site publishes, in a stable order."""
        files = {path: data for path, data in bundle.items() if not _LEFT_OUT.fullmatch(path)}
        return {f"pagefind/{path}": data
                for path, data in sorted(_in_stable_order(files).items())}

    def cancel(self) -> None:
        """Stop the indexer; from another thread, `finish` then raises SearchCancelled.
        Once is enough: a second call finds it stopped."""
        if self._cancelled:
            return
        self._cancelled = True
        if self._service is not None:
            self._service.cancel()
        if self._process is None:
            if self._waiting:  # the service's turn: finish() cleans up
                return
            self._done()
            return
        self._process.kill()
        if not self._waiting:  # nobody else will reap it and remove its folder
            self._process.communicate()
            self._done()

    def _done(self) -> None:
        """Remove the folder if it is the indexer's own; a kept layout loses its bundle."""
        if self._own:
            self._layout.cleanup()
        else:
            shutil.rmtree(self._root / "bundle", ignore_errors=True)


class SearchCancelled(Exception):
    """The index being made was cancelled: a newer build will make its own."""


def _in_stable_order(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with its filter files in a stable order, for byte-identical builds.

    Pagefind writes each filter's values in hash-map order, which changes from
    run to run, and names the filter files and the meta file that lists them
    after their bytes. So the values are sorted, and those files renamed after
    their new contents (pagefind.js fetches them by the names the meta file and
    pagefind-entry.json give).
    """
    stable = {path: data for path, data in files.items()
              if not _FILTER.fullmatch(path) and not _META.fullmatch(path)}
    renamed: dict[str, str] = {}  # filter file name (en_1a2b3c4) -> its new name
    for path, data in files.items():
        if chunk := _FILTER.fullmatch(path):
            name, values = _unpack(data)
            plain = _encode([name, sorted([value, sorted(pages)] for value, pages in values)])
            renamed[chunk["name"]] = new = _renamed(chunk["name"], plain, 7)
            stable[f"filter/{new}.pf_filter"] = _zip(plain)
    for path, data in files.items():
        if meta := _META.fullmatch(path):
            fields = _unpack(data)
            fields[3] = sorted([name, renamed.get(chunk, chunk)] for name, chunk in fields[3])
            plain = _encode(fields)
            new = _renamed(meta["name"], plain, 10)
            stable[f"pagefind.{new}.pf_meta"] = _zip(plain)
            stable["pagefind-entry.json"] = stable["pagefind-entry.json"].replace(
                f'"{meta["name"]}"'.encode(), f'"{new}"'.encode())
    if "pagefind-entry.json" in stable:  # its languages, too, come in hash-map order
        entry = json.loads(stable["pagefind-entry.json"])
        entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
        stable["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False,
                                                   separators=(",", ":")).encode("utf-8")
    return stable


def new_service() -> SearchService:
    """A Pagefind service, started when first asked for an index."""
    return SearchService(_executable())


def _executable() -> Path:
    found = get_executable()
    if found is None:
        raise BuildFailed.one("", "Pagefind, which makes the search index, is not installed; "
                              "run pip install 'pagefind[bin]' and build again")
    return found


def _unpack(data: bytes) -> Any:
    plain = gzip.decompress(data)
    if not plain.startswith(_SIGNATURE):
        raise ValueError("not a Pagefind index file")
    return cbor.loads(plain[len(_SIGNATURE):])


def _encode(value: Any) -> bytes:
    return _SIGNATURE + cbor.dumps(value)


def _zip(plain: bytes) -> bytes:
    return gzip.compress(plain, mtime=0)


def _renamed(old: str, plain: bytes, digits: int) -> str:
    """en_1a2b3c4 -> en_<digest of plain>: the language stays, the hash follows the bytes."""
    language = old.rsplit("_", 1)[0]
    return f"{language}_{hashlib.sha256(plain).hexdigest()[:digits]}"
