"""One revision's graph: read the files, parse what is not cached, link it all.

Models are traced in dependency order, each against its upstream models' output columns (and the Avro
fields of a linked table), so `SELECT *` of a known relation expands and a column's sources are exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from dataops_ci.git import GitRepo, matches_any
from dataops_ci.lineage import artifacts
from dataops_ci.lineage.cache import ParseCache
from dataops_ci.lineage.dbt_revision import dbt_projects
from dataops_ci.lineage.jinja import sqlfluff_context
from dataops_ci.lineage.model import Graph, Node, node_id
from dataops_ci.lineage.models import ModelFile, trace_models

if TYPE_CHECKING:
    from dataops_ci.config import Config

DBT_YAML = ("**/*.yml", "**/*.yaml")
DBT_KEYS = ("models:", "sources:", "exposures:", "groups:")
CONFIG_LINK_FILE = "dataops-ci.yml"


@dataclass(frozen=True)
class Inputs:
    """The texts of one revision the graph is built from (path -> text)."""

    schemas: dict[str, str]
    models: dict[str, str]
    macros: dict[str, str]
    pipelines: dict[str, str]
    suites: dict[str, str]
    dbt_yaml: dict[str, str]
    sqlfluff: dict[str, str]  # .sqlfluff files: the Jinja context sql-lint renders with
    dbt_projects: dict[str, Any]  # folder of a dbt_project.yml -> DbtProject (on disk: see dbt_revision)


def is_macro(path: str) -> bool:
    return "macros" in PurePosixPath(path).parts[:-1]


def read_inputs(repo: GitRepo, rev: str | None, config: Config, scratch: ExitStack) -> Inputs:
    """The revision's texts; a commit's dbt projects are written below temp folders `scratch` removes."""
    files = repo.list_files(rev)
    sql = [p for p in files if matches_any(p, config.sql.paths)]
    schemas = [p for p in files if matches_any(p, config.schemas.paths)]
    pipelines = [p for p in files if matches_any(p, config.pipelines.paths)]
    suites = sorted({e.suite for e in config.expectations.suites})
    yaml = [p for p in files if matches_any(p, DBT_YAML) and p not in pipelines and "/" in p]
    sqlfluff = [p for p in files if PurePosixPath(p).name == ".sqlfluff"]
    wanted = [*sql, *schemas, *pipelines, *suites, *yaml, *sqlfluff]
    texts = _texts(repo, rev, wanted, config.sql.max_file_bytes)
    return Inputs(
        schemas={p: texts[p] for p in schemas if p in texts},
        models={p: texts[p] for p in sql if p in texts and not is_macro(p)},
        macros={p: texts[p] for p in sql if p in texts and is_macro(p)},
        pipelines={p: texts[p] for p in pipelines if p in texts},
        suites={p: texts[p] for p in suites if p in texts},
        dbt_yaml={p: texts[p] for p in yaml if p in texts and any(k in texts[p] for k in DBT_KEYS)},
        sqlfluff={p: texts[p] for p in sqlfluff if p in texts},
        dbt_projects=dbt_projects(
            repo, rev, [p for p in files if PurePosixPath(p).name == "dbt_project.yml"], scratch
        ),
    )


def _dbt_of(projects: Mapping[str, Any], model: str) -> tuple[Any, str] | None:
    for folder in sorted(projects, key=len, reverse=True):
        relpath = (
            model
            if folder == "."
            else str(PurePosixPath(model).relative_to(folder))
            if _above(f"{folder}/x", model)
            else None
        )
        if relpath is not None and projects[folder].is_model(relpath):
            return projects[folder], relpath
    return None


def _texts(repo: GitRepo, rev: str | None, paths: list[str], max_bytes: int) -> dict[str, str]:
    sizes = repo.sizes(rev, paths)
    wanted = [p for p in dict.fromkeys(paths) if sizes.get(p, 0) <= max_bytes]
    found = repo.read_files(rev, wanted)
    return {p: data.decode("utf-8", errors="replace") for p, data in found.items() if data is not None}


def build_graph(repo: GitRepo, rev: str | None, config: Config, cache: ParseCache | None = None) -> Graph:
    with ExitStack() as scratch:
        return build_from(read_inputs(repo, rev, config, scratch), config, cache or ParseCache(None))


def build_from(inputs: Inputs, config: Config, cache: ParseCache) -> Graph:
    graph = Graph()
    artifacts.add_schemas(graph, inputs.schemas)
    models = [
        ModelFile(
            p,
            PurePosixPath(p).stem.lower(),
            t,
            tuple(sorted(sqlfluff_context(inputs.sqlfluff, p).items())),
            _dbt_of(inputs.dbt_projects, p),
        )
        for p, t in sorted(inputs.models.items())
    ]
    names = {m.name for m in models}
    sources = _source_names(inputs.dbt_yaml) | {t.lower() for ts in config.lineage.links.values() for t in ts}

    def relation(name: str) -> str:
        name = name.lower()
        last = name.rsplit(".", 1)[-1]
        if last in names and ("." not in name or name not in sources):
            return node_id("model", last)
        return node_id("table", name)

    for schema_file, tables in config.lineage.links.items():
        for table in tables:
            target = relation(table)
            graph.add(Node(target, target.partition(":")[0], table.lower()))
            artifacts.link_schema(graph, schema_file, target, config.source or CONFIG_LINK_FILE, None)
    artifacts.add_dbt_yaml(graph, inputs.dbt_yaml, relation)
    dialect = config.sql.dialect or sqlfluff_dialect(inputs.sqlfluff, list(inputs.models))
    trace_models(graph, models, inputs.macros, dialect, relation, cache)
    artifacts.add_pipelines(graph, inputs.pipelines, relation)
    for entry in config.expectations.suites:
        text = inputs.suites.get(entry.suite)
        if text is not None:
            # A DataSource (or the cached config's frozen view of one): only where the data is counts here.
            data: Any = entry.data
            if not isinstance(data, str):
                data = {k: getattr(data, k, None) for k in ("path", "url", "table")}
            artifacts.add_suite(graph, entry.suite, text, data, relation)
    _unlinked_notes(graph)
    graph.stats.update({"cache_hits": cache.hits, "cache_misses": cache.misses, "models": len(models)})
    return graph


def sqlfluff_dialect(configs: Mapping[str, str], models: list[str]) -> str | None:
    """The dialect sql-lint's sqlfluff uses for these models when `sql.dialect` is unset: that of the
    deepest `.sqlfluff` above the models that names one, else the root's."""
    import configparser

    folders = sorted(
        {str(PurePosixPath(p).parent) for m in models for p in configs if _above(p, m)},
        key=lambda f: -f.count("/") if f != "." else 1,
    )
    for folder in folders:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(configs[".sqlfluff" if folder == "." else f"{folder}/.sqlfluff"])
        except configparser.Error:
            continue
        if parser.has_option("sqlfluff", "dialect"):
            return parser.get("sqlfluff", "dialect").strip() or None
    return None


