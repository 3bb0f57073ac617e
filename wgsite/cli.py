"""The command line: build (the default), check, serve, new, init and docs.

A user's mistake ends in a list of problems naming file and line and exit
status 1, never a traceback (`--debug` shows one for a crash of wgsite itself).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import traceback
from datetime import date
from pathlib import Path

from wgsite import __version__
from wgsite.folders import SiteFolders
from wgsite.options import BuildOptions
from wgsite.problems import BuildFailed, report, user_problems
from wgsite.urls import is_web_address

COMMANDS = ("build", "serve", "new", "check", "init", "docs")


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", default=".", metavar="DIR",
                        help="the site folder (default: the current folder)")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings as errors (for CI)")
    parser.add_argument("--debug", action="store_true",
                        help="show a traceback when wgsite itself fails")


def _build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="DIR", help="the output folder (default: SITE/public)")
    parser.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N",
                        help="processes converting Markdown and rendering pages "
                        "(default: one per processor)")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="print how long each phase of the build took")
    parser.add_argument("--cms-backend", choices=("test-repo",), default=None,
                        help="test-repo: the content manager at /admin/ edits an in-memory "
                        "copy of the site and saves nothing (for trying it out and tests)")


def _published_options(parser: argparse.ArgumentParser) -> None:
    """What decides the published site: where it lives, and whether drafts are in it."""
    parser.add_argument("--base-url", metavar="URL", type=_base_url,
                        help="where the site is published (default: base_url in "
                        "data/site.yaml); a path such as https://example.org/wg/ works")
    parser.add_argument("--drafts", action="store_true", help="include drafts")


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes (1 or more)")
    return int(value)


def _base_url(value: str) -> str:
    if not is_web_address(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a web address (such as "
                                         "https://example.org/wg/)")
    return value


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wgsite", description="Build the site of a network's working groups.")
    parser.add_argument("--version", action="version", version=f"wgsite {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build the site into public/ (the default)")
    _site_options(build_cmd)
    _build_options(build_cmd)
    _published_options(build_cmd)
    build_cmd.add_argument("--preview", action="store_true",
                           help="a deploy preview: a banner on every page and a robots.txt "
                           "that keeps search engines out (combine with --drafts)")

    serve_cmd = commands.add_parser("serve", help="preview with drafts, rebuilding on change")
    _site_options(serve_cmd)
    _build_options(serve_cmd)
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on "
                           "(default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--port", type=int, default=8000,
                           help="port (default: 8000; 0 picks a free one)")
    serve_cmd.add_argument("--no-drafts", dest="drafts", action="store_false",
                           help="leave drafts out, as the published site does")

    new_cmd = commands.add_parser("new", help="start a new page from its type's skeleton")
    _site_options(new_cmd)
    new_cmd.add_argument("type", metavar="KIND", help="what to create: news, working-group, "
                         "project, event, page, or a kind the site declares")
    new_cmd.add_argument("title", help="its title, in quotes")
    new_cmd.add_argument("--date", type=date.fromisoformat, default=None,
                         help="the date for news (default: today), YYYY-MM-DD")
    new_cmd.add_argument("--lang", default=None, metavar="CODE",
                         help="the language of a translation (with --translation-of): one of "
                         "site.yaml's languages, not the default")
    new_cmd.add_argument("--translation-of", type=Path, default=None, metavar="FILE",
                         help="the original this page translates (content/news/x.md): "
                         "writes x.<lang>.md beside it with the words to translate")

    check_cmd = commands.add_parser("check", help="build, then check every internal link, "
                                    "fragment, image and alt text of the output")
    _site_options(check_cmd)
    _build_options(check_cmd)
    _published_options(check_cmd)
    check_cmd.add_argument("--external", action="store_true",
                           help="also ask other sites whether the pages the site links to "
                           "are still there (needs the network; answers are cached a day)")

    docs_cmd = commands.add_parser("docs", help="write docs/reference.md, the front-matter "
                                   "reference, from the schema")
    _site_options(docs_cmd)

    init_cmd = commands.add_parser("init", help="start a new site in an empty folder")
    init_cmd.add_argument("folder", metavar="DIR", help="the new site's folder")
    init_cmd.add_argument("--title", default="Our Network", help="the network's name")
    init_cmd.add_argument("--wgsite", metavar="REQUIREMENT", default=None,
                          help="how the new site's requirements.txt installs wgsite, e.g. "
                          "'wgsite @ git+https://github.com/OWNER/wgsite@v1.0' (default: "
                          "this wgsite, from where it was installed)")
    return parser


def _stop_on_terminate(signum: int, frame: object) -> None:
    # SIGTERM (a CI timeout, a killed process) unwinds like Ctrl+C, so the writer
    # removes its staging folder and the previous output stays.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop_on_terminate)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        site = getattr(args, "site", None)
        problems = user_problems(exc, Path(site) if site else None)
        if problems is not None:
            report(problems)
            return 1
        # a crash of wgsite itself, not a user's mistake
        if getattr(args, "debug", False):
            raise
        print("error: wgsite failed unexpectedly; run again with --debug to see why:\n  "
              + traceback.format_exc().strip().splitlines()[-1], file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    # Each command imports what only it needs, so a build starts quickly.
    if args.command == "init":
        from wgsite.commands import init

        return init.run(Path(args.folder), args.title, date.today(), args.wgsite)
    site = Path(args.site)
    if not site.is_dir():
        what = "is not a folder" if site.exists() else "does not exist"
        raise BuildFailed.one(site, f"{what}; --site names the site's folder")
    if args.command == "new":
        from wgsite.commands import new

        return new.run(site, args.type, args.title, args.date or date.today(), args.lang,
                       args.translation_of)
    if args.command == "docs":
        from wgsite.commands import docs

        return docs.run(site)
    folders = SiteFolders.at(site, args.out)
    options = BuildOptions(drafts=args.drafts, base_url=getattr(args, "base_url", None),
                           strict=args.strict, preview=getattr(args, "preview", False),
                           jobs=args.jobs, cms_backend=args.cms_backend)
    if args.command == "serve":
        from wgsite.commands.serve import serve

        return serve(folders, options, args.host, args.port, debug=args.debug)
    if args.command == "check":
        from wgsite.commands import check

        return check.run(folders, options, verbose=args.verbose, external=args.external)
    from wgsite.commands import build

    return 0 if build.run(folders, options, verbose=args.verbose) is not None else 1
