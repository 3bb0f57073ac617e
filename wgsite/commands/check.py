"""`check`: every internal link, fragment, image and asset of a built site, and alt text.

The output is read as a browser meets it (each page parsed once, with the
standard library's html.parser), and each problem names the source that made
the page, with the line when the broken reference was written in that file.
Targets are looked up among the files of the output only, so a link that climbs
out of the site is reported, never followed.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from wgsite.commands.external import ExternalLinks
from wgsite.folders import SiteFolders
from wgsite.markup.sanitize import srcset_urls
from wgsite.options import BuildOptions
from wgsite.problems import Problems
from wgsite.urls import Urls

# What a reference is called in a message, by the element that holds it.
_SOURCE_NOUNS = {"img": "image", "source": "image", "script": "script", "iframe": "frame"}


@dataclass(frozen=True)
class Reference:
    tag: str
    attribute: str  # href, src or srcset
    value: str


@dataclass
class ParsedPage:
    """What one output page points at and which fragments it offers."""

    references: list[Reference] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    images_without_alt: list[str] = field(default_factory=list)  # their src


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values: dict[str, str | None] = {}
        for name, value in attrs:
            values.setdefault(name, value)  # the first of a repeated attribute wins, as in HTML
        page = self.page
        if values.get("id"):
            page.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            page.ids.add(values["name"])
        if tag in ("a", "area", "link") and values.get("href") is not None:
            page.references.append(Reference(tag, "href", values["href"]))
        if tag in _SOURCE_NOUNS and values.get("src") is not None:
            page.references.append(Reference(tag, "src", values["src"]))
        if tag in ("img", "source") and values.get("srcset"):
            page.references.extend(Reference(tag, "srcset", url)
                                   for url in srcset_urls(values["srcset"]))
        if tag == "img" and "alt" not in values:
            page.images_without_alt.append(values.get("src") or "")


def parse_page(html: str) -> ParsedPage:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page


def page_path(output_file: str) -> str:
    """The site path of an output file: news/x/index.html -> /news/x/."""
    if output_file == "index.html":
        return "/"
    if output_file.endswith("/index.html"):
        return "/" + output_file.removesuffix("index.html")
    return "/" + output_file


@dataclass(frozen=True)
class Target:
    """Where an internal reference leads: a file of the output and a fragment."""

    file: str | None  # None: outside the site
    fragment: str = ""


class _Resolver:
    """Resolves hrefs as a browser would, against the site's base URL."""

    def __init__(self, urls: Urls, files: set[str]):
        self.urls = urls
        self.files = files
        base = urlsplit(urls.base_url)
        self.host = base.netloc.lower()
        self.base_names = [unquote(n) for n in urls.base_path.split("/") if n]

    def shown(self, value: str) -> str:
        """A reference as its author wrote it: without the base path the engine adds."""
        base = self.urls.base_path
        if base != "/" and value.startswith(base):
            return "/" + value[len(base):]
        return value

    def resolve(self, value: str, output_file: str) -> Target | None:
        """The target of `value` on the page `output_file`; None when it is not ours to check."""
        try:
            parts = urlsplit(value.strip())
        except ValueError:  # e.g. a malformed IPv6 host: not a link into this site
            return None
        if parts.scheme or parts.netloc:
            if parts.scheme not in ("", "http", "https") or parts.netloc.lower() != self.host:
                return None
            path = parts.path or "/"
            if not self._under_base(path):
                return None  # the organisation's own main site, beside this one: external
        elif not parts.path:  # "#x" or "?q": this page
            return Target(output_file, parts.fragment)
        elif parts.path.startswith("/"):
            path = parts.path
        else:
            here = self.urls.href(page_path(output_file))
            path = here[:here.rfind("/") + 1] + parts.path
        return Target(self._file(path), parts.fragment)

    def _under_base(self, path: str) -> bool:
        names = [unquote(n) for n in path.split("/") if n not in ("", ".")]
        return ".." not in names and names[:len(self.base_names)] == self.base_names

    def _file(self, path: str) -> str | None:
        """The output file a URL path names, or None when it leads outside the site."""
        segments = unquote(path).replace("\\", "/").split("/")[1:]
        names: list[str] = []
        for segment in segments:
            if segment == "..":
                if not names:
                    return None
                names.pop()
            elif segment not in ("", "."):
                names.append(segment)
        if names[:len(self.base_names)] != self.base_names:
            return None
        inside = names[len(self.base_names):]
        if not inside or segments[-1] in ("", ".", ".."):
            return "/".join(inside + ["index.html"])
        file = "/".join(inside)
        folder_index = f"{file}/index.html"
        # /about is served as /about/ by every static host we know, so it is not broken
        return folder_index if file not in self.files and folder_index in self.files else file


