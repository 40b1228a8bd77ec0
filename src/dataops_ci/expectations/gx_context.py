"""The process-wide GX context and what is built on it: batches for each engine, and Data Docs.

GX is imported on the first call only (so schema-only runs and pre-commit hooks never pay for it), with
progress bars and usage statistics off. Every suite of a run reuses the same context and datasources.
"""

from __future__ import annotations

import itertools
import os
import warnings
from pathlib import Path
from typing import Any

from dataops_ci.config import DataSource, ExpectationsConfig
from dataops_ci.expectations import engines
from dataops_ci.expectations.engines import DataLoadError

_CONTEXT: Any = None
_COUNTER = itertools.count()


def gx_context() -> Any:
    """The process-wide ephemeral GX context (imports GX on first call)."""
    global _CONTEXT
    if _CONTEXT is None:
        # Before the import: GX reads these at import/context creation. No network, no tqdm in CI logs.
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        os.environ.setdefault("TQDM_DISABLE", "1")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        _CONTEXT = context
    return _CONTEXT


def get_batch(source: DataSource, root: Path, options: ExpectationsConfig, columns: set[str] | None) -> Any:
    if source.engine == "sql":
        return _sql_batch(source, options)
    if source.engine == "spark":
        frame = engines.load_spark(source, root, options.spark_master, options.allowed_url_schemes)
        return _dataframe_batch("spark", frame)
    return _dataframe_batch("pandas", engines.load_dataframe(source, root, columns, options))


def _dataframe_batch(kind: str, frame: Any) -> Any:
    """One datasource per kind, reused by every suite; each suite gets its own dataframe batch."""
    context = gx_context()
    name = f"dataops_ci_{kind}"
    try:
        datasource = context.data_sources.get(name)
    except Exception:  # noqa: BLE001 - GX raises KeyError-like errors for "not found"
        datasource = (
            context.data_sources.add_spark(name) if kind == "spark" else context.data_sources.add_pandas(name)
        )
        datasource.add_dataframe_asset("frame").add_batch_definition_whole_dataframe("whole")
    definition = datasource.get_asset("frame").get_batch_definition("whole")
    return definition.get_batch(batch_parameters={"dataframe": frame})


def _sql_batch(source: DataSource, options: ExpectationsConfig) -> Any:
    if not source.url:
        raise DataLoadError(
            "the sql data source has no 'url'", rule="cannot-connect", hint="set url: ${DB_URL}"
        )
    if bool(source.table) == bool(source.query):
        raise DataLoadError(
            "a sql data source needs exactly one of 'table' or 'query'", rule="cannot-read-data"
        )
    url = engines.expand_env(source.url)
    kwargs = engines.sql_engine_kwargs(url, options.connect_timeout_s, options.query_timeout_s)
    engines.check_sql_connection(url, kwargs)
    try:
        # GX's "use a more specific datasource" / "schema_name is deprecated" advice is noise for users.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _sql_asset(source, url, kwargs).add_batch_definition_whole_table("whole").get_batch()
    except Exception as exc:  # noqa: BLE001 - missing table, bad query, permissions
        raise DataLoadError(f"{engines.describe(source)}: cannot read: {_first_line(exc)}") from None


def _sql_asset(source: DataSource, url: str, engine_kwargs: dict[str, Any]) -> Any:
    n = next(_COUNTER)
    name = f"dataops_ci_sql_{n}"
    datasource = gx_context().data_sources.add_sql(name=name, connection_string=url, kwargs=engine_kwargs)
    if source.table:
        schema, _, table = source.table.rpartition(".")
        return datasource.add_table_asset(f"t{n}", table_name=table, schema_name=schema or None)
    return datasource.add_query_asset(f"q{n}", query=source.query)


# -- Data Docs ----------------------------------------------------------------------------------------------
def build_data_docs(results: list[Any], directory: Path) -> Path:
    """Render validation results (SuiteOutcome.raw) as a static Data Docs site; returns its index.html."""
    import datetime as dt

    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    context = gx_context()
    site = f"dataops_ci_docs_{next(_COUNTER)}"
    directory.mkdir(parents=True, exist_ok=True)
    context.add_data_docs_site(
        site_name=site,
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(directory)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    run_id = RunIdentifier(run_name="dataops-ci", run_time=dt.datetime.now(dt.UTC))
    for result in results:
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=result.suite_name),
            run_id=run_id,
            batch_identifier=result.batch_id or "batch",
        )
        context.validation_results_store.set(key, result)
    context.build_data_docs(site_names=[site])
    return directory / "index.html"


def _first_line(exc: BaseException) -> str:
    text = next((ln for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)
    return engines.mask_url(text.strip())[:500]
