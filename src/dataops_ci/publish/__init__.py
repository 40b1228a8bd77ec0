"""Publishing what a run measured so it lasts: metrics, quality history and trend, the generated docs site.

- `site/`: `dataops-ci docs` — a static HTML site (Jinja2 templates) of every Avro schema (fields, change
  history with verdicts), pipeline and expectation suite, with a search that works from disk.

Layer 2 (orchestration, beside the runner): may import checks, renderers, engines and foundations; never
`cli`, `commands` or `github`. Everything from the repository is untrusted and reaches HTML only through
Jinja2's autoescape after `render.escape.clean` (the site's one escaping layer).
"""