def _above(config_path: str, model: str) -> bool:
    folder = PurePosixPath(config_path).parent
    return str(folder) == "." or PurePosixPath(model).is_relative_to(folder)


def _source_names(texts: Mapping[str, str]) -> set[str]:
    import yaml

    names: set[str] = set()
    for text in texts.values():
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        for source in raw.get("sources") or [] if isinstance(raw, dict) else []:
            if isinstance(source, dict) and isinstance(source.get("name"), str):
                tables = [t for t in source.get("tables") or [] if isinstance(t, dict)]
                names |= {f"{source['name']}.{t.get('name')}".lower() for t in tables}
    return names


def _plausible(schema: Node, table: str) -> bool:
    last = table.rsplit(".", 1)[-1]
    stems = {schema.name.rsplit(".", 1)[-1].lower(), PurePosixPath(schema.file or "").stem.lower()}
    return any(last in (s, s + "s", s + "es") for s in stems if s)


def _unlinked_notes(graph: Graph) -> None:
    """A schema no pipeline, config link or dbt source connects to anything, next to a table whose name
    matches: say how to link it (never link by name)."""
    linked = {u.src for u in graph.uses}
    relations = sorted(n.name for n in graph.nodes.values() if n.kind in ("table", "model"))
    for schema in (n for n in graph.nodes.values() if n.kind == "schema" and n.id not in linked):
        for table in (t for t in relations if _plausible(schema, t)):
            artifacts.note(
                graph,
                "lineage-unlinked-schema",
                f"{schema.file} (record {schema.name}) is linked to no table, but {table} looks like it",
                schema.file,
                f"if `{table}` carries it, add `lineage: {{{schema.file}: {table}}}` to dataops-ci.yml",
            )


__all__ = ["Inputs", "build_from", "build_graph", "read_inputs"]
