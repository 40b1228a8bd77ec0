"""The trend chart as a browser draws it: the comment's Mermaid block rendered by Mermaid itself (the npm
package, fetched once into .cache/mermaid) in headless Chromium; the SVG must hold both lines and every
label, and a screenshot of it is docs/trend.png."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from dataops_ci.render.trend import trend_block
from dataops_ci.report import Report

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "mermaid"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NPM = shutil.which("npm")

pytestmark = pytest.mark.skipif(
    (CHROMIUM is None or NPM is None) and os.environ.get("CI") != "true",
    reason="needs chromium (apt-get install chromium; scripts/setup-system does it) and npm",
)


def _mermaid_js() -> Path:
    script = CACHE / "package" / "dist" / "mermaid.min.js"
    if script.exists():
        return script
    assert NPM, "npm is not installed"
    CACHE.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [NPM, "pack", "mermaid@11", "--silent"], cwd=CACHE, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    archive = CACHE / proc.stdout.strip().splitlines()[-1]
    with tarfile.open(archive) as tar:
        tar.extract("package/dist/mermaid.min.js", CACHE, filter="data")
    archive.unlink()
    return script


def _page(tmp: Path, chart: str) -> Path:
    page = tmp / "trend.html"
    page.write_text(
        f"<!doctype html><meta charset=utf-8><script src='{_mermaid_js().as_uri()}'></script>"
        f"<body style='background:white;margin:0'><pre class=mermaid>{html.escape(chart)}</pre><script>"
        "mermaid.initialize({startOnLoad: false});"
        "mermaid.run().then(() => document.title = 'rendered', e => document.title = 'error: ' + e);"
        "</script></body>",
        encoding="utf-8",
    )
    return page


def _chromium(*args: str) -> str:
    assert CHROMIUM, "chromium is not installed"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"]
    command += ["--virtual-time-budget=10000", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120).stdout


def test_the_comment_chart_renders_in_mermaid(tmp_path: Path) -> None:
    shas = ("2aad3114ef2e", "39f588f4c8cc", "c5a8e0e6c333")  # the demo's three runs on main
    scores = (0.833, 0.917, 1.0)
    runs = [{"commit": c.ljust(40, "0"), "score": s} for c, s in zip(shas, scores, strict=True)]
    trend = {"branch": "main", "runs": runs, "threshold": 0.95}
    report = Report(
        base="main", head="f" * 40, checks=(), quality_score=0.857, context={"quality_trend": trend}
    )
    block = trend_block(report)
    assert block is not None
    chart = block.split("```mermaid\n", 1)[1].split("\n```", 1)[0]
    page = _page(tmp_path, chart)
    dom = _chromium("--dump-dom", page.as_uri())
    assert "<title>rendered</title>" in dom, dom[-2000:]
    svg = dom[dom.index("<svg") : dom.index("</svg>")]
    assert 'class="line-plot-0"' in svg and 'class="line-plot-1"' in svg  # the scores and the threshold
    for label in (
        "2aad311",
        "39f588f",
        "c5a8e0e",
        "this PR",
        "Quality score on main, last 3 runs and this PR",
    ):
        assert f">{label}<" in svg, label
    strokes = re.findall(r'stroke="(#[0-9a-fA-F]{6})"', svg)
    assert "#0969da" in strokes and "#cf222e" in strokes  # the palette of the init directive applied
    shot = tmp_path / "trend.png"
    _chromium("--window-size=800,560", f"--screenshot={shot}", page.as_uri())
    assert shot.stat().st_size > 5000
    if os.environ.get("DATAOPS_CI_UPDATE_SCREENSHOTS"):
        shutil.copy(shot, ROOT / "docs" / "trend.png")
