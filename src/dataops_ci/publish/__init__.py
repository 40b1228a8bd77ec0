"""Publishing a run's results beyond the PR: Prometheus metrics (`metrics`, `push`, `labels`, `outputs`), the
quality history kept on a git branch (`history`, `history_store`) and the trend a PR comment shows from it
(`trend`), the Python API used inside pipelines (`api`, `folder`), and the data docs site (`site/`:
`dataops-ci docs`, a static HTML site of every schema, pipeline and suite). `datasets` reads per-dataset
scores out of a Report for all of them.

Layer 2 (orchestration): may import `runner`, `render/`, `checks/`, the engines and the foundations
(`report`, `config`, `git/`); never `cli`, `commands/` or `github/`. Everything here reads a finished
Report or the repository; nothing recomputes a check's result. prometheus_client is imported only by
`metrics`/`push`, Jinja2 only by `site.write`. In the site, everything from the repository is untrusted and
reaches HTML only through Jinja2's autoescape after `render.escape.clean`.
"""
