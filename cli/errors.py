"""The CLI's small exception tree, each mapped to a documented exit code.

0 success · 1 a check found problems (preflight failure, drift) · 2 bad config or usage ·
3 AWS or credentials trouble · 4 a required tool (the pulumi CLI) is missing.
"""

from __future__ import annotations

EXIT_OK, EXIT_FINDINGS, EXIT_CONFIG, EXIT_AWS, EXIT_TOOL = 0, 1, 2, 3, 4


class LzError(Exception):
    exit_code = EXIT_CONFIG

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


class UsageError(LzError):
    exit_code = EXIT_CONFIG


class AwsError(LzError):
    exit_code = EXIT_AWS


class ToolMissing(LzError):
    exit_code = EXIT_TOOL
