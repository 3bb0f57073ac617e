"""Build one corpus with wgsite, the Python floor and the competitors; one table of medians.

    python benchmarks/run.py                    # 1,000 and 4,000 posts, every tool, 5 runs
    python benchmarks/run.py --quick            # a smoke run: 30 posts, 1 run
    python benchmarks/run.py --posts 1000 --tools wgsite hugo --repeat 3
    python benchmarks/run.py --repeat 3 --serve-edits 5 --markdown benchmarks/RESULTS.md

Each build runs as a child process. Wall time is time.perf_counter around it;
CPU is user + system of the child and every descendant it waited for (os.wait4);
peak RSS is reported twice: the largest single process (wait4's ru_maxrss) and
the largest sum of RSS over the whole process tree, sampled from /proc every
10 ms (wgsite may fan Markdown out to worker processes). Scenarios: cold (output
and every cache removed), no-change (the same build again), one-edit (a sentence
appended to one post, a different post each repetition). After the last edit a
cold build checks that the edited output equals what a clean build gives.
wgsite also runs ci-warm (a fresh git clone with the cache of an earlier build
copied in and one post changed), `serve` (save to reload, save to search index
refreshed) and, at the first size, the languages scenario, `build --verbose`
per phase and a cProfile of a cold build. The report ends with issue 15's
targets, each "met", "not met" or "not measured".
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus as corpora  # noqa: E402
import tools as toolbox  # noqa: E402

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
SCENARIOS = ("cold", "no-change", "one-edit")
PAGE = os.sysconf("SC_PAGE_SIZE")
RESULTS_START, RESULTS_END = "<!-- results:start -->", "<!-- results:end -->"
# The 1-minute load average as each build starts: other work on the machine moves the
# figures, and this says how busy it was.
LOADS: list[float] = []


@dataclass
class Sample:
    wall: float
    cpu: float
    max_rss: int  # bytes, the largest single process
    tree_rss: int  # bytes, the largest sampled sum over the process tree
    own_rss: int = 0  # bytes, the same sum without the Pagefind indexer's processes


@dataclass
class Row:
    tool: str
    posts: int
    scenario: str
    samples: list[Sample] = field(default_factory=list)
    pages: int = 0  # the pages it was given, where that is not the corpus' own count

    def median(self, name: str) -> float:
        return statistics.median(getattr(sample, name) for sample in self.samples)


class TreeRss:
    """The largest sum of resident memory over a process and its descendants, sampled."""

    def __init__(self, pid: int, interval: float = 0.01):
        self.pid, self.interval, self.peak, self.own_peak = pid, interval, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        pids, pending = [], [self.pid]
        while pending:
            pid = pending.pop()
            pids.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                        pending.extend(int(child) for child in f.read().split())
            except OSError:
                continue
        return pids

    def _run(self) -> None:
        while not self._stop.is_set():
            total = own = 0
            for pid in self._tree():
                try:
                    with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
                        rss = int(statm.read().split()[1]) * PAGE
                    with open(f"/proc/{pid}/comm", encoding="utf-8") as comm:
                        indexer = comm.read().startswith("pagefind")
                except (OSError, IndexError, ValueError):
                    continue
                total += rss
                own += 0 if indexer else rss
            self.peak = max(self.peak, total)
            self.own_peak = max(self.own_peak, own)
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def measure(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> Sample:
    """Run `command` once; its wall, CPU and memory. A failed build stops the benchmark."""
    LOADS.append(os.getloadavg()[0])
    with open(log, "wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env}, stdout=out,
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        sampler = TreeRss(child.pid)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    tree = sampler.stop()
    own = sampler.own_peak
    if child.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"error: {' '.join(command)} in {cwd} exited "
                         f"{child.returncode}:\n{tail}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024,
                  max(tree, usage.ru_maxrss * 1024), own)


# Lines that carry the time of the build, not its content (MkDocs' home page says when).
BUILD_STAMP = re.compile(rb"^.*Build Date UTC.*$", re.MULTILINE)


def output_digest(folder: Path) -> dict[str, str]:
    """Path -> SHA-256 of every output file, build-time stamps left out (and .gz files)."""
    return {path.relative_to(folder).as_posix():
            hashlib.sha256(BUILD_STAMP.sub(b"", path.read_bytes())).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file() and path.suffix != ".gz"}


def append_sentence(path: Path, n: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f" An added sentence, edit number {n}.\n",
                    encoding="utf-8", newline="\n")


def edited_posts(corpus: corpora.Corpus, count: int) -> list[corpora.Post]:
    """Posts from the middle of the corpus, a different one per repetition."""
    middle = len(corpus.posts) // 2
    return [corpus.posts[(middle + 7 * n) % len(corpus.posts)] for n in range(count)]


def bench_tool(tool: toolbox.Tool, corpus: corpora.Corpus, site: Path, repeat: int,
               logs: Path, slow: float) -> tuple[list[Row], str]:
    """Every scenario `repeat` times; the rows and whether edits match a clean build.

    A tool whose first cold build takes longer than `slow` seconds runs each
    scenario once and is not compared with a clean build: a full run has to end.
    """
    rows = {name: Row(tool.name, len(corpus.posts), name) for name in SCENARIOS}
    posts = edited_posts(corpus, repeat)
    log = logs / f"{tool.name}-{len(corpus.posts)}.log"
    if tool.cold_only:  # every build of it is the same full loop: its cold says it all
        for n in range(repeat):
            tool.clean(site)
            rows["cold"].samples.append(measure(tool.build, site, tool.environment(site), log))
            print(f"  {tool.name} {len(corpus.posts)} run {n + 1}/{repeat}: cold "
                  f"{rows['cold'].samples[-1].wall:.2f} s", file=sys.stderr, flush=True)
        return list(rows.values()), ""  # no-change and one-edit rows without samples
    for n in range(repeat):
        tool.clean(site)
        rows["cold"].samples.append(measure(tool.build, site, tool.environment(site), log))
        rows["no-change"].samples.append(measure(tool.build, site, tool.environment(site), log))
        edited = corpora.post_file(tool.name, site, posts[n])
        append_sentence(edited, n)
        rows["one-edit"].samples.append(measure(tool.edit_build(edited, site), site,
                                                tool.environment(site), log))
        print(f"  {tool.name} {len(corpus.posts)} run {n + 1}/{repeat}: " + ", ".join(
            f"{name} {row.samples[-1].wall:.2f} s" for name, row in rows.items()),
            file=sys.stderr, flush=True)
        if rows["cold"].samples[0].wall > slow:
            pages = sum(1 for p in (site / tool.output).rglob("*.html"))
            return list(rows.values()), (f"not checked: 1 run, cold over {slow:.0f} s "
                                         f"({pages:,} HTML files)")
    return list(rows.values()), compare_with_clean(tool, site, log)


def pagefind_alone(site: Path, posts: int, repeat: int, logs: Path) -> Row | None:
    """Pagefind's command line by itself, `repeat` times, over the pages wgsite's last build
    of `site` laid out for it (.wgsite-cache/search-pages/): the least any build that
    indexes every page again pays, in time and in memory. None without those pages."""
    from pagefind.service import get_executable

    layouts = sorted((site / ".wgsite-cache" / "search-pages").glob("*/site"))
    executable = get_executable()
    if not layouts or executable is None:
        return None
    row = Row("pagefind alone", posts, "index wgsite's pages",
              pages=sum(1 for _ in layouts[0].rglob("*.html")))
    bundle = logs / "pagefind-alone"
    for _ in range(repeat):
        shutil.rmtree(bundle, ignore_errors=True)
        row.samples.append(measure([str(executable), "--site", str(layouts[0]),
                                    "--output-path", str(bundle), "--silent"],
                                   layouts[0].parent, {}, logs / "pagefind-alone.log"))
    shutil.rmtree(bundle, ignore_errors=True)
    return row


def language_scenario(corpus: corpora.Corpus, work: Path, repeat: int, logs: Path
                      ) -> dict[str, float]:
    """wgsite's cold build of the corpus in one language and in two (30% of the posts
    translated into French), alternating, `repeat` times each: the medians and the
    time per built page of each (the target: two languages within 20% of one)."""
    tool = toolbox.wgsite_tool()
    sites = {"one": corpora.export(corpus, "wgsite", work / "languages-one"),
             "two": corpora.export_with(corpora.export_bilingual, corpus,
                                        work / "languages-two")}
    walls: dict[str, list[float]] = {"one": [], "two": []}
    log = logs / f"wgsite-languages-{len(corpus.posts)}.log"
    for n in range(repeat):
        for name, site in sites.items():
            tool.clean(site)
            walls[name].append(measure(tool.build, site, tool.environment(site), log).wall)
        print(f"  wgsite languages run {n + 1}/{repeat}: one {walls['one'][-1]:.2f} s, "
              f"two {walls['two'][-1]:.2f} s", file=sys.stderr, flush=True)
    result: dict[str, float] = {}
    for name, site in sites.items():
        pages = sum(1 for p in (site / tool.output).rglob("*.html")
                    if p.relative_to(site / tool.output).parts[0] != "admin")
        result[f"{name}_wall"] = statistics.median(walls[name])
        result[f"{name}_pages"] = pages
        result[f"{name}_per_page"] = result[f"{name}_wall"] / pages
    result["ratio"] = result["two_per_page"] / result["one_per_page"]
    return result


def phase_timings(site: Path, corpus: corpora.Corpus) -> dict[str, str] | None:
    """wgsite's own per-phase lines from `build --verbose` for a cold build, the same build
    again and a build after one edit (scenario -> output), when this checkout has it."""
    tool = toolbox.wgsite_tool()
    helped = subprocess.run(tool.build[:4] + ["--help"], capture_output=True, text=True,
                            env={**os.environ, **tool.env})
    if "--verbose" not in helped.stdout:
        return None
    tool.clean(site)
    found = {}
    for scenario in SCENARIOS:
        if scenario == "one-edit":  # a post the timed runs did not edit
            append_sentence(corpora.post_file("wgsite", site,
                                              corpus.posts[len(corpus.posts) // 3]), 500)
        done = subprocess.run(tool.build + ["--verbose"], cwd=site, capture_output=True,
                              text=True, env={**os.environ, **tool.env})
        found[scenario] = (done.stderr + done.stdout).strip()
    return found


# A phase line of `build --verbose`: its name and wall time, then (newer checkouts) CPU
# time, then the process's peak memory, bytes written and counts, e.g.
#   markdown     2.479 s   4.120 s CPU    86 MB   0 B written  1,019 documents, ...
PHASE_LINE = re.compile(r"^\s*(?P<name>[a-z][\w-]*)\s+(?P<wall>\d+(?:\.\d+)?) s(?![\w])"
                        r"(?P<rest>.*)$")
PHASE_CPU = re.compile(r"(\d+(?:\.\d+)?) s CPU\b")
PHASE_WRITTEN = re.compile(r"(\d[\d,.]*\s*(?:[kKMGT]i?B|B|bytes?)) written\b")
PHASE_MEMORY = re.compile(r"(\d[\d,.]*) MB\b")
BUILT_LINE = re.compile(r"^Built .* in (\d+(?:\.\d+)?) s\.?$")


def parse_phases(text: str) -> list[dict[str, str]]:
    """The phase lines of one `--verbose` output: name, wall, cpu, memory, written, rest
    (absent figures are ""), and a last "total" line from "Built ... in N s"."""
    phases = []
    for line in text.splitlines():
        if (built := BUILT_LINE.match(line.strip())):
            phases.append({"name": "total", "wall": built.group(1), "cpu": "", "memory": "",
                           "written": "", "rest": ""})
            continue
        match = PHASE_LINE.match(line)
        if not match:
            continue
        rest, figures = match.group("rest"), {}
        for key, pattern in (("cpu", PHASE_CPU), ("written", PHASE_WRITTEN),
                             ("memory", PHASE_MEMORY)):
            found = pattern.search(rest)
            figures[key] = found.group(1) if found else ""
            if found:
                rest = rest[:found.start()] + rest[found.end():]
        phases.append({"name": match.group("name"), "wall": match.group("wall"), **figures,
                       "rest": " ".join(rest.split())})
    return phases


def phase_table(outputs: dict[str, str]) -> str | None:
    """One markdown table, phase x scenario (wall, CPU, written), from `--verbose` outputs;
    None when no line of them reads as a phase."""
    parsed = {scenario: {p["name"]: p for p in parse_phases(text)}
              for scenario, text in outputs.items()}
    names: list[str] = []
    for phases in parsed.values():
        names += [name for name in phases if name not in names and name != "total"]
    if not names:
        return None
    names.append("total")
    scenarios = list(outputs)
    head = ["phase"] + [f"{s} {what}" for s in scenarios for what in ("wall s", "CPU s",
                                                                      "written")]
    lines = ["| " + " | ".join(head + [f"{scenarios[0]}: what it did"]) + " |",
             "| --- |" + " ---: |" * (3 * len(scenarios)) + " --- |"]
    for name in names:
        cells = [name]
        for scenario in scenarios:
            phase = parsed[scenario].get(name)
            cells += [phase[key] or "–" if phase else "" for key in ("wall", "cpu", "written")]
        first = parsed[scenarios[0]].get(name)
        cells.append(first["rest"].replace("|", "\\|") if first else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def profile_cold(site: Path, logs: Path, top: int = 15
                 ) -> tuple[float, list[tuple[str, float, float, str]]]:
    """The whole time and the `top` functions by cumulative time of a cold build (one
    process, --jobs 1) under cProfile: (function, cumulative s, own s, calls). Nothing
    when the build failed."""
    import pstats

    tool = toolbox.wgsite_tool()
    tool.clean(site)
    out = logs / f"wgsite-{site.parent.name}-cold.pstats"
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "wgsite",
                           "build", "--site", ".", "--jobs", "1"], cwd=site,
                          capture_output=True, text=True, env={**os.environ, **tool.env})
    if done.returncode != 0 or not out.exists():
        print(f"  cProfile build failed: {done.stderr[-500:]}", file=sys.stderr)
        return 0.0, []
    stats = pstats.Stats(str(out)).stats  # (file, line, name) -> (cc, nc, tt, ct, callers)
    ranked = sorted(stats.items(), key=lambda item: item[1][3], reverse=True)
    # The frames that only hold the whole build (runpy, the command line, build.run) say
    # nothing about where its time goes: leave out those within 3% of the whole.
    whole = ranked[0][1][3] if ranked else 0
    ranked = [item for item in ranked if item[1][3] < 0.97 * whole][:top]
    return whole, [(_function(key), ct, tt, f"{nc}/{cc}" if nc != cc else str(nc))
                   for key, (cc, nc, tt, ct, _) in ranked]


def _function(key: tuple[str, int, str]) -> str:
    """A profiled function as `name (file:line)`, the file shortened to what tells it."""
    file, line, name = key
    if file == "~":
        return name  # a built-in
    for prefix in (str(toolbox.REPO) + os.sep, "site-packages" + os.sep,
                   sys.base_prefix + os.sep):
        if prefix in file:
            file = file.split(prefix, 1)[1]
    file = re.sub(r"^lib/python[\d.]+/", "", file)
    return f"{name} ({file}:{line})"


def profile_table(found: list[tuple[str, float, float, str]]) -> str:
    lines = ["| function | cumulative s | own s | calls |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| `{name}` | {cum:.3f} | {own:.3f} | {calls} |"
              for name, cum, own, calls in found]
    return "\n".join(lines)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=wgsite benchmark", "-c",
                    "user.email=benchmark@example.invalid", "-c", "init.defaultBranch=main",
                    "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   stdin=subprocess.DEVNULL)


def ci_scenario(corpus: corpora.Corpus, work: Path, repeat: int, logs: Path
                ) -> tuple[Row | None, str]:
    """A CI build: the wgsite export in git, built once; then, `repeat` times, a fresh
    `git clone`, the first build's .wgsite-cache/ and public/ copied in (new mtimes, as a
    CI cache restore gives), a sentence added to one post, one timed build. The row and
    whether the last clone's output equals a clean build of that clone."""
    if shutil.which("git") is None:
        return None, "not measured: git is not installed"
    tool = toolbox.wgsite_tool()
    origin = corpora.export(corpus, "wgsite", work / "ci-origin")
    # what `wgsite init` writes: the outputs stay out of git
    (origin / ".gitignore").write_text("/public/\n/.wgsite-cache/\n/.public.lock\n",
                                       encoding="utf-8")
    _git(origin, "init", "-q")
    _git(origin, "add", "--", *sorted(p.name for p in origin.iterdir()))
    _git(origin, "commit", "-q", "-m", "The benchmark corpus")
    log = logs / f"wgsite-ci-{len(corpus.posts)}.log"
    measure(tool.build, origin, tool.environment(origin), log)
    row = Row("wgsite", len(corpus.posts), "ci-warm")
    clone = work / "ci-clone"
    for n, post in enumerate(edited_posts(corpus, repeat)):
        if clone.exists():
            shutil.rmtree(clone)
        _git(work, "clone", "-q", "--", str(origin), str(clone))
        for name in (".wgsite-cache", "public"):
            shutil.copytree(origin / name, clone / name, copy_function=shutil.copy)
        append_sentence(corpora.post_file("wgsite", clone, post), n)
        row.samples.append(measure(tool.build, clone, tool.environment(clone), log))
        print(f"  wgsite {len(corpus.posts)} ci-warm run {n + 1}/{repeat}: "
              f"{row.samples[-1].wall:.2f} s", file=sys.stderr, flush=True)
    return row, compare_with_clean(tool, clone, log)


