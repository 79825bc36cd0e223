"""The one executable of the installed app (PyInstaller's entry script).

    asslb-designer                      the desktop app
    asslb-designer DESIGN.toml          the desktop app with that design open
    asslb-designer evaluate DESIGN ...  any command of the CLI (see `asslb-designer --help`)
    asslb-designer --version
    asslb-designer --smoke [OUT.png]    self-test: opens the main window offscreen with the
                                        example design, evaluates it, writes a screenshot

It also runs from a source checkout (`.venv/bin/python packaging/launcher.py ...`), which is
how the fast tests drive it without building the bundle. This file is a script, not a
module of a package: the folder is named `packaging` and must never shadow PyPI's
`packaging` on sys.path, so it holds no `__init__.py`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

EXAMPLE = "nmc811-lpscl-li-pouch-hbn.toml"
SHOWN = "window shown"      # the smoke run prints this line once the window is on screen


def bundle_root() -> Path:
    """Where the bundled data files are: the app folder when frozen, the checkout otherwise."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parent.parent


def examples_dir() -> Path:
    if getattr(sys, "frozen", False):
        return bundle_root() / "asslb_designer" / "examples"
    return bundle_root() / "examples"


def cli_commands() -> set[str]:
    import argparse
    from asslb_designer.cli import build_parser
    parser = build_parser()
    return {name for action in parser._actions if isinstance(action, argparse._SubParsersAction)
            for name in action.choices}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--smoke"]:
        return smoke(argv[1:])
    if argv and (argv[0].startswith("-") or argv[0] in cli_commands()):
        from asslb_designer.cli import main as cli_main
        return cli_main(argv)
    return gui(argv)


def gui(argv: list[str]) -> int:
    """The desktop app, with the design named on the command line (if any) open."""
    from asslb_designer.cli import main as cli_main
    return cli_main(["gui", *argv])


def smoke(argv: list[str]) -> int:
    """Open the main window offscreen with the example design, evaluate it, write a PNG.

    Prints the stack energy of the example, the line `window shown after X s` (seconds since
    this script started) and where the screenshot went. Exit 0 when all of it worked."""
    started = time.perf_counter()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    out = Path(argv[0]) if argv else Path.cwd() / "asslb-designer-smoke.png"
    design_path = examples_dir() / EXAMPLE

    from asslb_designer import evaluate, load_design
    from asslb_designer.materials import default_library
    result = evaluate(load_design(design_path), default_library())
    energy = result["specific_energy_stack"].m_as("W*h/kg")
    print(f"evaluated {design_path.name}: {energy:.1f} Wh/kg (stack)")

    from asslb_designer.ui import MainWindow
    from asslb_designer.ui.app import application
    app = application()
    window = MainWindow()
    window.resize(1280, 800)
    window.open_design(str(design_path), ask=False)
    window.show()
    app.processEvents()
    print(f"{SHOWN} after {time.perf_counter() - started:.2f} s: {type(window).__name__}",
          flush=True)
    for _ in range(3):
        app.processEvents()
    window.flush_views()                # the views update on a timer; draw them now
    app.processEvents()
    if not window.grab().save(str(out), "PNG"):
        print(f"error: could not write the screenshot {out}", file=sys.stderr)
        return 1
    print(f"screenshot: {out}")
    window.document.undo_stack.setClean()   # nothing to save: close without asking
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
