"""sql-lint internals: the sqlfluff worker (engine), the process pool and the lint cache.

Only `engine` imports sqlfluff; `cache` and `pool` are stdlib-only so a fully cached run never pays
sqlfluff's import and dialect start-up.
"""
