"""Runs a repository's GX 1.x File Data Context as the repository defines it.

The project folder and the data its filesystem data sources read are copied, in their repository layout,
to a scratch folder (the working tree or any revision alike; GX writes its results there, never into the
repository). GX then loads the context itself (`get_context(mode="file")`, started in the project root as
a GX user starts it), so data sources, assets, batch definitions and `${VAR}` substitution resolve as GX
resolves them. Each validation definition of each checkpoint runs once with the checkpoint's result
format (what `Checkpoint.run` does, minus its actions: no Slack message or e-mail from CI), then those no
checkpoint names. Whatever GX resolved must stay inside the copy, i.e. inside the repository.
"""

from __future__ import annotations

import contextlib
import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dataops_ci.config import ExpectationsConfig
from dataops_ci.expectations import engines, parameters
from dataops_ci.expectations.engines import DataLoadError, as_source
from dataops_ci.expectations.gx_context import gx_context
from dataops_ci.expectations.gx_project import CONFIG_FILE, GxProject
from dataops_ci.expectations.suites import ParsedSuite, SuiteError, parse_suite
from dataops_ci.git import GitRepo, inside_repo
from dataops_ci.git.materialise import materialise


@dataclass(frozen=True)
class ProjectSuite:
    file: str  # repository path
    parsed: ParsedSuite
    skipped: dict[int, list[str]] = field(default_factory=dict)  # expectation index -> missing parameters


@dataclass(frozen=True)
class ValidationRun:
    name: str  # the validation definition
    checkpoints: tuple[str, ...]
    suite: str  # the suite's name
    result: Any = None  # GX's ExpectationSuiteValidationResult
    error: str | None = None
    rule: str = "cannot-run-validation"
    hint: str | None = None


@dataclass
class ProjectRun:
    project: GxProject
    suites: dict[str, ProjectSuite] = field(default_factory=dict)  # by suite name
    validations: list[ValidationRun] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (rule, message, hint)


def run_project(
    repo: GitRepo, rev: str | None, project: GxProject, config: ExpectationsConfig, scratch: Path
) -> ProjectRun:
    run = ProjectRun(project)
    over = _copy(repo, rev, project, config, scratch)
    if over:
        run.problems.append(("cannot-read-data", over, "raise expectations.max_data_bytes or use less data"))
        return run
    params = dict(config.parameters)
    run.suites = _prepare_suites(project, scratch, params, run)
    _anchor_spark_dirs(scratch / project.directory / CONFIG_FILE, scratch / project.root)
    context_dir = scratch / project.directory
    gx_context()  # our own context first: GX's global "current project" is put back to it afterwards
    from great_expectations.data_context.data_context.context_factory import project_manager

    try:
        with _quiet(), contextlib.chdir(scratch / project.root):
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

            try:
                context = gx.get_context(mode="file", context_root_dir=str(context_dir))
                context.variables.progress_bars = ProgressBarsConfig(
                    globally=False, metric_calculations=False
                )
            except Exception as exc:  # noqa: BLE001 - any GX config error: the project cannot be run
                hint = f"fix {project.directory}/great_expectations.yml (run it with GX to see the error)"
                run.problems.append(("cannot-load-gx-project", _first_line(exc), hint))
                return run
            try:
                _run_all(context, run, config, params, scratch)
            except Exception as exc:  # noqa: BLE001 - a broken checkpoint or validation definition file
                hint = "fix the checkpoint / validation definition files (run them with GX to see the error)"
                run.problems.append(("cannot-load-gx-project", _first_line(exc), hint))
    finally:
        project_manager.set_project(gx_context())
    return run


@contextlib.contextmanager
def _quiet() -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _copy(
    repo: GitRepo, rev: str | None, project: GxProject, config: ExpectationsConfig, dest: Path
) -> str | None:
    """Copy the project and its data to `dest`; a message when the data is over the input cap."""
    dirs = [d.rstrip("/") + "/" for d in project.data_dirs if d]
    data = repo.list_files(rev, dirs) if "" not in project.data_dirs else repo.list_files(rev)
    data += [p for p in project.data_dirs if p and p not in data]  # a single file (SQLite database)
    data += [p for a in config.assets.values() for p in engines.local_paths(as_source(a))]
    sizes = repo.sizes(rev, sorted(set(data)))
    total = sum(sizes.values())
    if total > config.max_data_bytes:
        return (
            f"GX project {project.directory}: its data ({total:,} bytes) is over "
            f"expectations.max_data_bytes ({config.max_data_bytes:,}); not run"
        )
    paths = sorted(set(project.files) | set(sizes))
    if rev is not None:
        materialise(repo, rev, paths, dest)
        return None
    for path in paths:
        if inside_repo(repo.root, path) and (repo.root / path).is_file():
            (dest / path).parent.mkdir(parents=True, exist_ok=True)
            (dest / path).write_bytes((repo.root / path).read_bytes())
    (dest / project.directory).mkdir(parents=True, exist_ok=True)
    return None


def _anchor_spark_dirs(config_file: Path, root: Path) -> None:
    """Spark resolves a relative path against the directory the JVM started in, not the one GX runs in:
    in the copy, a Spark data source's relative base_directory is made absolute (same folder, same data)."""
    import yaml

    try:
        raw = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return  # GX reports it when it loads the project
    sources = raw.get("fluent_datasources") if isinstance(raw, dict) else None
    changed = False
    for source in sources.values() if isinstance(sources, dict) else []:
        base = source.get("base_directory") if isinstance(source, dict) else None
        spark = isinstance(source, dict) and str(source.get("type", "")).startswith("spark")
        if spark and isinstance(base, str) and "${" not in base and not Path(base).is_absolute():
            source["base_directory"] = str((root / base).absolute())
            changed = True
    if changed:
        config_file.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")


