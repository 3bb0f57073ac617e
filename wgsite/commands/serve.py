"""`serve`: build with drafts, serve the output on 127.0.0.1, rebuild and reload on change.

Sources are polled (mtimes via os.scandir: no dependency, and every kind of
save is seen) every 50 ms, or less often on a tree that takes long to scan,
at once when Linux's inotify says a watched folder changed (see wakeups),
and 20 ms after a poll that saw them move; a burst of saves settles into one
in-process rebuild, built in a worker thread while the last good site stays
served. Browsers reload after
every build: after a good one to show it, after a failed one to show its
problems (see devserver_http), which are also printed as `build` prints them.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import signal
import sys
import time
import traceback
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from wgsite.problems import BuildFailed, report, user_problems
from wgsite.commands.serve_http import Preview, bracketed, make_app
from wgsite.folders import SiteFolders, is_editor_temp
from wgsite.incremental.session import Session
from wgsite.options import BuildOptions
from wgsite.commands.build import build
from wgsite.commands.kept_site import keeper
from wgsite.commands.rebuild import Rebuilt, rebuild
from wgsite.commands.wakeups import Wakeups
from wgsite.outputs.search import SearchCancelled
from wgsite.writer import check_output_folder

# Sources are polled this often at least; a site whose tree takes long to scan is
# polled less often, so that polling never takes more than a fifth of a core.
POLL_SECONDS = 0.05
POLL_SHARE = 0.2
# After a poll that saw the tree move, the next comes this soon: a save is a burst of a few
# writes and renames within milliseconds, and the editor waits for its page.
SETTLE_SECONDS = 0.02
# However often the system says a watched folder changed (see wakeups), polls come at
# least this far apart, and at most a fifth of a core goes to them.
MIN_GAP_SECONDS = 0.005

Snapshot = dict[str, tuple[int, int, int]]


def watched_folders(folders: SiteFolders) -> list[Path]:
    """The source folders of the site and, when it is another folder, of the theme."""
    return folders.sources()


def snapshot(roots: Iterable[Path], ignored: Iterable[Path]) -> Snapshot:
    """Every file under `roots` (path -> mtime, size, inode), skipping `ignored` folders."""
    skip = {os.path.realpath(path) for path in ignored}
    files: Snapshot = {}
    visited: set[str] = set()
    pending = [str(root) for root in roots]
    while pending:
        folder = pending.pop()
        real = os.path.realpath(folder)
        if real in skip or real in visited:  # visited: a symlink loop
            continue
        visited.add(real)
        try:
            entries = list(os.scandir(folder))
        except OSError:  # absent, or removed while we looked
            continue
        for entry in entries:
            if is_editor_temp(entry.name):
                continue
            try:
                if entry.is_dir():
                    pending.append(entry.path)
                    continue
                stat = entry.stat()
            except OSError:
                continue
            files[entry.path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    return files


class SourceWatcher:
    """Reports the files changed since the last report, once the tree is quiet.

    Call `poll` every interval: a poll that finds the tree as the previous poll
    left it, but different from the last report, reports. So a burst of saves
    closer together than one interval ends in one report. After a poll that saw
    a change the interval is short (SETTLE_SECONDS, or the time a scan takes),
    so that a save is reported soon after it is over.
    """

    def __init__(self, roots: list[Path], ignored: list[Path]):
        self.roots, self.ignored = roots, ignored
        self.interval = POLL_SECONDS  # seconds to wait before the next poll
        self._spent = 0.0  # the last scan's seconds
        self.scanned = 0.0  # when it ended (time.perf_counter)
        self.folders: set[str] = set()  # the folders that hold the files, and the roots
        self._latest: Snapshot = {}
        self._reported = self._latest = self._scan()

    @property
    def soonest(self) -> float:
        """The earliest time (time.perf_counter) a poll may come, woken or not: a file
        written without pause must not make the watcher scan without pause."""
        return self.scanned + max(MIN_GAP_SECONDS, self._spent / POLL_SHARE)

    @property
    def settling(self) -> bool:
        """Whether the tree moved since the last report: the next poll comes at its time,
        whatever wakes the watcher earlier."""
        return self._latest != self._reported

    def _scan(self) -> Snapshot:
        started = time.perf_counter()
        found = snapshot(self.roots, self.ignored)
        self.scanned = time.perf_counter()
        self._spent = self.scanned - started
        self.interval = max(POLL_SECONDS, min(1.0, self._spent / POLL_SHARE))
        if found.keys() != self._latest.keys():  # a file added or removed: its folder
            self.folders = {*map(str, self.roots), *map(os.path.dirname, found)}
        return found

    def poll(self) -> list[str]:
        """The changed (added, edited, removed) paths once settled, else []."""
        now = self._scan()
        if now != self._latest:
            self._latest = now
            self.interval = max(SETTLE_SECONDS, self._spent)  # moving: look again soon
            return []
        if now == self._reported:
            return []
        before, self._reported = self._reported, now
        return sorted(path for path in before.keys() | now.keys()
                      if before.get(path) != now.get(path))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Builder:
    """One in-process build, reported on the terminal; returns the overlay's lines."""

    folders: SiteFolders
    options: BuildOptions
    debug: bool = False
    # The search index of the last rebuild, made after browsers reloaded (see finish),
    # and how to stop making it when a newer edit comes first.
    pending: Callable[[], None] | None = None
    abandon: Callable[[], None] | None = None
    # what one build leaves in memory for the next: parses, converted Markdown, written files
    session: Session = field(default_factory=Session)

    def __call__(self, changed: list[str]) -> list[str]:
        started = time.perf_counter()
        self.pending = self.abandon = None
        try:
            # A rebuild writes the pages first, with the previous search index:
            # indexing every page is the slowest step, and the reader waits for a page.
            if changed:
                rebuilt = rebuild(self.folders, self.options, session=self.session)
            else:
                rebuilt = Rebuilt(build(self.folders, self.options, session=self.session,
                                        keep=keeper(self.session, self.options,
                                                    self.folders)))
            result = rebuilt.result
        except Exception as exc:
            problems = user_problems(exc, self.folders.root)
            if problems is not None:
                report(problems)
                return [str(problem) for problem in problems.sorted()]
            # a crash of wgsite itself: say so, keep serving
            if self.debug:
                traceback.print_exc()
            reason = traceback.format_exc().strip().splitlines()[-1]
            print(f"error: wgsite failed unexpectedly: {reason}", file=sys.stderr)
            return [f"error: wgsite failed unexpectedly: {reason} (see the terminal)"]
        report(result.problems)
        elapsed = time.perf_counter() - started
        done = f"{result.pages} pages ({result.files} files)"
        if not changed:
            print(f"Built {done} into {self.folders.relative(self.folders.out)} in "
                  f"{elapsed:.2f} s.", file=sys.stderr)
        else:
            names = [self.folders.relative(Path(path)) for path in changed]
            more = f" and {len(names) - 3} more" if len(names) > 3 else ""
            print(f"Rebuilt {done} in {elapsed:.2f} s after a change to "
                  f"{', '.join(names[:3])}{more}.", file=sys.stderr)
        self.pending, self.abandon = rebuilt.finish, rebuilt.abandon
        return []

    def warm(self) -> None:
        """Make the site in memory when the first build found the output up to date and
        made nothing: the first edit then starts from it (see body_edit), instead of
        making the site in full while the editor waits. The output stays as it is (the
        same bytes), and nothing is reported: the first build said it all."""
        if self.session.kept_site is not None:
            return
        try:
            build(self.folders, self.options, session=self.session,
                  keep=keeper(self.session, self.options, self.folders), replay=False)
            if self.session.kept_site is not None:  # its pages came from the render memo
                for language in self.session.kept_site.made.parts.languages:
                    language.templates.load_all()
        except BuildFailed:
            pass  # sources changed meanwhile: the rebuild they start reports it
        except Exception:  # a crash of wgsite itself: say so, keep serving
            if self.debug:
                traceback.print_exc()
            reason = traceback.format_exc().strip().splitlines()[-1]
            print(f"error: wgsite failed unexpectedly: {reason}", file=sys.stderr)

    def finish(self) -> None:
        """Make and write the search index that the last rebuild left for later."""
        pending, self.pending = self.pending, None
        if pending is None:
            return
        try:
            pending()
        except SearchCancelled:  # a newer edit: its rebuild makes the index
            pass
        except Exception as exc:
            problems = user_problems(exc, self.folders.root)
            if problems is not None:
                for problem in problems.sorted():
                    print(f"{problem} (the search index was not updated)", file=sys.stderr)
                return
            # a crash of wgsite itself: say so, keep serving
            if self.debug:
                traceback.print_exc()
            reason = traceback.format_exc().strip().splitlines()[-1]
            print(f"error: the search index was not updated: {reason}", file=sys.stderr)


