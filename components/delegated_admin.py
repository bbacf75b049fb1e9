"""A service's delegated administrator as Organizations already lists it, read before the
program registers one: brownfield organizations keep theirs (adopted with `import_`), and one
held by another account stops `pulumi up` instead of being replaced.

A plain lookup through the management provider, in preview too: `import_` needs a plain id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class SecurityTooling:
    """Where a delegated security service runs, and what it waits for."""

    regions: Sequence[str]
    """The governed regions, home first."""
    management_provider: aws.Provider
    provider: aws.Provider
    """The security tooling account's."""
    account_id: pulumi.Input[str]
    known_account_id: str | None
    """The config's `id` of the security tooling account (adopted), else None."""
    email: str
    """Its email: finds its id when an earlier `pulumi up` created it (no `id` in the config)."""
    organization: pulumi.Resource
    """The Organization resource: trusted access is on before the delegation."""
    regions_ready: Mapping[str, Sequence[pulumi.Resource]] = field(default_factory=dict)
    """Region -> what enables it in the security tooling account (opt-in regions)."""


def adopted_delegation(service_principal: str, tooling: SecurityTooling,
                       parent: pulumi.Resource) -> str | None:
    """The security tooling account's id when it is already `service_principal`'s delegated
    administrator (adopt it: `import_`), None when no account is.

    Raises when another account is: AWS allows one per service, and replacing it silently
    would take the service's findings and settings away from its current owner."""
    on_management = pulumi.InvokeOptions(parent=parent, provider=tooling.management_provider)
    found = aws.organizations.get_delegated_administrators(
        service_principal=service_principal, opts=on_management).delegated_administrators
    if not found:
        return None
    account_id = tooling.known_account_id or _id_by_email(tooling.email, on_management)
    others = sorted(admin.id for admin in found if admin.id != account_id)
    if others:
        raise pulumi.RunError(
            f"{service_principal}'s delegated administrator is account {', '.join(others)}, not "
            f"the security tooling account{f' {account_id}' if account_id else ''}. Name that "
            "account as organization.key_accounts.security_tooling, or deregister it first "
            "(docs/security-services.md).")
    return account_id


def delegated_administrator(name: str, service_principal: str, tooling: SecurityTooling,
                            parent: pulumi.Resource) -> aws.organizations.DelegatedAdministrator:
    """The security tooling account registered as `service_principal`'s delegated
    administrator from the management account, after trusted access; an existing registration
    is adopted (import id `<account id>/<service principal>`). Retained on delete:
    deregistering would take the service's organization settings away from its account."""
    adopted = adopted_delegation(service_principal, tooling, parent)
    return aws.organizations.DelegatedAdministrator(
        f"{name}-delegated-administrator", account_id=tooling.account_id,
        service_principal=service_principal,
        opts=pulumi.ResourceOptions(
            parent=parent, provider=tooling.management_provider, retain_on_delete=True,
            depends_on=[tooling.organization],
            import_=adopted and f"{adopted}/{service_principal}"))


def _id_by_email(email: str, on_management: pulumi.InvokeOptions) -> str | None:
    """The id of the organization's account with `email` (one an earlier run created)."""
    accounts = aws.organizations.get_organization(opts=on_management).accounts
    return next((a.id for a in accounts if a.email.lower() == email.lower()), None)