def _prepare_suites(
    project: GxProject, scratch: Path, params: dict[str, Any], run: ProjectRun
) -> dict[str, ProjectSuite]:
    """Parse the project's suites; drop from the copy each expectation whose `$PARAMETER` has no value
    (GX would stop the whole suite at it), remembering which and why."""
    suites: dict[str, ProjectSuite] = {}
    for path in project.store_files("expectations"):
        target = scratch / path
        try:
            parsed = parse_suite(target.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, SuiteError) as exc:
            hint = "fix the suite file (GX 1.x JSON: {name, expectations: [{type, kwargs, meta}]})"
            run.problems.append(("cannot-parse-suite", f"{path}: {exc}", hint))
            continue
        skipped = {
            i: names
            for i, exp in enumerate(parsed.expectations)
            if (names := parameters.missing(exp.get("kwargs") or {}, params))
        }
        if skipped:
            raw = json.loads(target.read_text(encoding="utf-8"))
            raw["expectations"] = [e for i, e in enumerate(raw["expectations"]) if i not in skipped]
            target.write_text(json.dumps(raw), encoding="utf-8")
        suites[parsed.name] = ProjectSuite(path, parsed, skipped)
    return suites


def _run_all(
    context: Any, run: ProjectRun, config: ExpectationsConfig, params: dict[str, Any], scratch: Path
) -> None:
    formats: dict[str, Any] = {}
    owners: dict[str, list[str]] = {}
    definitions: dict[str, Any] = {}
    for checkpoint in context.checkpoints.all():
        for definition in checkpoint.validation_definitions:
            definitions.setdefault(definition.name, definition)
            formats.setdefault(definition.name, checkpoint.result_format)
            owners.setdefault(definition.name, []).append(checkpoint.name)
    for definition in context.validation_definitions.all():
        definitions.setdefault(definition.name, definition)
    for name, definition in definitions.items():
        fmt = formats.get(name, "SUMMARY")
        checkpoints = tuple(owners.get(name, ()))
        run.validations.append(_run_one(context, definition, fmt, checkpoints, config, params, scratch))


def _run_one(
    context: Any,
    definition: Any,
    result_format: Any,
    checkpoints: tuple[str, ...],
    config: ExpectationsConfig,
    params: dict[str, Any],
    scratch: Path,
) -> ValidationRun:
    suite = str(definition.suite.name)
    try:
        asset = definition.batch_definition.data_asset
        datasource = asset.datasource
        _check_source(context, datasource, scratch, config)
        batch_parameters = _dataframe(datasource, asset, config, scratch)
        result = definition.run(
            batch_parameters=batch_parameters,
            expectation_parameters=params or None,
            result_format=result_format,
        )
    except DataLoadError as exc:
        return ValidationRun(
            definition.name, checkpoints, suite, error=str(exc), rule=exc.rule, hint=exc.hint
        )
    except Exception as exc:  # noqa: BLE001 - missing file, bad regex, unreachable database ...
        hint = "run the checkpoint with GX to see the error; the suite's expectations were not evaluated"
        return ValidationRun(definition.name, checkpoints, suite, error=_first_line(exc), hint=hint)
    return ValidationRun(definition.name, checkpoints, suite, result=result)


def _check_source(context: Any, datasource: Any, scratch: Path, config: ExpectationsConfig) -> None:
    """Refuse a data source whose files (base directory, SQLite database) are outside the repository;
    connect once to a database server, with the config's timeouts (an unreachable one fails fast)."""
    base = getattr(datasource, "base_directory", None)
    where: Path | None = Path(base) if base is not None else None
    url = getattr(datasource, "connection_string", None)
    if url is not None and where is None:
        text = url.get_config_value(context.config_provider) if hasattr(url, "get_config_value") else url
        text = str(text)
        if text.startswith("sqlite") and ":///" in text:
            where = Path(text.split(":///", 1)[1].split("?", 1)[0])
        else:
            kwargs = engines.sql_engine_kwargs(text, config.connect_timeout_s, config.query_timeout_s)
            engines.check_sql_connection(text, kwargs)
    if where is not None and not inside_repo(scratch, where.absolute()):
        raise DataLoadError(
            f"data source '{datasource.name}' reads {where}, which is outside the repository; not read",
            rule="cannot-read-outside-repo",
            hint="keep the data inside the repository (a relative base_directory), or run GX yourself",
        )


def _dataframe(datasource: Any, asset: Any, config: ExpectationsConfig, scratch: Path) -> Any:
    """Batch parameters for a dataframe asset (its data is passed at run time): the file that
    `expectations.assets` maps the asset to."""
    if getattr(asset, "type", None) != "dataframe":
        return None
    key = f"{datasource.name}.{asset.name}"
    mapped = config.assets.get(key, config.assets.get(asset.name))
    if mapped is None:
        raise DataLoadError(
            f"asset '{asset.name}' of data source '{datasource.name}' is a dataframe asset: its data is "
            "passed at run time, so there is nothing to read",
            rule="cannot-read-dataframe-asset",
            hint=f"map it to a file: expectations.assets: {{{asset.name}: data/{asset.name}.csv}}",
        )
    source = as_source(mapped)
    if getattr(datasource, "type", "") == "spark":
        frame = engines.load_spark(source, scratch, config.spark_master, config.allowed_url_schemes)
    else:
        frame = engines.load_dataframe(source, scratch, None, config)
    return {"dataframe": frame}


def _first_line(exc: BaseException) -> str:
    text = next((ln for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)
    return engines.mask_url(text.strip())[:500]