def serve(folders: SiteFolders, options: BuildOptions, host: str, port: int,
          debug: bool = False) -> int:
    """Serve until interrupted; the exit status (1 when it cannot start)."""
    if not is_loopback(host):
        shown = "the preview, drafts included," if options.drafts else "the preview"
        print(f"warning: listening on {host}, not on this machine only: {shown} becomes "
              "visible to the network", file=sys.stderr)
    try:
        check_output_folder(folders.out, folders.root, folders.theme)
        sockets = bind_sockets(port, address=host)
    except BuildFailed as failed:
        report(failed.problems)
        return 1
    except OSError as exc:
        print(f"error: cannot listen on {bracketed(host)}:{port}: {exc.strerror or exc}",
              file=sys.stderr)
        return 1
    port = sockets[0].getsockname()[1]  # the one chosen for --port 0
    url = f"http://{bracketed(host)}:{port}/"
    builder = Builder(folders, replace(options, base_url=url), debug)
    watcher = SourceWatcher(watched_folders(folders), [folders.out, folders.cache])
    preview = Preview(folders.out, host, port)
    try:
        preview.problems = builder([])
        print(f"Serving {folders.relative(folders.out)} on {url} (Ctrl+C to stop)",
              file=sys.stderr)
        asyncio.run(_run(preview, sockets, watcher, builder))
    except KeyboardInterrupt:
        pass
    finally:
        for sock in sockets:
            sock.close()
        builder.session.close()  # and the search indexer it kept running
    print("Stopped.", file=sys.stderr)
    return 0


