"""Progress of long operations on stderr, so stdout (text or `--json`) stays clean.

Library modules take a plain `progress(message)` callback and never render; commands pass
`status(...)`: a rich spinner on a terminal, one plain line per step elsewhere (CI logs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from cli import console

Progress = Callable[[str], None]


def silent(_message: str) -> None:
    """The default callback of library functions."""


@contextmanager
def status(title: str) -> Iterator[Progress]:
    if console.err.is_terminal:
        with console.err.status(title) as spinner:
            yield lambda message: spinner.update(f"{title}: {message}")
    else:
        yield lambda message: console.err.print(f"{title}: {message}", markup=False,
                                                highlight=False)
