"""Publishing a run's results beyond the PR: Prometheus metrics (`metrics`, `push`, `labels`, `outputs`), the
quality history kept on a git branch (`history`, `history_store`) and the trend a PR comment shows from it
(`trend`), and the Python API used inside pipelines (`api`, `folder`). `datasets` reads per-dataset scores
out of a Report for all of them.

Layer 2 (orchestration): may import `runner`, `render/`, `checks/`, the engines and the foundations
(`report`, `config`, `git/`); never `cli`, `commands/` or `github/`. Everything here reads a finished
Report; nothing recomputes a check's result. prometheus_client is imported only by `metrics`/`push`.
"""
