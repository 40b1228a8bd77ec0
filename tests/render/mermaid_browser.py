"""Mermaid diagrams parsed and rendered by mermaid itself (npm package `mermaid`), in headless Chromium.

The npm package is installed into `.cache/mermaid/` of the checkout (gitignored) on first use. Where
Chromium or npm is missing the tests skip, except in CI (CI=true), which must have them
(scripts/setup-system installs chromium).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
MERMAID_DIR = ROOT / ".cache" / "mermaid"
MERMAID_JS = MERMAID_DIR / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
MERMAID_VERSION = "11"
CHROMIUM = next((p for n in ("chromium", "chromium-browser") if (p := shutil.which(n))), None)
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--allow-file-access-from-files",
    "--virtual-time-budget=15000",
]  # fmt: skip

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="chromium not installed (apt-get install chromium; scripts/setup-system does it)",
)

PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<pre id="result">pending</pre><pre class="mermaid" id="diagram"></pre>
<script charset="utf-8" src="{script}"></script>
<script>
const text = {text};
mermaid.initialize({{startOnLoad: false, securityLevel: "strict"}});
(async () => {{
  const out = document.getElementById("result");
  const box = document.getElementById("diagram");
  box.textContent = text;
  try {{
    const parsed = await mermaid.parse(text);
    await mermaid.run({{nodes: [box]}});
    const labels = [...box.querySelectorAll("g.node")].map(n => n.textContent.trim());
    const edges = box.querySelectorAll("path.flowchart-link").length;
    const tags = [...new Set([...box.querySelectorAll("*")].map(e => e.localName))];
    out.textContent = JSON.stringify({{ok: true, type: parsed.diagramType, labels, edges, tags}});
  }} catch (e) {{
    out.textContent = JSON.stringify({{ok: false, error: String((e && e.message) || e)}});
  }}
}})();
</script></body></html>
"""


def mermaid_js() -> Path:
    if MERMAID_JS.exists():
        return MERMAID_JS
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm not installed: cannot install the mermaid package")
    MERMAID_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", f"mermaid@{MERMAID_VERSION}"],
        cwd=MERMAID_DIR, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return MERMAID_JS


def render(text: str) -> dict[str, Any]:
    """What mermaid makes of `text`: {"ok", "type", "labels", "edges", "tags"} or {"ok": False, "error"}."""
    assert CHROMIUM is not None, "chromium is required in CI"
    script = mermaid_js()
    with tempfile.TemporaryDirectory(prefix="mermaid-") as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(PAGE.format(script=script.as_uri(), text=json.dumps(text)), encoding="utf-8")
        done = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={tmp}/profile", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    start = done.stdout.find('<pre id="result">')
    end = done.stdout.find("</pre>", start)
    assert start >= 0, f"no result from chromium: {done.stderr[-2000:]}"
    import html

    result: dict[str, Any] = json.loads(html.unescape(done.stdout[start + len('<pre id="result">') : end]))
    return result
