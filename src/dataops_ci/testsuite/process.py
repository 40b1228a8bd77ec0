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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

MARKER_VAR = "DATAOPS_CI_RUN_MARKER"
CHUNK_BYTES = 1 << 16
# After the child exits and its leftovers are killed, how long the rest of its output may take to arrive.
DRAIN_GRACE_S = 5.0


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
    return described


def _candidates() -> list[int]:
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    me = os.getpid()
    return [int(n) for n in names if n.isdigit() and int(n) != me]


def _belongs(pid: int, pgid: int, marker: str) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        # Fields after the command (which may hold spaces and parentheses): state ppid pgrp ...
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] == "Z":  # already dead, waiting to be reaped
            return False
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
