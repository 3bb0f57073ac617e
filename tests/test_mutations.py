"""The class behind the editors' mistakes: a hurried edit either fails cleanly or is published
as written, never a crash and never a site that says something else.

Hypothesis mutates one file of a small site the way hurried editors do (a character
deleted or doubled, a colon or ' #' in a value, a tab, curly quotes, a key renamed, a
value of the wrong type, bytes that are not UTF-8, the file renamed) and builds it in
process. For every example: exit status 0 or 1, no traceback; on 1 the previous output
is unchanged and every message names a file; on 0 the titles, summaries, dates and
groups each page's source holds are those its page shows, and each organisation's
page bears the name data/organisations.yaml gives it.

CI runs a fixed, bounded set of examples (derandomised); `pytest -m long` runs many more.
"""

from __future__ import annotations

import html
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.sitefiles import BUILD_EPOCH, REPO, SITE, write_site
from wgsite.cli import main

settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow], database=None)
settings.register_profile("long", max_examples=1500, deadline=None, derandomize=False,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])

SOURCES = sorted(path for path in SITE if path.endswith((".md", ".yaml")))
# The hazards editors meet most come up most often.
INSERTS = [": ", " #", " # ", "\t", "“", "”", "'", '"', ": ", " #", "“", "[", "]", "{", "- ",
           "\n  ", "\n ", "*", "&", "!", "@", "%", "|", ">", "#", ":", ",", "\\", "\u00a0",
           "\r\n"]
FACTS = ("title", "summary", "date", "working_groups", "name", "start")


class _NoSearch:
    """Pagefind stands aside: the index is a pure function of pages tested elsewhere.
    (It takes the place of the build's SearchFeed, and of the index that gives.)"""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def add(self, *args) -> None:
        pass

    def index(self) -> "_NoSearch":
        return self

    def files(self) -> dict[str, bytes]:
        return {}

    def cancel(self) -> None:
        pass


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """The small site, built once; each example starts from a copy of it and its output."""
    root = write_site(tmp_path_factory.mktemp("mutations") / "site", SITE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("wgsite.outputs.search.SearchFeed", _NoSearch)
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        assert main(["build", "--site", str(root)]) == 0
    return root


@st.composite
def mutations(draw) -> tuple[str, str, object]:
    """(file, what was done, the new text or bytes, or a new name)."""
    path = draw(st.sampled_from(SOURCES))
    text = SITE[path]
    kind = draw(st.sampled_from(["delete", "double", "insert", "tab", "curly", "rename key",
                                 "wrong type", "not utf-8", "rename file"]))
    lines = text.split("\n")
    keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*(- )?[a-z_]+:", line)]
    # the lines whose values the oracle checks are picked as often as all the others
    facts = [i for i in keyed if re.match(rf"^\s*(- )?({'|'.join(FACTS)}):", lines[i])]
    front = draw(st.sampled_from(["facts", "any"])) == "facts" and facts or keyed
    at = draw(st.integers(0, max(len(text) - 1, 0)))
    if kind == "delete":
        return path, kind, text[:at] + text[at + 1:]
    if kind == "double":
        return path, kind, text[:at] + text[at:at + 1] + text[at:]
    if kind == "insert":
        what = draw(st.sampled_from(INSERTS))
        index = draw(st.sampled_from(front))
        line = lines[index]
        cut = draw(st.integers(line.index(":") + 1, len(line)))
        lines[index] = line[:cut] + what + line[cut:]
        return path, f"insert {what!r}", "\n".join(lines)
    if kind == "tab":
        index = draw(st.sampled_from(front))
        lines[index] = "\t" + lines[index].lstrip(" ")
        return path, kind, "\n".join(lines)
    if kind == "curly":
        index = draw(st.sampled_from(front))
        key, _, value = lines[index].partition(": ")
        lines[index] = f"{key}: “{value.strip(chr(34))}”"
        return path, kind, "\n".join(lines)
    if kind == "rename key":
        index = draw(st.sampled_from(front))
        found = re.match(r"^(\s*(?:- )?)([a-z_]+):", lines[index])
        key = found[2]
        new = draw(st.sampled_from([key[:-1], key + "s", key.replace("_", ""), key.upper(),
                                    key[1:]]))
        lines[index] = found[1] + (new or "x") + lines[index][found.end() - 1:]
        return path, kind, "\n".join(lines)
    if kind == "wrong type":
        index = draw(st.sampled_from(front))
        key = lines[index].partition(":")[0]
        value = draw(st.sampled_from(["[a, b]", "{a: 1}", "12", "true", "2026-13-45", "",
                                      "~", "[]", "{}", "- x"]))
        lines[index] = f"{key}: {value}"
        return path, kind, "\n".join(lines)
    if kind == "not utf-8":
        data = text.encode("utf-8")
        return path, kind, data[:at] + draw(st.sampled_from([b"\xff", b"\xe9", b"\xc3("])) \
            + data[at:]
    suffix = draw(st.sampled_from([".MD", ".markdown", ".md.txt", ".txt", ".yml", ".Md"]))
    return path, "rename file", suffix


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


PROBLEM = re.compile(r"^(?P<path>[^:]+?)(?::\d+)*: (?:error|warning): ")


def _plain(text: str) -> str:
    """Text as a page shows it, typography and entities aside."""
    text = html.unescape(text)
    for curly, straight in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("–", "-"),
                            ("—", "-"), ("…", "...")):
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text).strip()


