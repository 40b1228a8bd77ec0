"""Plain GX (run as a separate process): build a GX 1.x File Data Context the way GX's docs do, run its
checkpoint, and print GX's own results as JSON. The tests' oracle: dataops-ci must agree with this.

    python gx_project_maker.py PROJECT_ROOT SPEC_JSON   (run with PROJECT_ROOT as the working directory)

SPEC: {"datasource": "pandas_filesystem" | "spark_filesystem" | "sqlite" | "postgres" | "dataframe",
"csv": "customers.csv",
"expectations": [{"type": ..., "kwargs": {...}, "severity": ...}], "parameters": {...},
"connection_string": "${DB_URL}", "table": "customers", "run": true}
"""

from __future__ import annotations

import json
import os
import sys
import warnings

os.environ["GX_ANALYTICS_ENABLED"] = "false"
warnings.simplefilter("ignore")

import great_expectations as gx  # noqa: E402
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration  # noqa: E402


def build(root: str, spec: dict) -> gx.Checkpoint:
    context = gx.get_context(mode="file", project_root_dir=root)
    kind = spec.get("datasource", "pandas_filesystem")
    if kind == "pandas_filesystem":
        source = context.data_sources.add_pandas_filesystem("local_files", base_directory="data")
        asset = source.add_csv_asset("customers")
        batch = asset.add_batch_definition_path("customers_file", path=spec.get("csv", "customers.csv"))
    elif kind == "spark_filesystem":
        source = context.data_sources.add_spark_filesystem("spark_files", base_directory="data")
        asset = source.add_csv_asset("customers", header=True, infer_schema=True)
        batch = asset.add_batch_definition_path("customers_file", path=spec.get("csv", "customers.csv"))
    elif kind == "postgres":
        source = context.data_sources.add_postgres("warehouse", connection_string=spec["connection_string"])
        asset = source.add_table_asset("customers", table_name="customers", schema_name=spec["schema"])
        batch = asset.add_batch_definition_whole_table("whole_table")
    elif kind == "sqlite":
        source = context.data_sources.add_sqlite("warehouse", connection_string=spec["connection_string"])
        asset = source.add_table_asset("customers", table_name=spec.get("table", "customers"))
        batch = asset.add_batch_definition_whole_table("whole_table")
    else:
        source = context.data_sources.add_pandas("in_memory")
        asset = source.add_dataframe_asset("customers_frame")
        batch = asset.add_batch_definition_whole_dataframe("whole_frame")
    suite = context.suites.add(gx.ExpectationSuite(name="customers_suite"))
    for entry in spec["expectations"]:
        config = ExpectationConfiguration(type=entry["type"], kwargs=entry["kwargs"])
        expectation = config.to_domain_obj()
        if entry.get("severity"):
            expectation.severity = entry["severity"]
        suite.add_expectation(expectation)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name="customers_validation", data=batch, suite=suite)
    )
    return context.checkpoints.add(gx.Checkpoint(name="nightly", validation_definitions=[definition]))


def main() -> None:
    root, spec = sys.argv[1], json.loads(sys.argv[2])
    checkpoint = build(root, spec)
    results = []
    if spec.get("run", True):
        outcome = checkpoint.run(expectation_parameters=spec.get("parameters") or None)
        for validation in outcome.run_results.values():
            for item in validation.results:
                result = item.to_json_dict()["result"] or {}
                results.append(
                    {
                        "type": item.expectation_config.type,
                        "success": bool(item.success),
                        "observed": result.get("observed_value"),
                        "unexpected_count": result.get("unexpected_count"),
                    }
                )
    print(json.dumps(results, default=str))


if __name__ == "__main__":
    main()
