"""Build one corpus with wgsite and its competitors; print one table of medians.

    python benchmarks/run.py                    # 1,000 and 4,000 posts, every tool, 5 runs
    python benchmarks/run.py --quick            # a smoke run: 30 posts, 1 run
    python benchmarks/run.py --posts 1000 --tools wgsite hugo --repeat 3
    python benchmarks/run.py --repeat 3 --markdown benchmarks/RESULTS.md

Each build runs as a child process. Wall time is time.perf_counter around it;
CPU is user + system of the child and every descendant it waited for (os.wait4);
peak RSS is reported twice: the largest single process (wait4's ru_maxrss) and
the largest sum of RSS over the whole process tree, sampled from /proc every
10 ms (wgsite may fan Markdown out to worker processes). Scenarios: cold (output
and every cache removed), no-change (the same build again), one-edit (a sentence
appended to one post, a different post each repetition). After the last edit a
cold build checks that the edited output equals what a clean build gives.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
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


@dataclass
class Row:
    tool: str
    posts: int
    scenario: str
    samples: list[Sample] = field(default_factory=list)

    def median(self, name: str) -> float:
        return statistics.median(getattr(sample, name) for sample in self.samples)


class TreeRss:
    """The largest sum of resident memory over a process and its descendants, sampled."""

    def __init__(self, pid: int, interval: float = 0.01):
        self.pid, self.interval, self.peak = pid, interval, 0
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
            total = 0
            for pid in self._tree():
                try:
                    with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
                        total += int(statm.read().split()[1]) * PAGE
                except (OSError, IndexError, ValueError):
                    continue
            self.peak = max(self.peak, total)
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
    if child.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"error: {' '.join(command)} in {cwd} exited "
                         f"{child.returncode}:\n{tail}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024,
                  max(tree, usage.ru_maxrss * 1024))


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
    incremental = output_digest(site / tool.output)
    tool.clean(site)
    measure(tool.build, site, tool.environment(site), log)
    clean = output_digest(site / tool.output)
    differing = sorted(k for k in incremental.keys() | clean.keys()
                       if incremental.get(k) != clean.get(k))
    verdict = "yes" if not differing else f"no: {len(differing)} files differ, e.g. " + \
        ", ".join(differing[:3])
    pages = sum(1 for name in clean if name.endswith(".html"))
    return list(rows.values()), f"{verdict} ({pages:,} HTML files, {len(clean):,} in all)"


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


def phase_timings(site: Path) -> str | None:
    """wgsite's own per-phase lines from `build --verbose`, when this checkout has it."""
    tool = toolbox.wgsite_tool()
    helped = subprocess.run(tool.build[:4] + ["--help"], capture_output=True, text=True,
                            env={**os.environ, **tool.env})
    if "--verbose" not in helped.stdout:
        return None
    tool.clean(site)
    lines = []
    for scenario in ("cold", "no-change"):
        done = subprocess.run(tool.build + ["--verbose"], cwd=site, capture_output=True,
                              text=True, env={**os.environ, **tool.env})
        lines.append(f"{scenario}:\n{(done.stderr + done.stdout).strip()}")
    return "\n".join(lines)


# --- serve latency --------------------------------------------------------------------

SERVING = re.compile(r"Serving .* on (http://\S+/)")


async def _serve_latency(site: Path, corpus: corpora.Corpus, edits: int) -> list[float]:
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
        await asyncio.sleep(1.0)  # the server registers the browser, then is idle
        latencies = []
        for n, post in enumerate(edited_posts(corpus, edits)):
            path = corpora.post_file("wgsite", site, post)
            started = time.perf_counter()
            append_sentence(path, 1000 + n)
            message = json.loads(await asyncio.wait_for(socket.read_message(), 120))
            latencies.append(time.perf_counter() - started)
            assert message["command"] == "reload", message
            await asyncio.sleep(1.0)  # idle again before the next save
        socket.close()
        return latencies
    finally:
        server.terminate()
        server.wait(30)


def _request(url: str):
    """The socket request a page of the preview makes: its own origin, as browsers send."""
    from tornado.httpclient import HTTPRequest

    host = url.split("/")[2]
    return HTTPRequest(f"ws://{host}/livereload", headers={"Origin": f"http://{host}"},
                       connect_timeout=10)


def serve_latency(site: Path, corpus: corpora.Corpus, edits: int) -> list[float]:
    """Seconds from saving a post to the live-reload message, per edit."""
    return asyncio.run(_serve_latency(site, corpus, edits))


