"""sql-lint internals: the sqlfluff worker (`engine`), the process pool (`pool`), the unit of work
(`jobs`) and the lint cache (`cache`).

Only `engine` imports sqlfluff; `cache`, `jobs` and `pool` are stdlib-only so a fully cached run never pays
sqlfluff's import and dialect start-up (`pool` imports `engine` inside the functions that lint).
An engine package: imports only foundations (`report`, `config`, `context`, `git`) and its own modules.
"""
