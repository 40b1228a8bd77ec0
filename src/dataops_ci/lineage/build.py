"""One revision's graph: read the files, parse what is not cached, link it all.

Models are traced in dependency order, each against its upstream models' output columns (and the Avro
fields of a linked table), so `SELECT *` of a known relation expands and a column's sources are exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from dataops_ci.git import GitRepo, matches_any
from dataops_ci.lineage import artifacts
from dataops_ci.lineage.cache import ParseCache
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


def is_macro(path: str) -> bool:
    return "macros" in PurePosixPath(path).parts[:-1]


def read_inputs(repo: GitRepo, rev: str | None, config: Config) -> Inputs:
    files = repo.list_files(rev)
    sql = [p for p in files if matches_any(p, config.sql.paths)]
    schemas = [p for p in files if matches_any(p, config.schemas.paths)]
    pipelines = [p for p in files if matches_any(p, config.pipelines.paths)]
    suites = sorted({e.suite for e in config.expectations.suites})
    yaml = [p for p in files if matches_any(p, DBT_YAML) and p not in pipelines and "/" in p]
    texts = _texts(repo, rev, [*sql, *schemas, *pipelines, *suites, *yaml], config.sql.max_file_bytes)
    return Inputs(
        schemas={p: texts[p] for p in schemas if p in texts},
        models={p: texts[p] for p in sql if p in texts and not is_macro(p)},
        macros={p: texts[p] for p in sql if p in texts and is_macro(p)},
        pipelines={p: texts[p] for p in pipelines if p in texts},
        suites={p: texts[p] for p in suites if p in texts},
        dbt_yaml={p: texts[p] for p in yaml if p in texts and any(k in texts[p] for k in DBT_KEYS)},
    )


def _texts(repo: GitRepo, rev: str | None, paths: list[str], max_bytes: int) -> dict[str, str]:
    sizes = repo.sizes(rev, paths)
    wanted = [p for p in dict.fromkeys(paths) if sizes.get(p, 0) <= max_bytes]
    found = repo.read_files(rev, wanted)
    return {p: data.decode("utf-8", errors="replace") for p, data in found.items() if data is not None}


def build_graph(repo: GitRepo, rev: str | None, config: Config, cache: ParseCache | None = None) -> Graph:
    return build_from(read_inputs(repo, rev, config), config, cache or ParseCache(None))


def build_from(inputs: Inputs, config: Config, cache: ParseCache) -> Graph:
    graph = Graph()
    artifacts.add_schemas(graph, inputs.schemas)
    models = [ModelFile(p, PurePosixPath(p).stem.lower(), t) for p, t in sorted(inputs.models.items())]
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
    trace_models(graph, models, inputs.macros, config.sql.dialect, relation, cache)
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
