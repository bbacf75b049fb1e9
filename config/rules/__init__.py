"""Cross-reference and limit rules run on the typed model after token expansion.

Each rule is a small function returning a list of problems; `check` runs them all so the
operator sees every problem of a file at once.
"""

from __future__ import annotations

from typing import Callable

from config.errors import Problem
from config.model import LandingZoneConfig
from config.rules import (
    aws_config,
    compatibility,
    guardduty,
    guardrails,
    lifecycle,
    limits,
    references,
    security_hub,
    uniqueness,
)

Rule = Callable[[LandingZoneConfig], list[Problem]]

RULES: list[Rule] = [
    *references.RULES,
    *uniqueness.RULES,
    *limits.RULES,
    *lifecycle.RULES,
    *compatibility.RULES,
    *guardrails.RULES,
    *security_hub.RULES,
    *guardduty.RULES,
    *aws_config.RULES,
]


def check(config: LandingZoneConfig) -> list[Problem]:
    problems: list[Problem] = []
    for rule in RULES:
        problems.extend(rule(config))
    return problems
