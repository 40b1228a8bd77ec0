"""Great Expectations suites: parsing with lines, migration from 0.x, selection by what changed, one GX
context per process, validation on pandas/SQL/Spark, and findings. The check is `checks/expectations.py`."""
