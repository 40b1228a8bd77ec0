"""Data contracts: a dataset checked against the Avro schema that describes it.

`fields` turns a schema into contract fields and checks columns or a pandas frame against them;
`value_types` holds the per-Avro-type value checks; `sql` checks a SQL table from its catalogue;
`frame_schema` is the DataFrame check behind `dataops_ci.testing.assert_conforms_to_schema`.

An engine package: imports foundations and the data-loading engine (`expectations.engines`) only; pandas and
SQLAlchemy inside functions.
"""
