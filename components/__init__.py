"""Reusable Pulumi building blocks of the landing zone; `build(config)` assembles them."""

from components.landing_zone import build

__all__ = ["build"]
