"""An example consumer of the landing zone: it knows account keys, never account ids.

It reads the landing-zone stack through a StackReference (via landing_zone_outputs), builds an
aws.Provider for one member account, and creates two small things inside that account: an SSM
parameter holding the organization id, and an S3 bucket whose server access logs go to the
account's access-log bucket that the landing zone built. It runs with that member account's
own credentials (the Deployer permission set's SSO profile as aws:profile, or a CI role of the
account): it never needs the management account.
"""

import pulumi
import pulumi_aws as aws

from landing_zone_outputs import DEFAULT_STACK, LandingZoneOutputs

config = pulumi.Config()
account = config.get("account") or "dev"
lz = LandingZoneOutputs(config.get("landingZoneStack") or DEFAULT_STACK)

# Your credentials as they are (aws:profile: the Deployer SSO profile of this account); the
# provider refuses to touch any other account (allowed_account_ids).
member = lz.provider(account)
in_member = pulumi.ResourceOptions(provider=member)

aws.ssm.Parameter(
    "organization-id", name="/landing-zone/organization-id", type="String",
    value=lz.organization_id, opts=in_member)

data = aws.s3.Bucket("data", opts=in_member)
aws.s3.BucketPublicAccessBlock(
    "data", bucket=data.id, block_public_acls=True, block_public_policy=True,
    ignore_public_acls=True, restrict_public_buckets=True, opts=in_member)
aws.s3.BucketLogging(
    "data", bucket=data.id, target_bucket=lz.access_log_bucket(account),
    target_prefix=data.id.apply(lambda name: f"{name}/"), opts=in_member)

pulumi.export("account_ids", lz.accounts.apply(
    lambda accounts: {key: entry["id"] for key, entry in accounts.items()}))
pulumi.export("account_id", lz.account_id(account))
pulumi.export("data_bucket", data.bucket)
