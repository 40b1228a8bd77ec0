"""Headless Chromium (Debian's `chromium`, installed by scripts/setup-system) for tests of what we render
to HTML: the DOM after scripts ran (`--dump-dom`) and screenshots. Skipped where Chromium is missing, except
in CI (CI=true), which must have it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="chromium not installed (apt-get install chromium; scripts/setup-system does it)",
)
# Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--hide-scrollbars", "--virtual-time-budget=5000",
]  # fmt: skip


def _run(args: list[str]) -> str:
    assert CHROMIUM is not None, "chromium is required here (scripts/setup-system installs it)"
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        proc = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def dump_dom(url: str) -> str:
    """The page's DOM serialised after its scripts ran."""
    return _run(["--dump-dom", url])


def screenshot(url: str, out: Path, size: str = "1200,900") -> Path:
    _run([f"--screenshot={out}", f"--window-size={size}", url])
    assert out.stat().st_size > 1000, f"empty screenshot of {url}"
    return out
