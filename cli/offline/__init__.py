"""Run the Pulumi program with no engine, no provider and no AWS: Pulumi's mock runtime.

The same runner serves `./lz plan` and the component tests, so what the tests pin is what the
operator sees.
"""

from cli.offline.mocks import FakeAws, Registration
from cli.offline.runner import Inventory, run_offline

__all__ = ["FakeAws", "Inventory", "Registration", "run_offline"]
