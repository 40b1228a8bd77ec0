"""Render the site: Jinja2 templates with autoescape on and every value passed through
`render.escape.clean` first (invisible and control characters made visible), so nothing from the repository
becomes markup; links are built only from our own slugs. The search index is a script file (`fetch` does not
work from disk) whose JSON the search code reads as data and shows with `textContent`, never as HTML."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

from dataops_ci.publish.site.model import SiteModel
from dataops_ci.render.escape import clean

ASSETS = ("site.css", "search.js")


def _environment() -> Any:
    import jinja2  # the docs extra; imported only when a site is written

    return jinja2.Environment(
        loader=jinja2.PackageLoader("dataops_ci.publish.site", "templates"),
        autoescape=True,  # every {{ }} is HTML-escaped ...
        finalize=lambda value: "" if value is None else clean(value),  # ... after controls are made visible
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def search_entries(site: SiteModel) -> list[dict[str, str]]:
    """What the search box finds: every page, and every field, pipeline check and expectation on it."""
    entries: list[dict[str, str]] = []
    for schema in site.schemas:
        url = f"schemas/{schema.slug}.html"
        entries.append({"kind": "schema", "title": schema.name, "detail": schema.file, "url": url})
        for t_index, avro_type in enumerate(schema.types):
            for f_index, row in enumerate(avro_type.fields):
                entries.append({
                    "kind": "field", "title": f"{avro_type.name}.{row.name}",
                    "detail": f"{row.type} — {row.doc}" if row.doc else row.type,
                    "url": f"{url}#f-{t_index}-{f_index}",
                })  # fmt: skip
    for pipeline in site.pipelines:
        url = f"pipelines/{pipeline.slug}.html"
        entries.append({"kind": "pipeline", "title": pipeline.name, "detail": pipeline.owner, "url": url})
        for check in pipeline.checks:
            entries.append(
                {"kind": "quality check", "title": check.what, "detail": pipeline.name, "url": url}
            )
    for suite in site.suites:
        url = f"suites/{suite.slug}.html"
        entries.append({"kind": "suite", "title": suite.name, "detail": suite.file, "url": url})
        for expectation in suite.expectations:
            entries.append(
                {"kind": "expectation", "title": expectation.words, "detail": suite.name, "url": url}
            )
    return [{k: clean(v, 300) for k, v in entry.items()} for entry in entries]


def write_site(site: SiteModel, out: Path) -> list[Path]:
    """Write the site into `out` (created; our own files in it replaced) and return the pages written."""
    env = _environment()
    out.mkdir(parents=True, exist_ok=True)
    written = [_page(env, out / "index.html", "index.html.j2", site=site, root="")]
    for folder, template, items in (
        ("schemas", "schema.html.j2", site.schemas),
        ("pipelines", "pipeline.html.j2", site.pipelines),
        ("suites", "suite.html.j2", site.suites),
    ):
        target = out / folder
        if target.is_dir():
            shutil.rmtree(target)  # pages of files that are gone must not linger
        target.mkdir()
        for item in items:
            written.append(
                _page(env, target / f"{item.slug}.html", template, site=site, page=item, root="../")
            )
    assets = out / "assets"
    assets.mkdir(exist_ok=True)
    for name in ASSETS:
        (assets / name).write_bytes(
            resources.files("dataops_ci.publish.site").joinpath("static", name).read_bytes()
        )
    # As Jinja's tojson does: no `<`, `>` or `&` even inside JSON strings, so the index stays inert if a
    # page ever inlines it.
    index = json.dumps(search_entries(site), ensure_ascii=True)
    index = index.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    (assets / "search-index.js").write_text(f"window.DATAOPS_SEARCH = {index};\n", encoding="utf-8")
    return written


def _page(env: Any, path: Path, template: str, **context: Any) -> Path:
    path.write_text(env.get_template(template).render(**context), encoding="utf-8")
    return path
