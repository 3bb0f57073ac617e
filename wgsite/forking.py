"""Whether helper processes may be forked from this one, and what a forked helper does first.

A forked helper starts at once and inherits what the build holds (the linked
site, the templates, the Markdown extensions), where a fresh interpreter
would import them all again: about 0.25 s before the first page. Forking is
safe only in a process with one thread (a thread holding a lock at the fork
would leave it held in the child for ever), and it is the operating system's
own way of starting processes only on Linux. Markdown's workers and the
render helpers (see wgsite.render.workers) both ask here.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading


def can_fork() -> bool:
    """Whether helpers may be forked from this process now."""
    return (sys.platform.startswith("linux") and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods())


def helper_starts() -> None:
    """Ctrl+C stops the build, which stops its helpers: they do not stop on their own
    (each printing a traceback) but finish the work at hand and are told to end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
