"""Typed access to a landing-zone stack's outputs from any other Pulumi Python project.

```python
from landing_zone_outputs import LandingZoneOutputs

lz = LandingZoneOutputs()                      # organization/landing-zone/bootstrap
dev = lz.provider("dev", region="eu-west-1")   # inside dev, with dev's own credentials
bucket = aws.s3.Bucket("data", opts=pulumi.ResourceOptions(provider=dev))
pulumi.export("dev_account_id", lz.account_id("dev"))
```

The outputs are the contract of docs/dev/contracts.md ("Stack outputs"); this module reads them
through a `pulumi.StackReference` and never calls AWS itself. See docs/consuming-outputs.md.
"""

from landing_zone_outputs.reference import (
    DEFAULT_STACK,
    AccountAccessRoleError,
    AccountOutput,
    LandingZoneOutputs,
    LandingZoneOutputsError,
    MissingOutputError,
    UnknownKeyError,
    stack_name,
)

__all__ = ["DEFAULT_STACK", "AccountAccessRoleError", "AccountOutput", "LandingZoneOutputs",
           "LandingZoneOutputsError", "MissingOutputError", "UnknownKeyError", "stack_name"]