def compare_with_clean(tool: toolbox.Tool, site: Path, log: Path) -> str:
    """Whether `site`'s output equals a clean build of it (files compared by SHA-256)."""
    built = output_digest(site / tool.output)
    tool.clean(site)
    measure(tool.build, site, tool.environment(site), log)
    clean = output_digest(site / tool.output)
    differing = sorted(k for k in built.keys() | clean.keys() if built.get(k) != clean.get(k))
    verdict = "yes" if not differing else f"no: {len(differing)} files differ, e.g. " + \
        ", ".join(differing[:3])
    pages = sum(1 for name in clean if name.endswith(".html"))
    return f"{verdict} ({pages:,} HTML files, {len(clean):,} in all)"


# --- serve latency --------------------------------------------------------------------

SERVING = re.compile(r"Serving .* on (http://\S+/)")


# The served output's search entry file: it holds the hash of the index's meta file, so
# any change to the index changes it.
SEARCH_ENTRY = Path("public") / "pagefind" / "pagefind-entry.json"
SEARCH_CAP = 60.0  # seconds from the save; a refresh not seen by then counts as "over 60 s"


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


async def _changed(path: Path, before: bytes | None, deadline: float) -> bool:
    """Poll `path` every 20 ms until its bytes differ from `before` (and it exists), or
    until `deadline` (perf_counter); whether it changed."""
    while True:
        now = _read(path)
        if now is not None and now != before:
            return True
        if time.perf_counter() >= deadline:
            return False
        await asyncio.sleep(0.02)


