"""The tags every provider stamps on every taggable resource it creates.

`landing-zone:managed=true` marks what this program owns, so people and SCPs (guardrails) can
tell landing-zone infrastructure from workload resources.
"""

from __future__ import annotations

from collections.abc import Mapping

MANAGED_TAG_KEY = "landing-zone:managed"
MANAGED_TAG_VALUE = "true"


def default_tags(config_tags: Mapping[str, str]) -> dict[str, str]:
    """The config's `tags` plus the managed marker, which a config tag cannot override."""
    return {**config_tags, MANAGED_TAG_KEY: MANAGED_TAG_VALUE}
