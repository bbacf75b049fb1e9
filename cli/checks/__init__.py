"""Checks against the live AWS organization. Each returns frozen result records that carry a
stable id (PF001 preflight, VF001 verify) so docs, CI and suppressions can name them; the
commands in cli/commands/ only render them (cli/checks/format.py)."""