async def _serve_latency(site: Path, corpus: corpora.Corpus, edits: int
                         ) -> tuple[list[float], list[float]]:
    from tornado.websocket import websocket_connect

    tool = toolbox.wgsite_tool()
    tool.clean(site)
    server = subprocess.Popen(
        [sys.executable, "-m", "wgsite", "serve", "--site", ".", "--port", "0"],
        cwd=site, env={**os.environ, **tool.env}, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    lines: list[str] = []
    url_found = threading.Event()

    def read() -> None:
        for line in server.stderr:
            lines.append(line)
            if SERVING.search(line):
                url_found.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not await asyncio.to_thread(url_found.wait, 600):
            raise SystemExit("error: wgsite serve did not start:\n" + "".join(lines[-20:]))
        url = SERVING.search("".join(lines)).group(1)
        socket = await websocket_connect(_request(url))
        await socket.write_message(json.dumps(
            {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        hello = json.loads(await socket.read_message())
        assert hello["command"] == "hello", hello
        await socket.write_message(json.dumps({"command": "info", "plugins": {}, "url": url}))
        entry = site / SEARCH_ENTRY
        # the first build's search index, made after it served
        await _changed(entry, None, time.perf_counter() + SEARCH_CAP)
        await asyncio.sleep(1.0)  # the server registers the browser, then is idle
        latencies, refreshes = [], []
        for n, post in enumerate(edited_posts(corpus, edits)):
            path = corpora.post_file("wgsite", site, post)
            before = _read(entry)
            started = time.perf_counter()
            append_sentence(path, 1000 + n)
            message = json.loads(await asyncio.wait_for(socket.read_message(), 120))
            latencies.append(time.perf_counter() - started)
            assert message["command"] == "reload", message
            refreshed = await _changed(entry, before, started + SEARCH_CAP)
            refreshes.append(time.perf_counter() - started if refreshed else math.inf)
            await asyncio.sleep(1.0)  # idle again before the next save
        socket.close()
        return latencies, refreshes
    finally:
        server.terminate()
        server.wait(30)


def _request(url: str):
    """The socket request a page of the preview makes: its own origin, as browsers send."""
    from tornado.httpclient import HTTPRequest

    host = url.split("/")[2]
    return HTTPRequest(f"ws://{host}/livereload", headers={"Origin": f"http://{host}"},
                       connect_timeout=10)


def serve_latency(site: Path, corpus: corpora.Corpus, edits: int
                  ) -> tuple[list[float], list[float]]:
    """Seconds from saving a post to the live-reload message, and from saving it to the
    served search index refreshed (math.inf: not within SEARCH_CAP), per edit."""
    return asyncio.run(_serve_latency(site, corpus, edits))


# --- the table ------------------------------------------------------------------------

def mib(value: float) -> str:
    return f"{value / 2**20:.0f}"


def table(rows: list[Row], verdicts: dict[tuple[str, int, str], str]) -> str:
    base = {(r.posts, r.scenario): r.median("wall") for r in rows
            if r.tool == "wgsite" and r.samples}
    floor = {r.posts: r.median("wall") for r in rows
             if r.tool == "floor" and r.scenario == "cold" and r.samples}
    lines = ["| tool | posts | scenario | wall s (median) | CPU s (median) | "
             "peak RSS MiB, one process | peak RSS MiB, process tree | ms per post | "
             "wall vs wgsite | wall vs floor cold | edit = clean build (output) |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in rows:
        if not row.samples:  # a scenario the tool does not run (the floor's no-change)
            lines.append(f"| {row.tool} | {row.posts:,} | {row.scenario} | – | – | – | – | – "
                         "| – | – | not run: the same full loop as cold |")
            continue
        wall = row.median("wall")
        ours = base.get((row.posts, row.scenario))
        ratio = f"{wall / ours:.2f}×" if ours else "–"
        lowest = floor.get(row.posts)
        vs_floor = f"{wall / lowest:.2f}×" if lowest else "–"
        verdict = verdicts.get((row.tool, row.posts, row.scenario), "")
        lines.append(
            f"| {row.tool} | {row.posts:,} | {row.scenario} | {wall:.2f} | "
            f"{row.median('cpu'):.2f} | {mib(max(s.max_rss for s in row.samples))} | "
            f"{mib(max(s.tree_rss for s in row.samples))} | "
            f"{1000 * wall / row.posts:.2f} | {ratio} | {vs_floor} | {verdict} |")
    return "\n".join(lines)


def seconds(value: float) -> str:
    return f"over {SEARCH_CAP:.0f} s" if math.isinf(value) else f"{value:.2f} s"


@dataclass
class Results:
    """Everything a run measured, as the report shows it."""

    rows: list[Row] = field(default_factory=list)
    # (tool, posts, scenario) -> whether that scenario's output equals a clean build
    verdicts: dict[tuple[str, int, str], str] = field(default_factory=dict)
    latencies: dict[int, list[float]] = field(default_factory=dict)  # save to reload
    refreshes: dict[int, list[float]] = field(default_factory=dict)  # save to search index
    languages: dict[int, dict[str, float]] = field(default_factory=dict)
    phases: dict[str, str] | None | bool = False  # False: not run; None: no --verbose
    profile: list[tuple[str, float, float, str]] = field(default_factory=list)
    profile_total: float = 0.0  # the whole cold build under cProfile, seconds
    profile_posts: int = 0
    # posts -> Pagefind alone over the pages wgsite laid out for it (see pagefind_alone)
    pagefind: dict[int, Row] = field(default_factory=dict)


# The targets of issue 15 are judged at these sizes; a run without them says "not measured".
TARGET_SIZES = (1000, 4000)
PEERS = ("eleventy", "pelican", "mkdocs")
PEER_NAMES = {"eleventy": "Eleventy", "pelican": "Pelican", "mkdocs": "MkDocs"}  # in prose
FLOOR_FACTOR = 1.3
RELOAD_TARGET, SEARCH_TARGET = 0.150, 3.0  # seconds, medians at 1,000 posts
MEMORY_TARGETS = {4000: 300, 10000: 600}  # MiB, the process tree's peak over wgsite's rows
LANGUAGES_FACTOR = 1.2


def targets(results: Results) -> list[tuple[str, str, str, str]]:
    """(scenario, target, measured, verdict) per target; verdict "met", "not met" or
    "not measured" (the run left that tool or size out)."""
    wall = {(r.tool, r.posts, r.scenario): r.median("wall") for r in results.rows
            if r.samples}
    lines = []

    def line(scenario: str, target: str, measured: str, met: bool | None) -> None:
        verdict = "not measured" if met is None else "met" if met else "not met"
        lines.append((scenario, target, measured, verdict))

    for posts in TARGET_SIZES:
        ours, floor = wall.get(("wgsite", posts, "cold")), wall.get(("floor", posts, "cold"))
        if ours is None or floor is None:
            line(f"cold, {posts:,} posts", f"at most {FLOOR_FACTOR}× the Python floor",
                 _figures({"wgsite": ours, "floor": floor}), None)
        else:
            line(f"cold, {posts:,} posts", f"at most {FLOOR_FACTOR}× the Python floor",
                 f"wgsite {ours:.2f} s, floor {floor:.2f} s: {ours / floor:.2f}×",
                 ours <= FLOOR_FACTOR * floor)
    for posts in TARGET_SIZES:
        ours = wall.get(("wgsite", posts, "cold"))
        peers = {name: wall.get((name, posts, "cold")) for name in PEERS}
        measured = _figures({"wgsite": ours, **peers})
        beaten = [ours < value for value in peers.values() if value is not None] \
            if ours is not None else []
        met = False if not all(beaten) else None if ours is None or None in \
            peers.values() else True
        line(f"cold, {posts:,} posts", "faster than Eleventy, Pelican and MkDocs", measured,
             met)
    for posts in TARGET_SIZES:
        ours, hugo = wall.get(("wgsite", posts, "one-edit")), wall.get(("hugo", posts,
                                                                         "one-edit"))
        line(f"one edit, {posts:,} posts", "faster than Hugo's one edit",
             _figures({"wgsite": ours, "hugo": hugo}),
             None if ours is None or hugo is None else ours < hugo)
    reloads, refreshes = results.latencies.get(1000), results.refreshes.get(1000)
    if reloads:
        median = statistics.median(reloads)
        line("serve, 1,000 posts", f"save to reload: median under {1000 * RELOAD_TARGET:.0f} "
             "ms", f"median {1000 * median:.0f} ms over {len(reloads)} edits",
             median < RELOAD_TARGET)
    else:
        line("serve, 1,000 posts", f"save to reload: median under {1000 * RELOAD_TARGET:.0f} "
             "ms", "–", None)
    if refreshes:
        median = statistics.median(refreshes)
        line("serve, 1,000 posts", f"save to search refreshed: median within "
             f"{SEARCH_TARGET:.0f} s", f"median {seconds(median)}, max {seconds(max(refreshes))}"
             f" over {len(refreshes)} edits", median <= SEARCH_TARGET)
    else:
        line("serve, 1,000 posts", f"save to search refreshed: median within "
             f"{SEARCH_TARGET:.0f} s", "–", None)
    for posts, limit in MEMORY_TARGETS.items():
        peaks = [max(s.tree_rss for s in r.samples) for r in results.rows
                 if r.tool == "wgsite" and r.posts == posts and r.samples]
        line(f"peak memory, {posts:,} posts", f"process tree under {limit} MiB",
             f"{mib(max(peaks))} MiB (the largest of wgsite's rows)" if peaks else "–",
             max(peaks) < limit * 2**20 if peaks else None)
    for posts in TARGET_SIZES:
        ours, hugo = wall.get(("wgsite", posts, "ci-warm")), wall.get(("hugo", posts, "cold"))
        line(f"CI (clone, cache restored, one post changed), {posts:,} posts",
             "at most Hugo's cold", _figures({"wgsite ci-warm": ours, "hugo cold": hugo}),
             None if ours is None or hugo is None else ours <= hugo)
    if results.languages:
        for posts, found in results.languages.items():
            line(f"languages, {posts:,} posts", f"time per page in two languages at most "
                 f"{LANGUAGES_FACTOR:.2f}× one", f"{found['ratio']:.2f}×",
                 found["ratio"] <= LANGUAGES_FACTOR)
    else:
        line("languages", f"time per page in two languages at most {LANGUAGES_FACTOR:.2f}× "
             "one", "–", None)
    return lines


def _figures(walls: dict[str, float | None]) -> str:
    return ", ".join(f"{name} {value:.2f} s" if value is not None else f"{name} not run"
                     for name, value in walls.items())


def bounds_lines(results: Results) -> list[str]:
    """A line per size: Pagefind alone against the targets it bounds, from this run."""
    wall = {(r.tool, r.posts, r.scenario): r.median("wall") for r in results.rows
            if r.samples}
    lines = []
    for posts, alone in sorted(results.pagefind.items()):
        took, peak = alone.median("wall"), max(s.tree_rss for s in alone.samples)
        said = [f"- {posts:,} posts: Pagefind alone over {alone.pages:,} "
                f"pages took {took:.2f} s (median of {len(alone.samples)}; "
                f"{alone.median('cpu'):.2f} s of CPU) and peaked at {mib(peak)} MiB"]
        hugo_edit, hugo_cold = wall.get(("hugo", posts, "one-edit")), \
            wall.get(("hugo", posts, "cold"))
        if hugo_edit is not None:
            said.append(f"Hugo's whole one edit took {hugo_edit:.2f} s"
                        + (": a one-edit build that indexes every page again cannot beat it"
                           if took >= hugo_edit else ""))
        if hugo_cold is not None:
            said.append(f"Hugo's cold build (the ci-warm target) {hugo_cold:.2f} s"
                        + (", less than Pagefind alone" if took >= hugo_cold else ""))
        limit = MEMORY_TARGETS.get(posts)
        if limit is not None:
            said.append(f"the memory target is {limit} MiB"
                        + (", below Pagefind's own peak" if peak >= limit * 2**20 else ""))
            own = [max(sample.own_rss for sample in r.samples) for r in results.rows
                   if r.tool == "wgsite" and r.posts == posts and r.samples]
            if own and max(own):
                said.append(f"wgsite's own processes (the tree without Pagefind's) peaked at "
                            f"{mib(max(own))} MiB")
        lines.append("; ".join(said) + ".")
    return lines


def cold_bounds_lines(results: Results) -> list[str]:
    """A line per size: what a cold build of wgsite, and of the floor, cost in CPU,
    against the peers it is to beat, from this run."""
    rows = {(r.tool, r.posts, r.scenario): r for r in results.rows if r.samples}
    cores = os.cpu_count() or 1
    lines = []
    for posts in TARGET_SIZES:
        ours, floor = rows.get(("wgsite", posts, "cold")), rows.get(("floor", posts, "cold"))
        if ours is None or floor is None:
            continue
        cpu = ours.median("cpu")
        said = [f"- cold, {posts:,} posts: wgsite took {ours.median('wall'):.2f} s with "
                f"{cpu:.2f} s of CPU, so at least {cpu / cores:.2f} s on {cores} cores however "
                f"the work were shared; the floor took {floor.median('wall'):.2f} s with "
                f"{floor.median('cpu'):.2f} s of CPU"]
        faster = [f"{PEER_NAMES[name]} ({rows[(name, posts, 'cold')].median('wall'):.2f} s)"
                  for name in PEERS if (name, posts, "cold") in rows
                  and rows[(name, posts, "cold")].median("wall") < floor.median("wall")]
        if faster:
            said.append("the floor itself, the least a build of Python-Markdown, Jinja and "
                        "Pagefind does, is slower than " + " and ".join(faster))
        lines.append("; ".join(said) + ".")
    return lines


def targets_table(lines: list[tuple[str, str, str, str]]) -> str:
    table_lines = ["| scenario | target | measured (medians) | verdict |",
                   "| --- | --- | --- | --- |"]
    table_lines += [f"| {scenario} | {target} | {measured} | {verdict} |"
                    for scenario, target, measured, verdict in lines]
    return "\n".join(table_lines)


def report(results: Results, args, started: float, tools, done: bool) -> str:
    minutes = (time.perf_counter() - started) / 60
    took = f"The whole run took {minutes:.0f} min." if done else \
        f"PARTIAL: the run was still going after {minutes:.0f} min."
    parts = [f"Command: `python benchmarks/run.py {' '.join(args.argv)}`".rstrip(),
             f"Repetitions per scenario: {args.repeat} (medians; peak RSS is the largest of "
             f"the runs). {took}",
             "", "Machine: " + ", ".join(f"{k} {v}" for k, v in toolbox.machine().items()),
             f"1-minute load average as builds started: min {min(LOADS, default=0):.1f}, "
             f"median {statistics.median(LOADS or [0]):.1f}, max {max(LOADS, default=0):.1f} "
             f"(with {os.cpu_count()} cores, above {os.cpu_count()} means builds waited).", "",
             "Versions:", ""]
    parts += [f"- {name}: {version}" for name, version in toolbox.versions().items()]
    parts += ["", "Modes:", ""]
    parts += [f"- {tool.name}: `{' '.join(Path(a).name if '/' in a else a for a in tool.build)}`"
              f" ({tool.note})" for tool in tools]
    parts += ["", table(results.rows, results.verdicts), ""]
    for posts, values in results.latencies.items():
        ms = sorted(v * 1000 for v in values)
        parts.append(f"wgsite serve, save to reload message at {posts:,} posts: median "
                     f"{statistics.median(ms):.0f} ms, min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms "
                     f"over {len(ms)} edits.")
        refreshed = sorted(results.refreshes.get(posts, []))
        if refreshed:
            parts.append(f"wgsite serve, save to search index refreshed at {posts:,} posts: "
                         f"median {seconds(statistics.median(refreshed))}, min "
                         f"{seconds(refreshed[0])}, max {seconds(refreshed[-1])} over "
                         f"{len(refreshed)} edits.")
    for posts, found in results.languages.items():
        verdict = "met" if found["ratio"] <= 1.2 else "not met"
        parts += ["", f"Languages, {posts:,} posts, cold builds (medians): in one language "
                  f"{found['one_wall']:.2f} s for {found['one_pages']:,.0f} pages "
                  f"({1000 * found['one_per_page']:.2f} ms a page); in English and French, "
                  f"30% of the posts translated, {found['two_wall']:.2f} s for "
                  f"{found['two_pages']:,.0f} pages ({1000 * found['two_per_page']:.2f} ms a "
                  f"page): {found['ratio']:.2f}× the time per page (target: at most 1.20×, "
                  f"{verdict})."]
    parts += ["", "### Targets (issue 15)", "", targets_table(targets(results))]
    bounds, cold = bounds_lines(results), cold_bounds_lines(results)
    if bounds or cold:
        parts += ["", "### What bounds the targets not met", ""]
    if bounds:
        parts += ["Every wgsite build that has a page to index again runs Pagefind over "
                  "every page (it has no incremental mode), and its process is the largest "
                  "of a cold build. So the run also times Pagefind's command line by itself, "
                  "over the very pages wgsite's last build laid out for it, with nothing "
                  "else running:", ""] + bounds
    if cold:
        parts += ["", "The cold builds, by the CPU they took (user and system, the build "
                  "and every process it waited for):", ""] + cold
    phases = results.phases
    if phases:
        posts = results.profile_posts
        parts += ["", f"### Where the time goes: wgsite at {posts:,} posts", "",
                  "`build --verbose` of a cold build, the same build again and a build after "
                  "one edit (wall and CPU seconds, bytes written, per phase):", ""]
        tabled = phase_table(phases)
        if tabled:
            parts.append(tabled)
            if not any(p["cpu"] for text in phases.values() for p in parse_phases(text)):
                parts += ["", "(This checkout's `--verbose` gives no CPU time or bytes "
                          "written per phase.)"]
        else:
            parts += ["```"] + [f"{scenario}:\n{text}" for scenario, text in phases.items()] \
                + ["```"]
        if results.profile:
            parts += ["", "The 15 functions with the most cumulative time in a cold build "
                      "under cProfile (`python -m cProfile -m wgsite build --site . --jobs 1`, "
                      "one process; the Pagefind child is the time spent waiting for it; the "
                      "frames that hold the whole build, such as the command line, left out), "
                      f"regenerated by the benchmark itself (the whole build: "
                      f"{results.profile_total:.2f} s under the profiler):", "",
                      profile_table(results.profile)]
    elif phases is None:
        parts += ["", "wgsite `build --verbose`: not in this checkout."]
    return "\n".join(parts) + "\n"


def write_markdown(path: Path, text: str) -> None:
    """Put `text` between the results markers of `path` (appended when it has none)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{RESULTS_START}\n{text}{RESULTS_END}"
    if RESULTS_START in old and RESULTS_END in old:
        head, rest = old.split(RESULTS_START, 1)
        new = head + block + rest.split(RESULTS_END, 1)[1]
    else:
        new = old + ("\n" if old and not old.endswith("\n") else "") + block + "\n"
    path.write_text(new, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 30 posts, 1 run, installed tools only, 3 serve edits")
    parser.add_argument("--posts", type=int, nargs="+", help="corpus sizes (default 1000 4000)")
    parser.add_argument("--scaling", type=int, nargs="*",
                        help="sizes built by wgsite alone (default 10000; none with --quick)")
    parser.add_argument("--tools", nargs="+", choices=corpora.TOOLS,
                        help="default: all (with --quick: wgsite and those installed)")
    parser.add_argument("--repeat", type=int, help="runs per scenario (default 5; quick 1)")
    parser.add_argument("--serve-edits", type=int,
                        help="edits timed against wgsite serve (default 10; quick 3; 0: none)")
    parser.add_argument("--slow", type=float, default=120, metavar="SECONDS",
                        help="a tool whose first cold build takes longer runs each scenario "
                        "once (default 120)")
    parser.add_argument("--no-languages", action="store_true",
                        help="leave out the two-language scenario (English and French, 30%% "
                        "of the posts translated) at the first size")
    parser.add_argument("--no-install", action="store_true",
                        help="do not install missing competitors into benchmarks/.env/")
    parser.add_argument("--work", type=Path, default=WORK, help="where the corpora go")
    parser.add_argument("--markdown", type=Path, metavar="FILE",
                        help="also write the results section of FILE (e.g. RESULTS.md)")
    args = parser.parse_args(argv)
    args.argv = argv
    quick = args.quick
    args.posts = args.posts or ([30] if quick else [1000, 4000])
    args.scaling = args.scaling if args.scaling is not None else ([] if quick else [10000])
    args.repeat = args.repeat or (1 if quick else 5)
    edits = args.serve_edits if args.serve_edits is not None else (3 if quick else 10)
    names = args.tools or list(corpora.TOOLS)
    found = toolbox.available(names)
    missing = [name for name, tool in found.items() if tool is None]
    if missing and not quick and not args.no_install:
        print(f"Installing {', '.join(missing)} into {toolbox.ENV} ...", file=sys.stderr)
        toolbox.install()
        found = toolbox.available(names)
        missing = [name for name, tool in found.items() if tool is None]
    if missing and not quick:
        raise SystemExit(f"error: not installed: {', '.join(missing)} "
                         "(python benchmarks/tools.py install)")
    tools = [tool for tool in found.values() if tool is not None]
    if missing:
        print(f"Skipping (not installed): {', '.join(missing)}", file=sys.stderr)
    started = time.perf_counter()
    results = Results()
    logs = args.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    if not (args.work / ".gitignore").exists():
        (args.work / ".gitignore").write_text("*\n", encoding="utf-8")
    plan = [(posts, tools) for posts in args.posts]
    plan += [(posts, [toolbox.wgsite_tool()]) for posts in args.scaling
             if "wgsite" in names and posts not in args.posts]
    for posts, members in plan:
        corpus = corpora.make_corpus(posts)
        for tool in members:
            site = corpora.export(corpus, tool.name, args.work / str(posts) / tool.name)
            print(f"{tool.name}, {posts} posts: {site}", file=sys.stderr, flush=True)
            tool_rows, verdict = bench_tool(tool, corpus, site, args.repeat, logs, args.slow)
            results.rows += tool_rows
            results.verdicts[(tool.name, posts, "one-edit")] = verdict
            first = tool.name == "wgsite" and posts == args.posts[0]
            if first:
                results.phases = phase_timings(site, corpus)
                results.profile_total, results.profile = profile_cold(site, logs)
                results.profile_posts = posts
            if first and edits:
                results.latencies[posts], results.refreshes[posts] = serve_latency(
                    site, corpus, edits)
            if first and not args.no_languages:
                results.languages[posts] = language_scenario(corpus, args.work / str(posts),
                                                             args.repeat, logs)
            if tool.name == "wgsite":
                alone = pagefind_alone(site, posts, args.repeat, logs)
                if alone is not None:
                    results.pagefind[posts] = alone
            if tool.name == "wgsite" and posts in args.posts:
                row, verdict = ci_scenario(corpus, args.work / str(posts), args.repeat, logs)
                if row is not None:
                    results.rows.append(row)
                    results.verdicts[("wgsite", posts, "ci-warm")] = verdict
                else:
                    print(f"  ci-warm: {verdict}", file=sys.stderr)
            if args.markdown:  # so far: a long run cut short still leaves its figures
                write_markdown(args.markdown, report(results, args, started, tools, False))
    text = report(results, args, started, tools, True)
    print(text)
    (args.work / "results.json").write_text(json.dumps(
        [{**asdict(row), "median_wall": row.median("wall") if row.samples else None}
         for row in results.rows],
        indent=1), encoding="utf-8")
    if args.markdown:
        write_markdown(args.markdown, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
