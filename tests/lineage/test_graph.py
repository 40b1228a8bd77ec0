"""The lineage graph of a dbt-shaped project in a real git repository: ref, source, CTEs, SELECT *, aliases,
a renamed column, sub-folders, a Jinja macro, an unparsable model, dbt YAML, pipelines and suites."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataops_ci.config import load_config
from dataops_ci.git import GitRepo
from dataops_ci.lineage.build import build_graph, sqlfluff_dialect
from dataops_ci.lineage.cache import ParseCache
from dataops_ci.lineage.model import ANY, Graph
from tests.lineage.project import SEGMENTS, commit, make_project, write

pytest.importorskip("sqlglot")


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, str]:
    return make_project(tmp_path)


def graph_of(repo: Path, rev: str | None, cache: ParseCache | None = None) -> Graph:
    return build_graph(GitRepo(repo), rev, load_config(repo, None), cache)


def sources(graph: Graph, node: str, column: str) -> set[tuple[str, str]]:
    return {(u.src, u.src_col) for u in graph.incoming(node) if u.dst_col == column}


def test_source_and_ref_resolve_to_tables_and_models(project: tuple[Path, str]) -> None:
    graph = graph_of(*project)
    assert sources(graph, "model:stg_customers", "customer_id") == {("table:raw.customers", "customer_id")}
    assert ("model:stg_customers", "segment") in sources(graph, "model:customer_segments", "segment")
    # a model in a sub-folder, read through ref() of a mart
    assert graph.nodes["model:segment_report"].file == "models/marts/reporting/segment_report.sql"
    assert sources(graph, "model:segment_report", "top_customer_id") == {
        ("model:customer_segments", "top_customer_id")
    }


def test_renamed_column_alias_and_macro_are_traced_with_their_lines(project: tuple[Path, str]) -> None:
    graph = graph_of(*project)
    assert sources(graph, "model:stg_customers", "email_address") == {("table:raw.customers", "email")}
    money = graph.nodes["model:stg_customers"].columns["lifetime_value"]
    assert "/ 100.0" in money["expr"]  # the macro was expanded
    (use,) = [u for u in graph.incoming("model:stg_customers") if u.dst_col == "lifetime_value"]
    assert (use.src_col, use.line) == ("lifetime_value_cents", 7)  # the line in the file, not the render


def test_ctes_and_a_star_of_a_known_model_trace_to_the_source_column(project: tuple[Path, str]) -> None:
    graph = graph_of(*project)
    # ranked.ltv is an alias inside a CTE over `select *` of stg_customers; the sum of it is traced through
    assert sources(graph, "model:customer_segments", "total_lifetime_value") == {
        ("model:stg_customers", "lifetime_value")
    }
    upstream = {(h.node, h.column) for h in graph.upstream("model:segment_report", "average_value")}
    assert ("table:raw.customers", "lifetime_value_cents") in upstream
    assert graph.nodes["model:customer_segments"].columns["top_customer_id"]["type"] == "bigint"  # from Avro


def test_select_star_of_unknown_columns_is_lineage_unknown_not_dropped(project: tuple[Path, str]) -> None:
    graph = graph_of(*project)
    orders = graph.nodes["model:stg_orders"]
    assert orders.unknown and "lineage unknown past here" in orders.unknown and "raw.orders" in orders.unknown
    assert any(u.src == "table:raw.orders" and u.src_col == ANY for u in graph.incoming(orders.id))
    # any column of raw.orders reaches stg_orders, where the walk stops: what it passes on is unknown
    assert {h.node for h in graph.downstream("table:raw.orders", "customer_id")} == {"model:stg_orders"}
    # what is known past it is still traced: order_summary names stg_orders.customer_id
    assert sources(graph, "model:order_summary", "customer_id") == {("model:stg_orders", "customer_id")}


def test_an_unparsable_model_is_reported_and_keeps_its_inputs(project: tuple[Path, str]) -> None:
    repo, _ = project
    write(repo, {"models/marts/broken.sql": "select from where {{ ref('stg_customers') }} ((\n"})
    graph = graph_of(repo, commit(repo, "broken model"))
    broken = graph.nodes["model:broken"]
    assert broken.unknown and broken.unknown.startswith("lineage unknown past here: ")
    assert "model:broken" in {h.node for h in graph.downstream("model:stg_customers", "segment")}


def test_suites_pipelines_dbt_yaml_and_owners(project: tuple[Path, str]) -> None:
    graph = graph_of(*project)
    hits = {h.node: h for h in graph.downstream("model:customer_segments", "top_customer_id")}
    assert (hits["pipeline:segments"].file, hits["pipeline:segments"].line) == ("pipelines/segments.yml", 5)
    assert graph.nodes["pipeline:segments"].owners == ["data_science_team"]
    assert graph.nodes["pipeline:segments"].notify == ["marketing_team"]
    suite = {h.node: h for h in graph.downstream("model:customer_segments", "total_lifetime_value")}
    assert suite["suite:expectations/segments.json"].line == 6  # the expectation naming the column
    assert graph.nodes["model:customer_segments"].owners == ["marketing_team"]  # meta.owner in schema.yml
    assert hits["exposure:segment_dashboard"].depth == 2  # via segment_report
    assert graph.nodes["exposure:segment_dashboard"].owners == ["bi_team"]
    assert graph.nodes["table:raw.customers"].owners == ["data_engineering"]  # the dbt source's meta


def test_schema_links_come_from_the_repo_and_a_near_match_gets_a_notice(project: tuple[Path, str]) -> None:
    graph = graph_of(*project)
    linked = {u.dst for u in graph.outgoing("schema:schemas/customer.avsc")}
    assert linked == {"table:raw.customers"}  # from `lineage:` in dataops-ci.yml
    assert graph.outgoing("schema:schemas/order.avsc") == []  # never linked by name ...
    (note,) = [n for n in graph.notes if n["rule"] == "lineage-unlinked-schema"]
    assert "raw.orders" in note["message"] and "lineage: {schemas/order.avsc: raw.orders}" in note["hint"]


def test_the_cache_reparses_only_what_changed(project: tuple[Path, str], tmp_path: Path) -> None:
    repo, base = project
    cache_dir = tmp_path / "cache"
    cold = ParseCache(cache_dir)
    first = graph_of(repo, base, cold)
    assert cold.hits == 0 and cold.misses == 10  # 5 models: parsed, then traced
    warm = ParseCache(cache_dir)
    assert graph_of(repo, base, warm).to_dict() == first.to_dict()
    assert (warm.hits, warm.misses) == (10, 0)
    write(
        repo,
        {"models/marts/customer_segments.sql": SEGMENTS.replace("count(*) as customers", "1 as customers")},
    )
    changed = ParseCache(cache_dir)
    graph_of(repo, commit(repo, "one model"), changed)
    # the model itself (parse + trace) and segment_report, traced again against its new upstream columns
    assert changed.misses == 3


def test_the_working_tree_is_a_revision_too(project: tuple[Path, str]) -> None:
    repo, _ = project
    write(repo, {"models/marts/new_mart.sql": "select segment from {{ ref('customer_segments') }}\n"})
    graph = graph_of(repo, None)
    assert sources(graph, "model:new_mart", "segment") == {("model:customer_segments", "segment")}


def test_the_jinja_context_and_dialect_come_from_sqlfluff_config_as_for_sql_lint(
    project: tuple[Path, str],
) -> None:
    repo, _ = project
    sqlfluff = "[sqlfluff]\ndialect = postgres\n\n[sqlfluff:templater:jinja:context]\nraw_schema = raw\n"
    model = "select c.email::text as mail\nfrom {{ raw_schema }}.customers as c\n"
    config = (repo / "dataops-ci.yml").read_text(encoding="utf-8").replace(", dialect: postgres", "")
    write(repo, {"models/.sqlfluff": sqlfluff, "models/marts/mails.sql": model, "dataops-ci.yml": config})
    graph = graph_of(repo, commit(repo, "context"))
    assert sources(graph, "model:mails", "mail") == {("table:raw.customers", "email")}
    assert graph.nodes["model:mails"].columns["mail"]["type"] == "text"
    configs = {".sqlfluff": "[sqlfluff]\ndialect = ansi\n", "models/.sqlfluff": sqlfluff}
    assert sqlfluff_dialect(configs, ["models/marts/mails.sql"]) == "postgres"  # the nearest file wins
    assert sqlfluff_dialect(configs, ["other/x.sql"]) == "ansi"


def test_a_dbt_project_renders_with_the_dbt_package(project: tuple[Path, str]) -> None:
    repo, _ = project
    plain = graph_of(*project)
    dbt_project = "name: shop\nversion: '1.0'\nprofile: shop\nmodel-paths: [models]\nmacro-paths: [macros]\n"
    write(repo, {"dbt_project.yml": dbt_project})
    graph = graph_of(repo, commit(repo, "a dbt project"))
    assert graph.to_dict()["uses"] == plain.to_dict()["uses"]  # source() is raw.customers here too
    # dbt's own cross-database macros exist only in the dbt renderer
    loaded = (
        "select customer_id, {{ dbt.current_timestamp() }} as loaded_at\nfrom {{ ref('stg_customers') }}\n"
    )
    write(repo, {"models/marts/loads.sql": loaded})
    graph = graph_of(repo, commit(repo, "dbt macros"))
    assert graph.nodes["model:loads"].columns["loaded_at"]["expr"] == "CURRENT_TIMESTAMP"
    assert sources(graph, "model:stg_customers", "lifetime_value") == {
        ("table:raw.customers", "lifetime_value_cents")
    }
    assert "/ 100.0" in graph.nodes["model:stg_customers"].columns["lifetime_value"]["expr"]  # the macro
