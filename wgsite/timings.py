"""How long each phase of a build took and how much it handled (`build --verbose`).

One line per phase, so the slow one is visible at a glance, with the
process's peak memory when the phase ended:

    read        0.112 s    41 MB  1,013 pages, 3 assets
    markdown    1.630 s    63 MB  1,013 documents, 1,013 converted, 2 processes
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Iterator


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    peak: int = 0  # the process's peak resident memory when the phase ended, in bytes
    counts: list[str] = field(default_factory=list)  # "1,013 sources", ...

    def count(self, number: int, noun: str) -> None:
        self.counts.append(f"{number:,} {noun}")

    def note(self, text: str) -> None:
        self.counts.append(text)


class Timings:
    """The phases of one build, in the order they ran; a phase may run in several parts."""

    def __init__(self) -> None:
        self.phases: dict[str, Phase] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[Phase]:
        phase = self.phases.setdefault(name, Phase(name))
        started = time.perf_counter()
        try:
            yield phase
        finally:
            phase.seconds += time.perf_counter() - started
            phase.peak = _peak_memory()

    def report(self, stream: IO[str]) -> None:
        for phase in self.phases.values():
            counts = ", ".join(phase.counts)
            memory = f"{phase.peak / 2**20:5.0f} MB" if phase.peak else ""
            print(f"  {phase.name:<10} {phase.seconds:7.3f} s {memory}  {counts}".rstrip(),
                  file=stream)


def _peak_memory() -> int:
    """The peak resident memory of this process so far (not of its worker processes)."""
    try:
        import resource
    except ImportError:  # not on a Unix
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
