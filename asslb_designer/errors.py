"""Errors a user can act on: which file, which key, what was wrong.

Every problem with input data (a design file, a library file, an API argument) is an
InputError whose one-line message reads ``FILE: KEY: REASON``, e.g.
``cell.toml: layer[3].thickness: expected a length such as '30 um', got '30 kg'``.
The CLI prints that line and exits 2; the GUI shows it next to the field.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

# control characters, line and paragraph separators, format characters (bidi overrides),
# and the C1 controls such as NEL: anything that could break a line or drive a terminal
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e"
                          r"\u2066-\u2069\ufeff]")


def _escape(match: re.Match) -> str:
    c = match.group(0)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if c in named:
        return named[c]
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def _bounded(text, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def one_line(text: str) -> str:
    """`text` safe to print as one line: every control or separator character escaped
    (ESC as \\x1b, a newline as \\n, U+2028 as \\u2028)."""
    text = _UNPRINTABLE.sub(_escape, str(text))
    # any other character Unicode calls a control, format or separator (not the space)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
        text = "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
                       else c for c in text)
    return text


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
        parts = [_bounded(p, 300) for p in (self.file, self.key) if p]
        # one line, whatever names the input itself contains, and of a readable length
        return one_line(": ".join(parts + [_bounded(self.reason, 1000)]))


def closest(name: str, known, n: int = 3) -> list[str]:
    """The known names nearest to `name` (case-insensitive), best first."""
    known = [k for k in known if isinstance(k, str)]
    if not isinstance(name, str) or len(name) > 100:   # no near miss is that long
        return []
    by_lower = {k.lower(): k for k in known}
    hits = difflib.get_close_matches(name.lower(), list(by_lower), n=n, cutoff=0.5)
    return [by_lower[h] for h in hits]


def did_you_mean(name: str, known) -> str:
    hits = closest(name, known)
    return f" (did you mean {', '.join(repr(h) for h in hits)}?)" if hits else ""
