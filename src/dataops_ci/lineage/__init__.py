"""The cross-artifact lineage graph of one revision, built statically (no warehouse, no dbt run).

Nodes are Avro schemas, tables, datasets (data files), SQL models, GX suites, pipelines and dbt exposures;
edges are column uses (`model.Use`): which column of which node a consumer reads, and where (file:line).
SQL models are rendered (dbt `ref()`/`source()`, macros: `jinja`), parsed and traced with sqlglot
(`sqlparse`); the per-file work is cached by content hash (`cache`). `build` assembles one revision,
`impact` answers "who uses this column" and classifies a model's change between two revisions.

An engine (layer 4): imports the foundations (config, git, located_yaml, report), the Avro engine's parser
and the lint cache's location, never a check, renderer, command or the GitHub layer. sqlglot and Jinja2
(the `lineage` extra) are imported only when SQL has to be parsed.
"""
