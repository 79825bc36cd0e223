"""ASSLB Designer: cell design and energy density of all-solid-state lithium batteries.

The engine (this package) is pure Python + numpy + pint and never imports Qt.

    from asslb_designer import load_design, evaluate
    result = evaluate(load_design("examples/nmc811-lpscl-li-pouch-hbn.toml"))
    result["specific_energy_stack"]        # a pint Quantity, W*h/kg
"""

from importlib import metadata as _metadata

try:  # the one place for the version is pyproject.toml; installs and bundles carry its metadata
    __version__ = _metadata.version("asslb-designer")
except _metadata.PackageNotFoundError:  # a source tree on sys.path, never installed
    __version__ = "0+unknown"

from .design import Design  # noqa: E402
from .design_file import load_design, loads_design, design_from_dict  # noqa: E402
from .errors import InputError  # noqa: E402
from .evaluation import evaluate  # noqa: E402
from .materials import Library, default_library, builtin_library  # noqa: E402
from .result import Result  # noqa: E402
from .units import ureg, Quantity  # noqa: E402

__all__ = ["Design", "load_design", "loads_design", "design_from_dict", "InputError",
           "evaluate", "Library", "default_library", "builtin_library", "Result", "ureg",
           "Quantity", "__version__"]
