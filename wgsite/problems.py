"""Problems found in a site's sources: one type for every mistake an editor can make.

Every stage reports into a `Problems` collection instead of raising, so one run
shows every mistake at once; the build stops between stages when any is an error.
"""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake, located in a file (relative to the site folder) and line.

    A mistake of no file (Pagefind not installed) has the path "".
    """

    path: str
    line: int | None
    message: str
    severity: str = "error"
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        where = f"{where}: " if where else ""
        return f"{where}{self.severity}: {self.message}"


@dataclass
class Problems:
    """Collects problems from every stage of a build."""

    items: list[Problem] = field(default_factory=list)
    strict: bool = False  # --strict: every warning counts as an error

    def error(self, path: str | PurePosixPath, line: int | None, message: str,
              column: int | None = None) -> None:
        self.items.append(Problem(str(path), line, message, "error", column))

    def warning(self, path: str | PurePosixPath, line: int | None, message: str,
                column: int | None = None) -> None:
        severity = "error" if self.strict else "warning"
        self.items.append(Problem(str(path), line, message, severity, column))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        """Problems in file order, each reported once; data files first, since a mistake
        there (a missing id) is often the cause of others in the pages."""
        return sorted(set(self.items), key=lambda p: (not p.path.startswith("data/"), p.path,
                                                      p.line or 0, p.message))


class BuildFailed(Exception):
    """Raised between stages when the sources hold errors; carries all of them."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems.errors)} error(s)")
        self.problems = problems

    @classmethod
    def one(cls, path: str | PurePosixPath, message: str) -> "BuildFailed":
        """A build stopped by one mistake outside the sources (a bad --out, a missing tool)."""
        problems = Problems()
        problems.error(path, None, message)
        return cls(problems)


def user_problems(exc: Exception, root: Path | None = None) -> Problems | None:
    """The problems a failed command stands for, or None when wgsite itself failed.

    Besides BuildFailed, a file or folder that the system refused (no permission, a
    file where a folder must be, a disk full) is the user's to fix: it is named like
    any other mistake, relative to the site folder `root` when inside it.
    """
    if isinstance(exc, BuildFailed):
        return exc.problems
    if not isinstance(exc, OSError) or exc.filename is None:
        return None
    path = os.fsdecode(exc.filename)
    if root is not None:
        try:
            path = Path(os.path.realpath(path)).relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    problems = Problems()
    problems.error(path, None, f"cannot read or write it: {exc.strerror or exc}")
    return problems


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` suffix for a near miss, or an empty string."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def report(problems: Problems, stream=None) -> None:
    """Every problem, one per line, in file order, then a count."""
    stream = stream or sys.stderr
    shown = problems.sorted()
    for problem in shown:
        print(problem, file=stream)
    errors = sum(problem.severity == "error" for problem in shown)
    warnings = len(shown) - errors
    if errors:
        print(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}: the site was not built;"
              " the previous output is unchanged.", file=stream)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