# --- the table ------------------------------------------------------------------------

def mib(value: float) -> str:
    return f"{value / 2**20:.0f}"


def table(rows: list[Row], verdicts: dict[tuple[str, int], str]) -> str:
    base = {(r.posts, r.scenario): r.median("wall") for r in rows if r.tool == "wgsite"}
    lines = ["| tool | posts | scenario | wall s (median) | CPU s (median) | "
             "peak RSS MiB, one process | peak RSS MiB, process tree | ms per post | "
             "wall vs wgsite | edit = clean build (output) |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in rows:
        wall = row.median("wall")
        ours = base.get((row.posts, row.scenario))
        ratio = f"{wall / ours:.2f}×" if ours else "–"
        verdict = verdicts.get((row.tool, row.posts), "") if row.scenario == "one-edit" else ""
        lines.append(
            f"| {row.tool} | {row.posts:,} | {row.scenario} | {wall:.2f} | "
            f"{row.median('cpu'):.2f} | {mib(max(s.max_rss for s in row.samples))} | "
            f"{mib(max(s.tree_rss for s in row.samples))} | "
            f"{1000 * wall / row.posts:.2f} | {ratio} | {verdict} |")
    return "\n".join(lines)


def report(rows, verdicts, latencies, phases, args, started: float, tools,
           done: bool, languages: dict[int, dict[str, float]] | None = None) -> str:
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
    parts += ["", table(rows, verdicts), ""]
    for posts, values in latencies.items():
        ms = sorted(v * 1000 for v in values)
        parts.append(f"wgsite serve, save to reload message at {posts:,} posts: median "
                     f"{statistics.median(ms):.0f} ms, min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms "
                     f"over {len(ms)} edits (target: under 300 ms median at 1,000 posts).")
    for posts, found in (languages or {}).items():
        verdict = "met" if found["ratio"] <= 1.2 else "not met"
        parts += ["", f"Languages, {posts:,} posts, cold builds (medians): in one language "
                  f"{found['one_wall']:.2f} s for {found['one_pages']:,.0f} pages "
                  f"({1000 * found['one_per_page']:.2f} ms a page); in English and French, "
                  f"30% of the posts translated, {found['two_wall']:.2f} s for "
                  f"{found['two_pages']:,.0f} pages ({1000 * found['two_per_page']:.2f} ms a "
                  f"page): {found['ratio']:.2f}× the time per page (target: at most 1.20×, "
                  f"{verdict})."]
    if phases:
        parts += ["", "wgsite `build --verbose` phases:", "", "```", phases, "```"]
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
    rows: list[Row] = []
    verdicts: dict[tuple[str, int], str] = {}
    latencies: dict[int, list[float]] = {}
    languages: dict[int, dict[str, float]] = {}
    phases: str | None | bool = False
    logs = args.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    plan = [(posts, tools) for posts in args.posts]
    plan += [(posts, [toolbox.wgsite_tool()]) for posts in args.scaling
             if "wgsite" in names and posts not in args.posts]
    for posts, members in plan:
        corpus = corpora.make_corpus(posts)
        for tool in members:
            site = corpora.export(corpus, tool.name, args.work / str(posts) / tool.name)
            print(f"{tool.name}, {posts} posts: {site}", file=sys.stderr, flush=True)
            tool_rows, verdicts[(tool.name, posts)] = bench_tool(tool, corpus, site,
                                                                 args.repeat, logs, args.slow)
            rows += tool_rows
            if tool.name == "wgsite" and posts == args.posts[0]:
                phases = phase_timings(site)
            if tool.name == "wgsite" and edits and posts == args.posts[0]:
                latencies[posts] = serve_latency(site, corpus, edits)
            if tool.name == "wgsite" and posts == args.posts[0] and not args.no_languages:
                languages[posts] = language_scenario(corpus, args.work / str(posts),
                                                     args.repeat, logs)
            if args.markdown:  # so far: a long run cut short still leaves its figures
                write_markdown(args.markdown, report(rows, verdicts, latencies, phases, args,
                                                     started, tools, False, languages))
    text = report(rows, verdicts, latencies, phases, args, started, tools, True, languages)
    print(text)
    (args.work / "results.json").write_text(json.dumps(
        [{**asdict(row), "median_wall": row.median("wall")} for row in rows], indent=1),
        encoding="utf-8")
    if args.markdown:
        write_markdown(args.markdown, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
