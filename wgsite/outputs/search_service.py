"""A search index kept alive between serve's rebuilds, in `pagefind --service`.

Pagefind has no incremental mode, and its command line reads, indexes and
writes every page each time: about 2.6 s at 1,000 posts. Its service keeps
an index in memory, and adding a page whose URL the index holds replaces
that page; handing the index over then takes about 1.3 s at 1,000 posts. So
serve's rebuilds re-add only the pages whose markup changed. The bundle is
byte for byte the command line's over the same folder of pages when the
index holds the same pages: a page added or removed changes how Pagefind
numbers the pages, and it has no way to remove one, so then the index is
made anew from the folder. (tests/test_search_service.py proves both.)

The service is spoken to directly: Pagefind's Python wrapper sleeps 0.1 s
before it reads each answer. A message is base64 of a JSON object, ended by
a comma, each way.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import threading
from pathlib import Path


class ServiceFailed(Exception):
    """The service could not make the index (it died, or answered with an error):
    the caller makes it with the command line instead."""


def pagefind_environment() -> dict[str, str]:
    """The environment Pagefind runs in: none of the user's PAGEFIND_ settings, which
    would change the index behind the build's back."""
    return {key: value for key, value in os.environ.items()
            if not key.startswith("PAGEFIND_")}


class SearchService:
    """One `pagefind --service` for a process's life, and the pages its index holds."""

    def __init__(self, executable: Path) -> None:
        self._executable = executable
        self._process: subprocess.Popen | None = None
        self._message = 0
        self._index: int | None = None
        self._language: str | None = None
        self._held: dict[str, str] = {}  # output file -> SHA-256 of the markup indexed
        self._lock = threading.Lock()  # one index made at a time
        # whether an index is being made, and whether another thread abandoned it
        self._state = threading.Lock()
        self._busy = self._abandoned = False
        # pages the last index() re-added; -1 when it read the whole folder
        self.added: int | None = None

    def index(self, site: Path, pages: dict[str, str], language: str) -> dict[str, bytes]:
        """Pagefind's bundle (path in it -> bytes) of the pages laid out in `site`,
        `pages` giving each one's output file and the SHA-256 of its markup; raises
        ServiceFailed when the service cannot."""
        with self._lock:
            with self._state:
                self._busy, self._abandoned = True, False
            try:
                return self._index_now(site, pages, language)
            except (OSError, ValueError, KeyError, TypeError, ServiceFailed) as exc:
                self._stop()  # the next index starts afresh
                raise ServiceFailed(str(exc)) from exc
            finally:
                with self._state:
                    self._busy = False

    def _index_now(self, site: Path, pages: dict[str, str], language: str
                   ) -> dict[str, bytes]:
        if self._process is None or self._process.poll() is not None:
            self._start(site.parent)
        if (self._index is None or language != self._language
                or self._held.keys() != pages.keys()):
            self._new_index(site, language)
            self.added = -1
        else:
            changed = [output for output, digest in pages.items()
                       if self._held[output] != digest]
            for output in changed:
                contents = (site / output).read_text(encoding="utf-8")
                self._send({"type": "AddFile", "index_id": self._index, "url": _url(output),
                            "file_contents": contents})
            self.added = len(changed)
        self._held = dict(pages)
        answer = self._send({"type": "GetFiles", "index_id": self._index})
        return {file["path"]: base64.b64decode(file["content"]) for file in answer["files"]}

    def cancel(self) -> None:
        """Stop an index being made (from another thread): its index() raises
        ServiceFailed, and the next one starts the service again."""
        with self._state:
            if not self._busy:
                return
            self._abandoned, process = True, self._process
        if process is not None:
            process.kill()

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _start(self, folder: Path) -> None:
        """Start Pagefind in `folder` (the layout's, which holds no pagefind.yml of the
        user's, as for the command line)."""
        self._stop()
        self._process = subprocess.Popen(
            [str(self._executable), "--service"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=folder,
            env=pagefind_environment())
        with self._state:
            abandoned = self._abandoned
        if abandoned:  # while it started
            raise ServiceFailed("the index was no longer wanted")

    def _new_index(self, site: Path, language: str) -> None:
        if self._index is not None:
            self._send({"type": "DeleteIndex", "index_id": self._index})
            self._index = None
        config = {"force_language": language} if language else {}
        self._index = self._send({"type": "NewIndex", "config": config})["index_id"]
        self._language = language
        self._send({"type": "AddDir", "index_id": self._index, "path": str(site)})

    def _send(self, payload: dict) -> dict:
        """Send one request and read its answer."""
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        if self._abandoned:
            raise ServiceFailed("the index was no longer wanted")
        self._message += 1
        request = {"message_id": self._message, "payload": payload}
        process.stdin.write(base64.b64encode(json.dumps(request).encode("utf-8")) + b",")
        process.stdin.flush()
        answer = _read_answer(process.stdout)
        if answer.get("message_id") != self._message:
            raise ServiceFailed(f"Pagefind answered {answer.get('message_id')!r} to message "
                                f"{self._message}")
        result = answer["payload"]
        if result.get("type") == "Error":
            raise ServiceFailed(f"Pagefind: {result.get('message', 'an error')}")
        return result

    def _stop(self) -> None:
        process, self._process = self._process, None
        self._index, self._held = None, {}
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.communicate()


def _read_answer(stream) -> dict:
    """One message from the service: base64 up to a comma (no comma is base64)."""
    parts = []
    while True:
        chunk = stream.read1(1 << 20)
        if not chunk:
            raise ServiceFailed("Pagefind's service stopped")
        parts.append(chunk)
        if chunk.endswith(b","):
            break
        if b"," in chunk:  # an answer is followed by nothing before the next request
            raise ServiceFailed("Pagefind's service said more than it was asked")
    return json.loads(base64.b64decode(b"".join(parts)[:-1]))


def _url(output: str) -> str:
    """The URL Pagefind gives the page at `output` when it reads a folder: /news/x/."""
    if output == "index.html" or output.endswith("/index.html"):
        return "/" + output[: -len("index.html")]
    return "/" + output
