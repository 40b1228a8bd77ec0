"""Great Expectations suites: parsing with lines, migration from 0.x, selection by what changed, one GX
context per process, validation on pandas/SQL/Spark, and findings. The check is `checks/expectations.py`.

`engines` loads a dataset for GX and for data contracts: local files into pandas, SQL URLs, Spark.
An engine package: imports foundations and other engine packages; GX, pandas, SQLAlchemy and pyspark only
inside functions, so importing it stays cheap.
"""
