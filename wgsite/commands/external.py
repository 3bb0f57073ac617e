"""`check --external`: whether the pages other sites host, that the site links to, still answer.

Off by default, so `check` needs no network. Each address is asked once per
run (HEAD, then GET for servers that refuse HEAD), with a timeout, a few at a
time; an answer that worked is kept in `.wgsite-cache/external-links/` for a
day, so a CI run every push does not knock on every partner's door. A page
that is gone (404, 410) is an error; a server that cannot be reached, or
answers with another error, is a warning, since it may be back tomorrow.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from wgsite import __version__
from wgsite.incremental.cache import Store

KEEP_GOOD = 24 * 3600  # seconds an answer that worked is trusted
GONE = {404, 410}


@dataclass(frozen=True)
class Answer:
    """What an address answered: `problem` is empty when it worked."""

    problem: str = ""
    gone: bool = False  # the page is not there (an error); else it may come back (a warning)


class ExternalLinks:
    """Asks each address once, with a timeout, reusing recent good answers from the cache."""

    def __init__(self, cache_folder: Path, timeout: float = 10.0, workers: int = 8):
        self.cache = Store(cache_folder, "external-links")
        self.timeout = timeout
        self.workers = workers

    def check(self, addresses: list[str]) -> dict[str, Answer]:
        now = time.time()
        asking = sorted(url for url in set(addresses)
                        if not isinstance(worked := self.cache.get(url), (int, float))
                        or now - worked >= KEEP_GOOD)
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            answers = dict(zip(asking, pool.map(self._ask, asking)))
        for url, answer in answers.items():
            if not answer.problem:
                self.cache.put(url, now)
        return {url: answers.get(url, Answer()) for url in addresses}

    def _ask(self, url: str) -> Answer:
        status = None
        for method in ("HEAD", "GET"):
            request = urllib.request.Request(url, method=method, headers={
                "User-Agent": f"wgsite-check/{__version__} (link checker)"})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout):
                    return Answer()
            except urllib.error.HTTPError as exc:
                status = exc.code
                if method == "HEAD" and exc.code in (403, 405, 501):
                    continue  # servers that refuse HEAD may answer GET
                break
            except (urllib.error.URLError, OSError, ValueError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                    return Answer(f"no answer within {self.timeout:g} s")
                return Answer(f"cannot be reached ({reason})")
        if status in GONE:
            return Answer(f"the page is gone ({status})", gone=True)
        return Answer(f"the server answers {status}")
