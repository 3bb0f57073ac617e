"""How long each phase of a build took and how much it handled (`build --verbose`).

One line per phase, so the slow one is visible at a glance: its wall time,
its CPU time (this process's threads and the child processes it waited for:
Markdown's workers, Pagefind), the process's peak memory when the phase
ended, and the bytes it wrote:

    read        0.112 s   0.108 s CPU    41 MB        0 B written  1,013 pages, 3 assets
    markdown    1.630 s   3.020 s CPU    63 MB        0 B written  1,013 documents, ...
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
    cpu: float = 0.0  # seconds of CPU: this process's and its waited-for children's
    peak: int = 0  # the process's peak resident memory when the phase ended, in bytes
    written: int = 0  # bytes written anew into the output (linked files are not)
    counts: list[str] = field(default_factory=list)  # "1,013 sources", ...

    def count(self, number: int, noun: str) -> None:
        self.counts.append(f"{number:,} {noun}")

    def note(self, text: str) -> None:
        self.counts.append(text)

    def spent(self, cpu: float) -> None:
        """CPU time spent for this phase by processes that are not this one's children."""
        self.cpu += cpu

    def wrote(self, size: int) -> None:
        self.written += size


class Timings:
    """The phases of one build, in the order they ran; a phase may run in several parts."""

    def __init__(self) -> None:
        self.phases: dict[str, Phase] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[Phase]:
        phase = self.phases.setdefault(name, Phase(name))
        started, cpu = time.perf_counter(), _cpu()
        try:
            yield phase
        finally:
            phase.seconds += time.perf_counter() - started
            phase.cpu += _cpu() - cpu
            phase.peak = _peak_memory()

    def report(self, stream: IO[str]) -> None:
        for phase in self.phases.values():
            counts = ", ".join(phase.counts)
            memory = f"{phase.peak / 2**20:5.0f} MB" if phase.peak else "    – MB"
            print(f"  {phase.name:<10} {phase.seconds:7.3f} s {phase.cpu:7.3f} s CPU {memory} "
                  f"{size(phase.written):>9} written  {counts}".rstrip(), file=stream)


def size(count: int) -> str:
    """Bytes as a person reads them: 0 B, 812 B, 14.2 kB, 39.1 MB (powers of 1,000)."""
    if count < 1000:
        return f"{count} B"
    for unit in ("kB", "MB", "GB"):
        count /= 1000
        if count < 1000 or unit == "GB":
            return f"{count:.1f} {unit}"
    raise AssertionError("unreachable")


def _cpu() -> float:
    """CPU seconds so far of this process's threads and of the children it has waited for."""
    try:
        import resource
    except ImportError:  # not on a Unix: this process alone
        return time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _peak_memory() -> int:
    """The peak resident memory of this process so far (not of its worker processes)."""
    try:
        import resource
    except ImportError:  # not on a Unix
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
