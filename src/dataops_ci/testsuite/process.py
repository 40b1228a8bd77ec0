"""Running a child process the way the `tests` check needs: in its own session, finished when the child
itself exits, with a bounded share of its output kept, and nothing it started left behind.

- Output is drained by a thread into `CappedOutput`: the first and last halves of `max_output_bytes` are
  kept and the middle is only counted, so a test printing gigabytes costs a megabyte.
- The run ends when the child exits (or its timeout passes), not when its output pipe closes: a helper it
  left running (a daemon, `sleep` under `setsid`) would otherwise hold the pipe open and turn a finished
  run into a timeout.
- Then what it left is killed: its process group, and every process carrying the run's marker in its
  environment (which survives `setsid`). Each is reported, so the caller can say so.

Linux only for the marker search (`/proc`); elsewhere the process group is still killed.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

MARKER_VAR = "DATAOPS_CI_RUN_MARKER"
CHUNK_BYTES = 1 << 16
# After the child exits and its leftovers are killed, how long the rest of its output may take to arrive.
DRAIN_GRACE_S = 5.0
# SIGKILL is delivered asynchronously: how long to wait for the killed processes to be gone.
KILL_GRACE_S = 2.0


class CappedOutput:
    """The head and the tail of a byte stream, and how many bytes between them were left out."""

    def __init__(self, max_bytes: int) -> None:
        self.head_limit = max_bytes // 2
        self.tail_limit = max_bytes - self.head_limit
        self.head = bytearray()
        self.tail = bytearray()
        self.left_out = 0

    def add(self, chunk: bytes) -> None:
        room = self.head_limit - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        self.tail += chunk
        excess = len(self.tail) - self.tail_limit
        if excess > 0:
            del self.tail[:excess]
            self.left_out += excess

    def drain(self, stream: io.BufferedReader) -> None:
        with contextlib.suppress(OSError, ValueError):  # the pipe was closed under us: keep what came
            while chunk := stream.read1(CHUNK_BYTES):
                self.add(chunk)

    def text(self) -> str:
        middle = f"\n[... {self.left_out:,} bytes of output left out ...]\n" if self.left_out else ""
        return (
            bytes(self.head).decode("utf-8", "replace") + middle + bytes(self.tail).decode("utf-8", "replace")
        )


@dataclass(frozen=True)
class Finished:
    returncode: int | None  # None: killed after the timeout
    output: str
    left_out_bytes: int
    leftovers: tuple[str, ...]  # "pid command" of each process it left running (killed)


def run_in_session(
    command: Sequence[str], cwd: Path, timeout_s: float, env: Mapping[str, str], max_output_bytes: int
) -> Finished:
    marker = secrets.token_hex(12)
    try:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env={**env, MARKER_VAR: marker},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        return Finished(127, f"cannot start {command[0]}: {exc.strerror or exc}", 0, ())
    assert isinstance(proc.stdout, io.BufferedReader)
    output = CappedOutput(max_output_bytes)
    reader = threading.Thread(target=output.drain, args=(proc.stdout,), daemon=True)
    reader.start()
    returncode: int | None
    try:
        returncode = proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        returncode = None
    leftovers = kill_leftovers(proc.pid, marker)
    if returncode is None:  # the child itself was among them: nothing was "left behind"
        proc.wait()
        leftovers = []
    reader.join(DRAIN_GRACE_S)
    if reader.is_alive():  # a process outside our reach (a clean environment) still holds the pipe
        proc.stdout.close()
        reader.join(DRAIN_GRACE_S)
    return Finished(returncode, output.text(), output.left_out, tuple(leftovers))


def kill_leftovers(pgid: int, marker: str) -> list[str]:
    """Kill every process in the group `pgid` or carrying the marker; "pid command" of each."""
    found = [pid for pid in _candidates() if _belongs(pid, pgid, marker)]
    described = [f"{pid} {_command(pid)}".rstrip() for pid in found]
    for pid in found:
        _kill(pid)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
    _wait_gone(found, KILL_GRACE_S)
    return described


def _wait_gone(pids: list[int], timeout_s: float) -> None:
    """Until every pid has died (gone, or a zombie waiting to be reaped), at most `timeout_s`: callers
    are told nothing is left running, so that must be true when they are told."""
    deadline = time.monotonic() + timeout_s
    while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.01)


def _candidates() -> list[int]:
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    me = os.getpid()
    return [int(n) for n in names if n.isdigit() and int(n) != me]


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command (which may hold spaces and parentheses): state ppid
    pgrp ...; None when the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _running(pid: int) -> bool:
    """Alive: neither gone nor a zombie (dead, waiting to be reaped)."""
    fields = _stat_fields(pid)
    return fields is not None and bool(fields) and fields[0] != "Z"


def _belongs(pid: int, pgid: int, marker: str) -> bool:
    fields = _stat_fields(pid)
    if not fields or fields[0] == "Z":
        return False
    try:
        if int(fields[2]) == pgid:
            return True
        environ = Path(f"/proc/{pid}/environ").read_bytes()
    except (OSError, IndexError, ValueError):
        return False
    return f"{MARKER_VAR}={marker}".encode() in environ.split(b"\0")


def _command(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode("utf-8", "replace").strip()[:200]


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)
