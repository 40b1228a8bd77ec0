"""The GitHub side: the REST client (`client`), the sticky PR comment (`sticky`), publishing inside
Actions (`publish`: comment, job summary, annotations, outputs), approval by label (`approval`) and the
schema an untrusted report is validated against (`report_schema`).

Orchestration layer (beside `runner.py`): may import renderers, engines and foundations; never a check or a
command. Checks and renderers never import this package.
"""
