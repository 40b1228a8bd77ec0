"""A fake GitHub REST API on 127.0.0.1: real sockets, real HTTP, GitHub's behaviour for what dataops-ci uses.

Endpoints (optionally under a GHES-style prefix such as `/api/v3`):
    GET    /user                                        token identity; an App token gets 403
                                                        "Resource not accessible by integration"
    GET    /repos/{o}/{r}/issues/{n}/comments           `per_page` (max 100), `page`, `Link` rel="next"/"last"
                                                        (Link URLs use /repositories/{id}/..., as GitHub's do)
    POST   /repos/{o}/{r}/issues/{n}/comments           422 over 65,536 (strictest unit); 403 read-only token
    PATCH  /repos/{o}/{r}/issues/comments/{id}          403 for a read-only token or someone else's comment
    DELETE /repos/{o}/{r}/issues/comments/{id}
    GET    /repos/{o}/{r}/pulls/{n}                     head sha/ref/repo and labels of a registered PR
    GET    /repos/{o}/{r}/issues/{n}/events             `labeled` events of a registered PR
Admin (not GitHub):
    GET    /_fake/state                                 the whole state, request log included
    PUT    /_fake/state                                 replace the state
    POST   /_fake/faults                                add one fault (see `Fault`)

Faults are injected per scenario: a status (403 secondary rate limit with Retry-After, 429 with
x-ratelimit-reset, 5xx ...) for the next `times` requests matching a method and a path regex, or a
barrier that holds the first `parties` matching requests until all have arrived (to force races).

Stand-alone, e.g. for `act` runs (from the repository root, so that `tests` is importable; use
`--host 0.0.0.0` when a container must reach it):

    python -m tests.github.fake_server --port 8765 --state state.json [--prefix /api/v3] [--host 0.0.0.0]

`--state FILE` is read at start (if it exists: tokens, pulls, comments, faults) and rewritten after every
request, so a test can read what the run did. Tokens in a state file look like
`{"tokens": {"TOKEN": {"login": "github-actions[bot]", "type": "Bot", "app": true, "read_only": false}}}`;
`python -m tests.github.fake_server --print-example-state` prints a complete example.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import re
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MAX_BODY = 65_536


def github_length(text: str) -> int:
    """A body's length by the strictest reading of GitHub's limit: the most of code points, UTF-16 units
    and UTF-8 bytes (GitHub says "characters"; it has been measured refusing by other units)."""
    return max(
        len(text),
        len(text.encode("utf-16-le", "surrogatepass")) // 2,
        len(text.encode("utf-8", "surrogatepass")),
    )


INTEGRATION = "Resource not accessible by integration"
DOCS = "https://docs.github.com/rest"


@dataclass
class Fault:
    method: str
    path: str  # regex searched in the request path (prefix removed)
    status: int = 0  # 0: no response override (barrier only)
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    times: int = 1
    barrier: int = 0  # >1: hold the first `barrier` matching requests until they have all arrived
    hang_s: float = 0.0  # wait this long before answering (a hanging API)
    drip_s: float = 0.0  # send the answer's body one byte per `drip_s` seconds (a trickling API)
    before: Callable[[], None] | None = None  # run when the fault is taken (e.g. delete a comment)


@dataclass
class LoggedRequest:
    method: str
    path: str
    query: dict[str, str]
    login: str | None
    status: int
    at: float
    body: dict[str, Any] | None = None


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeGitHub:
    """State + server. Use as a context manager, or start()/stop()."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        prefix: str = "",
        state_file: Path | None = None,
    ) -> None:
        self.prefix = prefix.rstrip("/")
        self.state_file = state_file
        self.lock = threading.RLock()
        self.tokens: dict[str, dict[str, Any]] = {}
        self.pulls: dict[str, dict[str, Any]] = {}  # "o/r#n" -> pull json
        self.comments: dict[str, list[dict[str, Any]]] = {}  # "o/r#n" -> comments, oldest first
        self.faults: list[Fault] = []
        self.log: list[LoggedRequest] = []
        self._next_id = 1000
        self._barriers: dict[int, threading.Barrier] = {}
        if state_file is not None and state_file.exists():
            self.load_state(json.loads(state_file.read_text(encoding="utf-8")))
        self.server = ThreadingHTTPServer((host, port), _handler_for(self))
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{self.prefix}"

    def start(self) -> FakeGitHub:
        # A short poll interval: stop() waits for the serving loop to notice, once per test.
        serve = lambda: self.server.serve_forever(poll_interval=0.02)  # noqa: E731
        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # -- scenario set-up -------------------------------------------------------------------------------
    def add_token(
        self, token: str, login: str, *, bot: bool = False, app: bool = False, read_only: bool = False
    ) -> None:
        kind = "Bot" if bot or app else "User"
        self.tokens[token] = {"login": login, "type": kind, "app": app, "read_only": read_only}

    def add_pull(
        self,
        repo: str,
        number: int,
        head_sha: str,
        *,
        head_ref: str = "feature",
        head_repo: str | None = None,
        labels: list[str] | None = None,
        label_events: list[tuple[str, str]] | None = None,  # (label, actor)
    ) -> None:
        with self.lock:
            self.pulls[f"{repo}#{number}"] = {
                "number": number,
                "state": "open",
                "head": {"sha": head_sha, "ref": head_ref, "repo": {"full_name": head_repo or repo}},
                "base": {"ref": "main", "repo": {"full_name": repo}},
                "labels": [{"name": name} for name in labels or []],
                "events": [
                    {"event": "labeled", "label": {"name": label}, "actor": {"login": actor}}
                    for label, actor in label_events or []
                ],
            }

    def set_head(self, repo: str, number: int, head_sha: str) -> None:
        with self.lock:
            self.pulls[f"{repo}#{number}"]["head"]["sha"] = head_sha

    def add_comment(
        self, repo: str, number: int, body: str, login: str, kind: str = "User"
    ) -> dict[str, Any]:
        with self.lock:
            return self._create_comment(repo, number, body, {"login": login, "type": kind})

    def comments_on(self, repo: str, number: int) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(c) for c in self.comments.get(f"{repo}#{number}", [])]

    def fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def requests(self, method: str | None = None, path_regex: str = "") -> list[LoggedRequest]:
        with self.lock:
            return [
                r
                for r in self.log
                if (method is None or r.method == method) and re.search(path_regex, r.path)
            ]

    # -- state (de)serialisation -----------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        with self.lock:
            return {
                "tokens": self.tokens,
                "pulls": self.pulls,
                "comments": self.comments,
                "faults": [{k: v for k, v in asdict(f).items() if k != "before"} for f in self.faults],
                "next_id": self._next_id,
                "log": [asdict(r) for r in self.log],
            }

    def load_state(self, raw: dict[str, Any]) -> None:
        with self.lock:
            self.tokens = dict(raw.get("tokens") or {})
            self.pulls = dict(raw.get("pulls") or {})
            self.comments = {k: list(v) for k, v in (raw.get("comments") or {}).items()}
            self.faults = [Fault(**f) for f in raw.get("faults") or []]
            self._next_id = int(raw.get("next_id") or self._next_id)

    def save_state(self) -> None:
        if self.state_file is None:
            return
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state(), indent=2), encoding="utf-8")
        tmp.replace(self.state_file)

    # -- behaviour -------------------------------------------------------------------------------------
    def _create_comment(self, repo: str, number: int, body: str, user: dict[str, Any]) -> dict[str, Any]:
        self._next_id += 1
        cid = self._next_id
        comment = {
            "id": cid,
            "node_id": f"IC_{cid}",
            "url": f"{self.url}/repos/{repo}/issues/comments/{cid}",
            "html_url": f"https://github.example/{repo}/pull/{number}#issuecomment-{cid}",
            "issue_url": f"{self.url}/repos/{repo}/issues/{number}",
            "body": body,
            "user": {"login": user["login"], "type": user["type"]},
            "created_at": _now(),
            "updated_at": _now(),
            "author_association": "NONE" if user["type"] == "Bot" else "MEMBER",
        }
        self.comments.setdefault(f"{repo}#{number}", []).append(comment)
        return comment

    def find_comment(self, repo: str, cid: int) -> tuple[list[dict[str, Any]], dict[str, Any]] | None:
        for key, items in self.comments.items():
            if key.startswith(f"{repo}#"):
                for comment in items:
                    if comment["id"] == cid:
                        return items, comment
        return None

    def repo_id(self, repo: str) -> int:
        return 100 + sum(ord(ch) for ch in repo)

    def repo_for_id(self, rid: int) -> str | None:
        known = {k.split("#")[0] for k in [*self.comments, *self.pulls]}
        return next((r for r in known if self.repo_id(r) == rid), None)

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.method == method and re.search(fault.path, path) and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def wait_at_barrier(self, fault: Fault) -> None:
        with self.lock:
            barrier = self._barriers.setdefault(id(fault), threading.Barrier(fault.barrier))
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=10)


def _handler_for(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    from tests.github.fake_routes import Handler  # noqa: PLC0415 - keeps this module's size readable

    return type("BoundHandler", (Handler,), {"fake": fake})


EXAMPLE_STATE: dict[str, Any] = {
    "tokens": {
        "ghs_write": {"login": "github-actions[bot]", "type": "Bot", "app": True, "read_only": False},
        "ghs_fork": {"login": "github-actions[bot]", "type": "Bot", "app": True, "read_only": True},
    },
    "pulls": {},
    "comments": {},
    "faults": [],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="fake GitHub REST API for dataops-ci tests and act runs")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: a free port (printed)")
    parser.add_argument("--prefix", default="", help="path prefix, e.g. /api/v3 to look like GHES")
    parser.add_argument("--state", type=Path, help="state file: read at start, rewritten after each request")
    parser.add_argument("--print-example-state", action="store_true")
    args = parser.parse_args(argv)
    if args.print_example_state:
        print(json.dumps(EXAMPLE_STATE, indent=2))
        return 0
    fake = FakeGitHub(args.host, args.port, args.prefix, args.state)
    print(f"fake GitHub API listening on {fake.url}", flush=True)
    try:
        fake.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake.save_state()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
