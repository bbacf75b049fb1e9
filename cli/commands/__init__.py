"""Each command module exposes `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`."""

from cli.commands import (
    bootstrap_policy,
    import_org,
    migrate_state,
    plan,
    preflight,
    show,
    sso_config,
    validate,
    verify,
)

COMMANDS = [show, validate, plan, bootstrap_policy, preflight, sso_config, migrate_state, verify,
            import_org]