@dataclass
class CheckReport:
    problems: Problems
    pages: int  # HTML pages read
    links: int  # internal references followed
    broken_pages: int  # pages with at least one problem


class _Findings:
    """Problems keyed by (source, line, message), with the pages each was seen on."""

    def __init__(self, site_root: Path):
        self.site_root = site_root
        self.pages: dict[tuple[str, int | None, str], list[str]] = {}
        self.self_located: set[tuple[str, int | None, str]] = set()  # messages naming the page
        self.warnings: set[tuple[str, int | None, str]] = set()  # may pass by themselves
        self._texts: dict[str, str] = {}

    def add(self, source: str, page: str, message: str, written: tuple[str, ...],
            names_its_page: bool = False, warning: bool = False) -> None:
        """A problem on `page`; its line when one of `written` is in the source file."""
        key = (source, self._line(source, written), message)
        self.pages.setdefault(key, []).append(page)
        if names_its_page:
            self.self_located.add(key)
        if warning:
            self.warnings.add(key)

    def problems(self, made_by_sources: set[str], strict: bool = False) -> Problems:
        """One problem per key; one a template made also names the page it is on."""
        problems = Problems(strict=strict)
        for (source, line, message), pages in self.pages.items():
            where = sorted(set(pages))
            if line is None and source in made_by_sources \
                    and (source, line, message) not in self.self_located:
                others = len(where) - 1
                message += f" (on {where[0]}" + (
                    f" and {others} other page{'s' if others > 1 else ''})" if others else ")")
            if (source, line, message) in self.warnings:
                problems.warning(source, line, message)
            else:
                problems.error(source, line, message)
        return problems

    def _line(self, source: str, written: tuple[str, ...]) -> int | None:
        text = self._text(source)
        for needle in dict.fromkeys(w for w in written if w):
            match = re.search(r"(?:^|(?<=[\s(<\"'\[=:{,]))" + re.escape(needle)
                              + r"(?=[\s)>\"'\]<},|]|$)", text, re.MULTILINE)
            if match:
                return text.count("\n", 0, match.start()) + 1
        return None

    def _text(self, source: str) -> str:
        if source not in self._texts:
            path = self.site_root / source
            try:
                self._texts[source] = path.read_text(encoding="utf-8", errors="replace") \
                    if path.resolve().is_relative_to(self.site_root.resolve()) else ""
            except OSError:  # "the list /news/" and other sources that are not files
                self._texts[source] = ""
        return self._texts[source]


@dataclass(frozen=True)
class CheckSettings:
    """The `check:` section of data/site.yaml, and the command line's wishes."""

    ignore: tuple[str, ...] = ()  # URL patterns (* matches anything) nobody checks
    timeout: float = 10.0  # seconds to wait for another site, with --external
    external: bool = False  # ask other sites whether their pages are still there
    strict: bool = False  # warnings count as errors


def read_settings(site_yaml: Path, external: bool, strict: bool) -> CheckSettings:
    """The settings from data/site.yaml, which the build has just validated."""
    try:
        data = yaml.safe_load(site_yaml.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, yaml.YAMLError):
        data = None
    section = data.get("check") if isinstance(data, dict) else None
    section = section if isinstance(section, dict) else {}
    ignore = section.get("ignore") or []
    ignore = [ignore] if isinstance(ignore, str) else ignore
    timeout = section.get("timeout", 10)
    return CheckSettings(tuple(str(p) for p in ignore if p), float(timeout) if str(
        timeout).isdigit() else 10.0, external, strict)


def _ignored(value: str, shown: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(value, p) or fnmatch.fnmatchcase(shown, p) for p in patterns)


