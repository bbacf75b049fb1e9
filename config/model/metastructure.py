"""Sections of a Metastructure file: accepted so such a file loads unchanged.

Only `terraform.state.bucket` means something to Pulumi (it names the state bucket); the rest
is Terraform plumbing, reported once as ignored.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from config.model.base import Model


class TerraformState(Model):
    bucket: str | None = Field(None, description="State bucket name (used by landing-zone).")
    key: str | None = Field(None, description="Terraform state key (ignored: Pulumi names "
                            "its own state files).")
    lock_table: str | None = Field(None, description="DynamoDB lock table (ignored: Pulumi "
                                   "locks inside the bucket).")


class Terraform(Model):
    state: TerraformState = Field(default_factory=TerraformState,
                                  description="Terraform backend settings.")
    aws_version: str | None = Field(None, description="Ignored (Terraform provider version).")
    terraform_version: str | None = Field(None, description="Ignored (Terraform version).")
    paths: str | None = Field(None, description="Ignored (Terraform source path).")


class Environment(Model):
    account: str = Field(description="Account key the environment deploys to.")


class Application(Model):
    """An application's environments, each mapped to an account.

    ```yaml
    applications:
      api:
        environments: {dev: {account: dev}, prod: {account: prod}}
    ```
    """

    environments: dict[str, Environment] = Field(default_factory=dict,
                                                 description="Environment -> account.")


Workspaces = dict[str, Any]
