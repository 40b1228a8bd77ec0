"""The generated docs site: `collect` reads the repository into plain page models, `words` says what an
expectation checks in words, `write` renders the Jinja2 templates (autoescaped, every value through
`render.escape.clean`) and the search index.

Imports checks (schema history verdicts), engines, foundations and `render.escape`; nothing above layer 2.
"""

from __future__ import annotations

from dataops_ci.publish.site.collect import collect_site
from dataops_ci.publish.site.model import SiteModel
from dataops_ci.publish.site.write import write_site

__all__ = ["SiteModel", "collect_site", "write_site"]