def _raw(front: str, key: str) -> str | None:
    """A key's value as the editor wrote it on its line, when it is plain text."""
    found = re.search(rf"^{key}:[ \t]*(.*)$", front, flags=re.MULTILINE)
    if not found:
        return None
    value = found[1].strip()
    if value[:1] in "\"'[{|>&*!" or not value:
        return None  # quoted or structured: YAML's reading is then the editor's
    return value


def _published(site: Path) -> list[tuple[Path, str, str]]:
    """(source, front matter, its page) for each page a reader gets."""
    pages = []
    for source in sorted((site / "content").rglob("*.md")):
        text = source.read_text(encoding="utf-8")
        front = text.split("---", 2)[1] if text.startswith("---") else ""
        if re.search(r"^draft:\s*true", front, flags=re.MULTILINE):
            continue
        relative = source.relative_to(site / "content")
        slug = _raw(front, "slug") or re.sub(r"^\d{4}-\d{2}-\d{2}-", "", source.stem)
        if relative.name == "_index.md":
            page = site / "public/index.html"
        elif len(relative.parts) == 1:
            page = site / "public" / slug / "index.html"
        else:
            page = site / "public" / relative.parts[0] / slug / "index.html"
        pages.append((source, front, page.read_text(encoding="utf-8")))
    return pages


def assert_holds_what_the_sources_say(site: Path) -> None:
    for source, front, page in _published(site):
        shown = _plain(page)
        for key in ("title", "summary"):
            value = _raw(front, key)
            if value is not None:
                assert _plain(value) in shown, f"{source.name}: {key} {value!r} is not shown"
        date = _raw(front, "date")
        if date is not None and "news" in source.parts:
            assert f'datetime="{date}"' in page, f"{source.name}: date {date!r} is not shown"
        groups = _raw(front, "working_groups")
        written = re.search(r"^working_groups:\s*\[(.*)\]\s*$", front, flags=re.MULTILINE)
        if groups is None and written:
            for group in filter(None, (g.strip() for g in written[1].split(","))):
                assert f'/working-groups/{group}/"' in page, f"{source.name}: group {group}"


def assert_organisations_are_named_as_written(site: Path) -> None:
    """Each organisation's page bears the name data/organisations.yaml gives it."""
    path = site / "data/organisations.yaml"
    if not path.is_file():
        return
    for block in re.split(r"^- ", path.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]:
        ident = re.match(r"id:[ \t]*([a-z0-9-]+)[ \t]*$", block, flags=re.MULTILINE)
        name = _raw(block.replace("\n  ", "\n"), "name")
        if ident and name is not None:
            page = site / "public/organisations" / ident[1] / "index.html"
            assert _plain(name) in _plain(page.read_text(encoding="utf-8")), \
                f"organisation {ident[1]}: name {name!r} is not shown"


def run_example(built: Path, path: str, kind: str, change: object) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        shutil.copytree(built, site, symlinks=True)
        before = snapshot(site / "public")
        target = site / path
        if kind == "rename file":
            name = target.name.removesuffix(".md").removesuffix(".yaml") + str(change)
            target.rename(target.with_name(name))
        elif isinstance(change, bytes):
            target.write_bytes(change)
        else:
            target.write_text(str(change), encoding="utf-8")
        with pytest.MonkeyPatch.context() as patch, _capture() as err:
            patch.setattr("wgsite.outputs.search.SearchFeed", _NoSearch)
            patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
            status = main(["build", "--site", str(site)])
        messages = err.getvalue()
        assert status in (0, 1), messages
        assert "Traceback" not in messages and "unexpectedly" not in messages, messages
        if status == 1:
            assert snapshot(site / "public") == before, "a failed build changed the output"
            problems = [line for line in messages.splitlines() if PROBLEM.match(line)]
            assert problems, messages
            for line in problems:
                named = PROBLEM.match(line)["path"]
                assert (site / named).exists() or (REPO / named).exists(), line
        else:
            assert_holds_what_the_sources_say(site)
            assert_organisations_are_named_as_written(site)


class _capture:
    """stderr of an in-process build (capsys cannot be used across Hypothesis examples)."""

    def __enter__(self):
        import io
        import sys

        self.old, self.buffer = sys.stderr, io.StringIO()
        sys.stderr = self.buffer
        return self.buffer

    def __exit__(self, *exc) -> None:
        import sys

        sys.stderr = self.old


@settings(settings.get_profile("ci"))
@given(mutation=mutations())
def test_a_hurried_edit_fails_cleanly_or_is_published_as_written(built_site, mutation):
    run_example(built_site, *mutation)


@pytest.mark.long
@settings(settings.get_profile("long"))
@given(mutation=mutations())
def test_many_hurried_edits_fail_cleanly_or_are_published_as_written(built_site, request,
                                                                      mutation):
    if "long" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("runs with `pytest -m long`")
    run_example(built_site, *mutation)


def test_the_oracle_sees_an_organisation_name_that_differs(built_site):
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        shutil.copytree(built_site, site, symlinks=True)
        data = site / "data/organisations.yaml"
        data.write_text(data.read_text().replace("name: South Agency", "name: South Office"))
        with pytest.raises(AssertionError, match="name 'South Office' is not shown"):
            assert_organisations_are_named_as_written(site)


def test_the_oracle_sees_a_title_that_differs(built_site):
    """The check on a successful build is not vacuous: a page with another title fails it."""
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        shutil.copytree(built_site, site, symlinks=True)
        about = site / "content/about.md"
        about.write_text(about.read_text().replace("title: About us", "title: Elsewhere"))
        with pytest.raises(AssertionError, match="title 'Elsewhere' is not shown"):
            assert_holds_what_the_sources_say(site)

