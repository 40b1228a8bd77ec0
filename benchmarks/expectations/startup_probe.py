"""Start-up probe: import the engine and create the GX context, as the first suite of a run does."""

from __future__ import annotations

import sys

if sys.argv[1:] == ["gx"]:
    from dataops_ci.expectations import gx_run

    gx_run.gx_context()
else:
    from dataops_ci import cli

    cli.build_parser()
