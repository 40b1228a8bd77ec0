"""Request handling of the fake GitHub API (see fake_server.py for what it implements)."""

from __future__ import annotations

import contextlib
import json
import re
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from tests.github.fake_server import FakeGitHub

from tests.github.fake_server import DOCS, INTEGRATION, MAX_BODY, LoggedRequest, _now, github_length

Response = tuple[int, Any, dict[str, str]]

REPO = r"(?P<repo>[^/]+/[^/]+)"


class Handler(BaseHTTPRequestHandler):
    fake: FakeGitHub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet server
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    # -- plumbing --------------------------------------------------------------------------------------
    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        path = parts.path
        user = self._user()
        if self.fake.prefix and not path.startswith("/_fake"):
            if not path.startswith(self.fake.prefix + "/"):
                return self._send(method, path, query, user, body, (404, {"message": "Not Found"}, {}))
            path = path[len(self.fake.prefix) :]
        response = self._faulted(method, path) or self._route(method, path, query, user, body)
        self._send(method, path, query, user, body, response)

    def _user(self) -> dict[str, Any] | None:
        auth = self.headers.get("Authorization") or ""
        scheme, _, token = auth.partition(" ")
        if scheme.lower() not in ("bearer", "token"):
            return None
        return self.fake.tokens.get(token.strip())

    def _faulted(self, method: str, path: str) -> Response | None:
        fault = self.fake.take_fault(method, path)
        if fault is None:
            return None
        if fault.barrier > 1:
            self.fake.wait_at_barrier(fault)
        if fault.before is not None:
            fault.before()
        time.sleep(fault.hang_s)
        self._drip_s = fault.drip_s
        if not fault.status:
            return None
        return fault.status, fault.body or {"message": "injected fault"}, dict(fault.headers)

    def _send(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        user: dict[str, Any] | None,
        body: Any,
        response: Response,
    ) -> None:
        status, payload, headers = response
        # Logged (and saved) before answering, so a client that has its answer sees it in the log.
        with self.fake.lock:
            login = user["login"] if user else None
            logged_body = body if isinstance(body, dict) else None
            self.fake.log.append(LoggedRequest(method, path, query, login, status, time.time(), logged_body))
        self.fake.save_state()
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-ratelimit-limit", "5000")
        self.send_header("x-github-api-version-selected", "2022-11-28")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        drip, self._drip_s = getattr(self, "_drip_s", 0.0), 0.0
        if not drip:
            with contextlib.suppress(OSError):  # the client gave up (a hang fault outlived its timeout)
                self.wfile.write(data)
            return
        for index in range(len(data)):  # until the client hangs up
            try:
                self.wfile.write(data[index : index + 1])
                self.wfile.flush()
            except OSError:
                return
            time.sleep(drip)

    # -- routes ----------------------------------------------------------------------------------------
    def _route(
        self, method: str, path: str, query: dict[str, str], user: dict[str, Any] | None, body: Any
    ) -> Response:
        if path.startswith("/_fake/"):
            return self._admin(method, path, body)
        if user is None:
            return 401, {"message": "Bad credentials", "documentation_url": DOCS}, {}
        routes: list[tuple[str, str, Any]] = [
            ("GET", r"/user", self._get_user),
            ("GET", rf"/repos/{REPO}/issues/(?P<n>\d+)/comments", self._list_comments),
            ("GET", r"/repositories/(?P<rid>\d+)/issues/(?P<n>\d+)/comments", self._list_comments),
            ("POST", rf"/repos/{REPO}/issues/(?P<n>\d+)/comments", self._create),
            ("PATCH", rf"/repos/{REPO}/issues/comments/(?P<cid>\d+)", self._update),
            ("DELETE", rf"/repos/{REPO}/issues/comments/(?P<cid>\d+)", self._delete),
            ("GET", rf"/repos/{REPO}/pulls/(?P<n>\d+)", self._get_pull),
            ("GET", rf"/repos/{REPO}/issues/(?P<n>\d+)/events", self._events),
        ]
        for verb, pattern, action in routes:
            match = re.fullmatch(pattern, path)
            if match and verb == method:
                result: Response = action(match.groupdict(), query, user, body)
                return result
        return 404, {"message": "Not Found", "documentation_url": DOCS}, {}

    def _admin(self, method: str, path: str, body: Any) -> Response:
        from tests.github.fake_server import Fault

        if path == "/_fake/state" and method == "GET":
            return 200, self.fake.state(), {}
        if path == "/_fake/state" and method == "PUT":
            self.fake.load_state(body or {})
            return 200, {"ok": True}, {}
        if path == "/_fake/faults" and method == "POST":
            self.fake.fault(Fault(**(body or {})))
            return 201, {"ok": True}, {}
        return 404, {"message": "Not Found"}, {}

    def _get_user(self, _: dict[str, str], __: dict[str, str], user: dict[str, Any], ___: Any) -> Response:
        if user.get("app"):
            return 403, {"message": INTEGRATION, "documentation_url": DOCS}, {}
        return 200, {"login": user["login"], "id": 1, "type": user["type"]}, {}

    def _repo_of(self, groups: dict[str, str]) -> str | None:
        if groups.get("repo"):
            return groups["repo"]
        return self.fake.repo_for_id(int(groups["rid"]))

    def _list_comments(self, groups: dict[str, str], query: dict[str, str], _: Any, __: Any) -> Response:
        repo = self._repo_of(groups)
        if repo is None:
            return 404, {"message": "Not Found"}, {}
        per_page = max(1, min(100, int(query.get("per_page") or 30)))
        page = max(1, int(query.get("page") or 1))
        items = self.fake.comments_on(repo, int(groups["n"]))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        host = self.headers.get("Host") or "127.0.0.1"
        base = f"http://{host}{self.fake.prefix}/repositories/{self.fake.repo_id(repo)}"
        base += f"/issues/{groups['n']}/comments?per_page={per_page}&page="
        rels = []
        if page < last:
            rels += [f'<{base}{page + 1}>; rel="next"', f'<{base}{last}>; rel="last"']
        if page > 1:
            rels += [f'<{base}{page - 1}>; rel="prev"', f'<{base}1>; rel="first"']
        return 200, chunk, ({"Link": ", ".join(rels)} if rels else {})

    def _create(self, groups: dict[str, str], _: dict[str, str], user: dict[str, Any], body: Any) -> Response:
        if user.get("read_only"):
            return 403, {"message": INTEGRATION, "documentation_url": DOCS}, {}
        text = (body or {}).get("body")
        if not isinstance(text, str) or not text:
            return 422, _validation("body", "missing_field", "body wasn't supplied."), {}
        if github_length(text) > MAX_BODY:
            return 422, _validation("body", "custom", "body is too long (maximum is 65536 characters)"), {}
        with self.fake.lock:
            comment = self.fake._create_comment(groups["repo"], int(groups["n"]), text, user)
        return 201, comment, {"Location": comment["url"]}

    def _update(self, groups: dict[str, str], _: dict[str, str], user: dict[str, Any], body: Any) -> Response:
        if user.get("read_only"):
            return 403, {"message": INTEGRATION, "documentation_url": DOCS}, {}
        text = (body or {}).get("body")
        if isinstance(text, str) and github_length(text) > MAX_BODY:
            return 422, _validation("body", "custom", "body is too long (maximum is 65536 characters)"), {}
        with self.fake.lock:
            found = self.fake.find_comment(groups["repo"], int(groups["cid"]))
            if found is None:
                return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
            comment = found[1]
            if comment["user"]["login"] != user["login"]:
                return 403, {"message": INTEGRATION, "documentation_url": DOCS}, {}
            comment["body"] = text
            comment["updated_at"] = _now()
            return 200, dict(comment), {}

    def _delete(self, groups: dict[str, str], _: dict[str, str], user: dict[str, Any], __: Any) -> Response:
        if user.get("read_only"):
            return 403, {"message": INTEGRATION, "documentation_url": DOCS}, {}
        with self.fake.lock:
            found = self.fake.find_comment(groups["repo"], int(groups["cid"]))
            if found is None:
                return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
            items, comment = found
            if comment["user"]["login"] != user["login"]:
                return 403, {"message": INTEGRATION, "documentation_url": DOCS}, {}
            items.remove(comment)
        return 204, None, {}

    def _get_pull(self, groups: dict[str, str], _: dict[str, str], __: Any, ___: Any) -> Response:
        pull = self.fake.pulls.get(f"{groups['repo']}#{groups['n']}")
        if pull is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        return 200, {k: v for k, v in pull.items() if k != "events"}, {}

    def _events(self, groups: dict[str, str], _: dict[str, str], __: Any, ___: Any) -> Response:
        pull = self.fake.pulls.get(f"{groups['repo']}#{groups['n']}")
        if pull is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        return 200, list(pull.get("events") or []), {}


def _validation(field_name: str, code: str, message: str) -> dict[str, Any]:
    return {
        "message": "Validation Failed",
        "errors": [{"resource": "IssueComment", "code": code, "field": field_name, "message": message}],
        "documentation_url": DOCS,
    }
