import os

# Qt must never look for a display in tests; without this Qt aborts the whole pytest process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never read the developer's own materials library.
os.environ["ASSLB_DESIGNER_USER_LIBRARY"] = ""

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def lib():
    """A small library of round-number materials, so tests can do the arithmetic by hand."""
    from asslb_designer.materials import load_files
    return load_files([DATA / "test_library.toml"])
