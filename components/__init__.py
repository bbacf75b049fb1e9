"""Reusable Pulumi building blocks of the landing zone."""
