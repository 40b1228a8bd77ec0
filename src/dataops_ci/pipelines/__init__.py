"""Pipeline definitions (data products): parsing with lines, validation, compilation of quality checks
to GX expectations, running them, and the data contract. The `pipelines` check is `checks/pipelines.py`.

An engine package: imports foundations and the engine packages it builds on (`expectations`, `contracts`).
"""
