"""Loads a dataset for GX: local files into pandas (the embedded default), SQL URLs, Spark DataFrames.

Heavy libraries (pandas, pyarrow, fastavro, SQLAlchemy, pyspark) are imported inside the functions that
need them, so importing this module stays cheap. Every failure to reach the data is a `DataLoadError`
whose `rule` starts with `cannot-`: the caller turns it into a could-not-check finding.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Collection, Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from dataops_ci.expectations.errors import DataLoadError
from dataops_ci.expectations.locations import fetched, resolve_local, resolve_location, url_scheme

__all__ = ["DataLoadError", "resolve_local"]  # re-exported: callers know them from here

if TYPE_CHECKING:
    import pandas as pd

    from dataops_ci.config import DataSource, ExpectationsConfig  # pydantic, for annotations only

LOCAL_FORMATS = ("csv", "tsv", "parquet", "jsonl", "json", "avro")
_SUFFIX_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".avro": "avro",
}
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def as_source(data: str | DataSource) -> DataSource:
    """The config allows a bare path string for local files: that is the pandas engine."""
    from dataops_ci.config import DataSource

    return DataSource(path=data) if isinstance(data, str) else data


def describe(source: DataSource) -> str:
    """A one-line, credential-free description of where the data comes from (for reports)."""
    if source.engine == "sql":
        where = source.table or "query"
        return f"sql:{mask_url(source.url or '')}#{where}"
    if source.engine == "spark":
        return f"spark:{source.path}"
    return source.path or ""


def local_paths(source: DataSource) -> list[str]:
    """Repository paths the dataset lives in (for changed-only selection); none for SQL."""
    if source.engine == "sql" or not source.path:
        return []
    return [str(PurePosixPath(source.path))]


# -- local files ------------------------------------------------------------------------------------------
def file_format(source: DataSource, path: Path) -> str:
    if source.format:
        fmt = source.format.lower()
    elif path.is_dir():
        fmt = "parquet"
    else:
        fmt = _SUFFIX_FORMATS.get(path.suffix.lower(), "")
    if fmt not in LOCAL_FORMATS:
        raise DataLoadError(
            f"{source.path}: unknown data format '{fmt or path.suffix}'",
            hint=f"set format: to one of {', '.join(LOCAL_FORMATS)}",
        )
    return fmt


def load_dataframe(
    source: DataSource,
    root: Path,
    columns: Iterable[str] | None = None,
    limits: ExpectationsConfig | None = None,
) -> pd.DataFrame:
    """Read a local file (or a URL of an allowed scheme: the rule Spark follows too) into pandas. `columns`:
    read only these (the ones present), for speed. A file over the input caps of `limits` (default: the
    config's defaults) is refused before reading."""
    if limits is None:
        from dataops_ci.config import ExpectationsConfig

        limits = ExpectationsConfig()
    location = resolve_location(source, root, limits.allowed_url_schemes)
    if url_scheme(source.path or "") is None:
        return _load_file(source, Path(location), columns, limits)
    with fetched(source, location, limits.max_data_bytes) as path:
        return _load_file(source, path, columns, limits)


def _load_file(
    source: DataSource, path: Path, columns: Iterable[str] | None, limits: ExpectationsConfig
) -> pd.DataFrame:
    from dataops_ci.expectations.data_caps import over_cap

    fmt = file_format(source, path)
    over = over_cap(source.path or "", path, fmt, dict(source.options), limits)
    if over is not None:
        raise DataLoadError(over.message, hint=over.hint)
    wanted = sorted(set(columns)) if columns is not None else None
    try:
        return _READERS[fmt](path, dict(source.options), wanted)
    except DataLoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - every reader error means the same thing: unreadable data
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataLoadError(
            f"{source.path}: cannot read as {fmt}: {message}", hint="fix the file or its format/options"
        ) from None


def _read_csv(path: Path, options: dict[str, Any], columns: list[str] | None, sep: str = ",") -> pd.DataFrame:
    import pandas as pd

    options.setdefault("sep", sep)
    if columns is not None:
        header = pd.read_csv(path, nrows=0, **options).columns
        present = [c for c in columns if c in header]
        # Keep the file's column order; with no known column left, read everything (GX reports the misses).
        options["usecols"] = [c for c in header if c in present] or None
    return pd.read_csv(path, **options)


def _read_tsv(path: Path, options: dict[str, Any], columns: list[str] | None) -> pd.DataFrame:
    return _read_csv(path, options, columns, sep="\t")


def _read_parquet(path: Path, options: dict[str, Any], columns: list[str] | None) -> pd.DataFrame:
    import pandas as pd
    import pyarrow.parquet as pq

    if columns is not None:
        names = pq.read_schema(next(path.rglob("*.parquet")) if path.is_dir() else path).names
        present = [c for c in names if c in columns]
        options.setdefault("columns", present or None)
    return pd.read_parquet(path, **options)


def _read_json(path: Path, options: dict[str, Any], columns: list[str] | None) -> pd.DataFrame:
    import pandas as pd

    with path.open("rb") as handle:
        first = handle.read(256).lstrip()[:1]
    options.setdefault("lines", first != b"[")
    frame = pd.read_json(path, **options)
    return _select(frame, columns)


def _read_jsonl(path: Path, options: dict[str, Any], columns: list[str] | None) -> pd.DataFrame:
    options.setdefault("lines", True)
    return _read_json(path, options, columns)


def _read_avro(path: Path, options: dict[str, Any], columns: list[str] | None) -> pd.DataFrame:
    import fastavro
    import pandas as pd

    with path.open("rb") as handle:
        records = list(fastavro.reader(handle))
    frame = pd.DataFrame.from_records(records, **options)
    return _select(frame, columns)


def _select(frame: pd.DataFrame, columns: list[str] | None) -> pd.DataFrame:
    if columns is None:
        return frame
    present = [c for c in frame.columns if c in columns]
    return frame[present] if present else frame


_READERS = {
    "csv": _read_csv,
    "tsv": _read_tsv,
    "parquet": _read_parquet,
    "json": _read_json,
    "jsonl": _read_jsonl,
    "avro": _read_avro,
}


# -- SQL --------------------------------------------------------------------------------------------------
def expand_env(text: str, env: dict[str, str] | None = None) -> str:
    """Replace `${NAME}` with the environment variable; a missing one is a cannot-connect error."""
    env = dict(os.environ) if env is None else env
    missing = [name for name in _ENV_REF.findall(text) if name not in env]
    if missing:
        raise DataLoadError(
            f"environment variable {missing[0]} is not set",
            rule="cannot-connect",
            hint=f"export {missing[0]} (credentials come only from the environment)",
        )
    return _ENV_REF.sub(lambda m: env[m.group(1)], text)


def mask_url(url: str) -> str:
    """The URL with any password replaced by ***; `${VAR}` references are kept (they are not secrets)."""
    # Greedy up to the last "@" before the path: passwords may contain "@" themselves.
    return re.sub(r"(://[^:/@]*:)[^/?#]*@", r"\1***@", url)


def sql_engine_kwargs(url: str, connect_timeout_s: int, query_timeout_s: int) -> dict[str, Any]:
    """create_engine() arguments that bound how long connecting and each query may take, per dialect."""
    dialect = url.split(":", 1)[0].split("+", 1)[0].lower()
    if dialect in ("postgresql", "postgres"):
        options = f"-c statement_timeout={query_timeout_s * 1000}"
        return {"connect_args": {"connect_timeout": connect_timeout_s, "options": options}}
    if dialect in ("mysql", "mariadb"):
        return {"connect_args": {"connect_timeout": connect_timeout_s, "read_timeout": query_timeout_s}}
    if dialect == "sqlite":
        return {"connect_args": {"timeout": connect_timeout_s}}
    if dialect == "mssql":
        return {"connect_args": {"timeout": connect_timeout_s}}
    return {}


def check_sql_connection(url: str, engine_kwargs: dict[str, Any]) -> None:
    """Connect once, so an unreachable database is reported as such (and fast) before GX touches it."""
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(url, **engine_kwargs)
    except Exception as exc:  # noqa: BLE001 - bad URL, unknown dialect, missing driver
        raise DataLoadError(f"invalid database URL: {_first_line(exc)}", rule="cannot-connect") from None
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any driver error means the same: cannot connect
        raise DataLoadError(
            f"cannot connect to the database: {_first_line(exc)}",
            rule="cannot-connect",
            hint="check the URL's environment variables, the network and the credentials",
        ) from None
    finally:
        engine.dispose()


def _first_line(exc: BaseException) -> str:
    lines = [ln for ln in str(exc).splitlines() if ln.strip()]
    # SQLAlchemy wraps driver errors as "(psycopg2.OperationalError) <message>"; keep the message.
    text = lines[0] if lines else type(exc).__name__
    return mask_url(re.sub(r"^\([\w.]+\)\s*", "", text))


# -- Spark ------------------------------------------------------------------------------------------------
_SPARK_FORMATS = ("parquet", "csv", "json", "orc", "avro")


def spark_session(master: str) -> Any:
    """One light local (or cluster) session per process: no UI, one shuffle partition."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyspark warns about pandas versions on import
        from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master)
        .appName("dataops-ci")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.memory", "1g")
        .config("spark.ui.showConsoleProgress", "false")  # no stage progress bars in CI logs
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def load_spark(source: DataSource, root: Path, master: str, allowed_schemes: Collection[str] = ()) -> Any:
    """A Spark DataFrame for a path inside the repository, or a URL of an allowed scheme (locations.py)."""
    if not source.path:
        raise DataLoadError(
            "the spark data source has no 'path'", hint="set data: {engine: spark, path: ...}"
        )
    uri = resolve_location(source, root, allowed_schemes)
    fmt = (source.format or PurePosixPath(source.path.rstrip("/")).suffix.lstrip(".") or "parquet").lower()
    fmt = "json" if fmt in ("jsonl", "ndjson") else fmt
    if fmt not in _SPARK_FORMATS:
        raise DataLoadError(
            f"{source.path}: unknown spark format '{fmt}'", hint="set format: parquet|csv|json"
        )
    options = {"header": "true", "inferSchema": "true"} if fmt == "csv" else {}
    options.update({k: str(v) for k, v in source.options.items()})
    try:
        session = spark_session(master)
        return session.read.format(fmt).options(**options).load(uri)
    except Exception as exc:  # noqa: BLE001 - Java missing, unreadable file, bad master
        raise DataLoadError(f"{source.path}: spark cannot read it: {_first_line(exc)}") from None
