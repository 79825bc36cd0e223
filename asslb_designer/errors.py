"""Errors a user can act on: which file, which key, what was wrong.

Every problem with input data (a design file, a library file, an API argument) is an
InputError whose one-line message reads ``FILE: KEY: REASON``, e.g.
``cell.toml: layer[3].thickness: expected a length such as '30 um', got '30 kg'``.
The CLI prints that line and exits 2; the GUI shows it next to the field.
"""

from __future__ import annotations

import difflib


class InputError(ValueError):
    """Bad input. `file` and `key` locate it; `reason` says what is wrong and what would be right."""

    def __init__(self, file: str | None, key: str | None, reason: str):
        self.file = file
        self.key = key
        self.reason = reason
        super().__init__(self.message)

    def __reduce__(self):
        # so an error raised in a worker process (a cluster run) arrives whole
        return (type(self), (self.file, self.key, self.reason))

    @property
    def message(self) -> str:
        parts = [p for p in (self.file, self.key) if p]
        # one line, whatever names the input itself contains
        return ": ".join(parts + [self.reason]).replace("\r", "\\r").replace("\n", "\\n")


def closest(name: str, known, n: int = 3) -> list[str]:
    """The known names nearest to `name` (case-insensitive), best first."""
    known = list(known)
    by_lower = {k.lower(): k for k in known}
    hits = difflib.get_close_matches(name.lower(), list(by_lower), n=n, cutoff=0.5)
    return [by_lower[h] for h in hits]


def did_you_mean(name: str, known) -> str:
    hits = closest(name, known)
    return f" (did you mean {', '.join(repr(h) for h in hits)}?)" if hits else ""