def check_output(out: Path, urls: Urls, sources: dict[str, str], site_root: Path,
                 settings: CheckSettings = CheckSettings(), cache: Path | None = None
                 ) -> CheckReport:
    """Every broken internal reference, missing fragment and alt-less image in `out`,
    and with `settings.external` every link to another site whose page is gone.

    `sources` maps output files to the source that made them (BuildResult.sources);
    problems are named after that source, once per source and target.
    """
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    pages = {file: parse_page((out / file).read_text(encoding="utf-8", errors="replace"))
             for file in sorted(files) if file.endswith(".html")}
    resolver = _Resolver(urls, files)
    findings = _Findings(site_root)
    links = 0
    elsewhere: dict[str, list[tuple[str, str, str]]] = {}  # address -> (source, page, as written)
    for file, parsed in pages.items():
        source = sources.get(file) or _outside_name(out / file, site_root)
        where = page_path(file)
        for ref in parsed.references:
            shown = resolver.shown(ref.value)
            if _ignored(ref.value, shown, settings.ignore):
                continue
            target = resolver.resolve(ref.value, file)
            if target is None:
                address = ref.value.strip().split("#", 1)[0]
                if settings.external and ref.attribute == "href" and \
                        re.match(r"https?://", address, re.IGNORECASE):
                    elsewhere.setdefault(address, []).append((source, where, ref.value))
                continue
            links += 1
            problem = _problem(ref, target, shown, files, pages)
            if problem:
                findings.add(source, where, problem, (ref.value, shown),
                             names_its_page=target.file == file)
        for src in parsed.images_without_alt:
            shown = resolver.shown(src)
            findings.add(source, where, "image without alt text" + (f": {shown}" if src else ""),
                         (src, shown))
    if elsewhere:
        answers = ExternalLinks(cache or site_root / ".wgsite-cache",
                                settings.timeout).check(list(elsewhere))
        for address, places in elsewhere.items():
            answer = answers[address]
            if not answer.problem:
                continue
            message = (f"broken link to {address}: {answer.problem}" if answer.gone else
                       f"could not check the link to {address}: {answer.problem}")
            for source, where, written in places:
                findings.add(source, where, message, (written, address),
                             warning=not answer.gone)
    problems = findings.problems(made_by_sources=set(sources.values()),
                                 strict=settings.strict)
    broken = {page for found in findings.pages.values() for page in found}
    return CheckReport(problems, len(pages), links, len(broken))


def _problem(ref: Reference, target: Target, shown: str, files: set[str],
             pages: dict[str, ParsedPage]) -> str | None:
    """What is wrong with one reference, or None."""
    what = (f"broken link to {shown}" if ref.attribute == "href"
            else f"broken {_SOURCE_NOUNS[ref.tag]} source {shown}")
    if target.file is None:
        return f"{what}: it leads outside the site"
    if target.file not in files:
        return what
    fragment = target.fragment
    if not fragment or target.file not in pages or fragment.lower() == "top":
        return None  # "#" and "#top" are the top of any page; other files have no ids here
    ids = pages[target.file].ids
    if fragment in ids or unquote(fragment) in ids:
        return None
    return f"no element with id '{unquote(fragment)}' on {page_path(target.file)}"


def _outside_name(path: Path, site_root: Path) -> str:
    """An output file that no source claims, named relative to the site when inside it."""
    try:
        return path.resolve().relative_to(site_root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


IGNORE_HINT = ("A link that is right but cannot be checked: add a pattern for it under "
               "check: ignore: in data/site.yaml (e.g. - \"https://www.example.org/*\").")


def print_check(checked: "CheckReport") -> int:
    """Print every broken reference and a summary; 0 when nothing is broken, else 1
    (warnings, about other sites that did not answer, alone do not fail)."""
    for problem in checked.problems.sorted():
        print(problem, file=sys.stderr)
    if checked.problems.items:
        if checked.problems.errors:
            print(IGNORE_HINT, file=sys.stderr)
        count = len(checked.problems.items)
        print(f"{count} problem{'s' if count != 1 else ''} in {checked.broken_pages} "
              f"page{'s' if checked.broken_pages != 1 else ''} "
              f"({checked.pages} pages and {checked.links} internal links checked).",
              file=sys.stderr)
        return 1 if checked.problems.errors else 0
    print(f"Checked {checked.pages} pages and {checked.links} internal links: no problems.",
          file=sys.stderr)
    return 0


def run(folders: SiteFolders, options: BuildOptions, verbose: bool = False,
        external: bool = False) -> int:
    """`check` as the command line runs it: build, then check the output; the exit status."""
    from wgsite.commands import build

    result = build.run(folders, options, verbose=verbose)
    if result is None:
        return 1
    settings = read_settings(folders.data / "site.yaml", external, options.strict)
    checked = check_output(folders.out, Urls(result.base_url), result.sources, folders.root,
                           settings, folders.cache)
    return print_check(checked)
