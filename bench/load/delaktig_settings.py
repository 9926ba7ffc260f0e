"""Delaktig's own production settings, plus the one line they lack today: the project-level
static folder (src/delaktig/static) is not an app's, so collectstatic misses site.css and
every page fails with "Missing staticfiles manifest entry" under DELAKTIG_ENV=production.
Requested in config/settings.py; remove this module once it is there."""

from delaktig.config.settings import *  # noqa: F403
from delaktig.config.settings import BASE_DIR

STATICFILES_DIRS = [BASE_DIR / "static"]
