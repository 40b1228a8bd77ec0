"""Subcommands that are not checks: `comment`, `demo`, the pre-commit lints (`avro-schema-lint`,
`expectation-suite-lint`), `migrate-suite`, and the generators run with `python -m` (`hooks`, `install_plan`).

The top layer beside `cli.py`: each module has `main(args) -> int` (or is a `python -m` script) and may
import anything below it (runner, github, checks, render, engines, foundations). Nothing imports a command
but `cli.py`.
"""
