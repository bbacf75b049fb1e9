"""AWS Config's names against the limits AWS sets on them."""

from __future__ import annotations

from config.errors import Problem
from config.model import LandingZoneConfig
from config.naming import config_recorder_function_name, config_recorder_function_role_name
from config.security_baseline import services_on

# IAM role names and Lambda function names: at most 64 characters (IAM quotas,
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html; Lambda
# CreateFunction's FunctionName, https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html).
MAX_NAME_CHARS = 64


def recorder_function_names(config: LandingZoneConfig) -> list[Problem]:
    """The recorder function's role is named per governed region and the guardrails exempt it
    by that name, so a name IAM refuses would fail every stack instance."""
    if "aws_config" not in services_on(config):
        return []
    names = [config_recorder_function_name(config), *(
        config_recorder_function_role_name(config, region) for region in config.governed_regions)]
    longest = max(names, key=len)
    if len(longest) <= MAX_NAME_CHARS:
        return []
    return [Problem("LZ218", ("organization", "tokens", "namespace"),
                    f"AWS Config's recorder role '{longest}' is {len(longest)} characters; IAM "
                    f"allows {MAX_NAME_CHARS}.",
                    f"Shorten the namespace token by {len(longest) - MAX_NAME_CHARS} characters, "
                    "or set security_baseline.aws_config.enabled: false.")]


RULES = [recorder_function_names]