async def _run(preview: Preview, sockets: list, watcher: SourceWatcher,
               builder: Builder) -> None:
    server = HTTPServer(make_app(preview), max_body_size=65536)
    server.add_sockets(sockets)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    with suppress(NotImplementedError):  # Windows: Ctrl+C only
        loop.add_signal_handler(signal.SIGTERM, stopped.set)
    watching = asyncio.create_task(_rebuild_on_change(preview, watcher, builder))
    try:
        await stopped.wait()
    finally:
        watching.cancel()
        if builder.abandon is not None:
            builder.abandon()  # do not wait for a search index nobody will see
        server.stop()
        for browser in list(preview.browsers):
            browser.close()


async def _rebuild_on_change(preview: Preview, watcher: SourceWatcher,
                             builder: Builder) -> None:
    """Poll; build in a worker thread so pages stay served; reload browsers after."""
    loop = asyncio.get_running_loop()
    indexing: asyncio.Future | None = None  # the last rebuild's search index, being made
    wakeups = Wakeups()
    woken = wakeups.attach(loop)
    try:
        if not preview.problems:
            # pages are served meanwhile; a save made now is seen by the first poll
            await loop.run_in_executor(None, builder.warm)
        while True:
            await _next_poll(watcher, wakeups, woken)
            changed = watcher.poll()
            if changed:
                if indexing is not None and not indexing.done():
                    if builder.abandon is not None:
                        builder.abandon()  # the edit waits for no index that is already stale
                    await indexing
                preview.problems = await loop.run_in_executor(None, builder, changed)
                preview.reload_browsers()
                indexing = loop.run_in_executor(None, builder.finish)
    finally:
        wakeups.close()


async def _next_poll(watcher: SourceWatcher, wakeups: Wakeups, woken: asyncio.Event) -> None:
    """Wait for the watcher's next poll: its interval, or less when the kernel says a
    watched folder changed (see wakeups); while a burst settles, the interval itself."""
    wakeups.watch(watcher.folders)
    if watcher.settling or wakeups.fileno() is None:
        await asyncio.sleep(watcher.interval)
    else:
        with suppress(asyncio.TimeoutError):
            await asyncio.wait_for(woken.wait(), watcher.interval)
        early = watcher.soonest - time.perf_counter()
        if early > 0:
            await asyncio.sleep(early)
    woken.clear()
