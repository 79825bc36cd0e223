"""Reading TOML input (design files, library files, the user library) without surprises.

Every way a file can fail to be TOML text is one `InputError` naming the file: unreadable,
a directory, not UTF-8 (Latin-1, UTF-16, binary), invalid TOML, nesting too deep for the
parser. A UTF-8 byte-order mark (as some Windows editors write) is read, not refused.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from .errors import InputError

_BOMS = {b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16", b"\xff\xfe\x00\x00": "UTF-32",
         b"\x00\x00\xfe\xff": "UTF-32"}


def read_text(path: str | Path) -> str:
    """The text of a UTF-8 file (a byte-order mark dropped); InputError if it is not one."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(str(path), None, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read: {exc.strerror or exc}") from None
    return decode(data, str(path))


def decode(data: bytes, file: str | None) -> str:
    for bom, name in sorted(_BOMS.items(), key=lambda kv: -len(kv[0])):
        if data.startswith(bom):
            raise InputError(file, None, f"the file is {name} text: save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(file, None, f"not UTF-8 text (byte {exc.start} is "
                                     f"0x{data[exc.start]:02x}): save the file as UTF-8")
    if "\x00" in text:
        raise InputError(file, None, "not a text file (it holds NUL bytes)")
    return text


def loads(text: str, file: str | None) -> dict:
    """Parse TOML text; InputError(file, None, ...) for anything the parser refuses."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(file, None, f"not valid TOML: {exc}") from None
    except RecursionError:
        raise InputError(file, None, "not valid TOML here: arrays or tables nested too "
                                     "deeply") from None


def load(path: str | Path) -> dict:
    """Read and parse a TOML file."""
    return loads(read_text(path), str(path))
