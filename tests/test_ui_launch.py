"""The README's first command, `./dev.sh launch`, on a machine without a display: one
line says so, a screenshot of the window is written, and the example's evaluation is
printed (run for real, with DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM unset)."""

import os
import subprocess
import sys
import time

import pytest

pytest.importorskip("PySide6")

from asslb_designer import evaluate, load_design  # noqa: E402

from .conftest import ROOT  # noqa: E402

EXAMPLE = ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"
SHOT = ROOT / "build" / "launch-window.png"


@pytest.mark.slow        # a few seconds: a window rendered in a fresh process, then the CLI
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the no-display path is Linux's")
@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "asslb-designer").exists(),
                    reason="dev.sh launch uses the checkout's .venv (made by ./dev.sh test)")
def test_dev_sh_launch_without_a_display():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    started = time.time()
    done = subprocess.run(["bash", str(ROOT / "dev.sh"), "launch"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr               # one line, and nothing from Qt
    assert "no display" in lines[0] and str(SHOT) in lines[0]
    # the screenshot: written now, the window's size
    assert SHOT.stat().st_mtime >= started - 1
    from PySide6.QtGui import QImage
    image = QImage(str(SHOT))
    assert (image.width(), image.height()) == (1280, 800)
    # the evaluation, as `asslb-designer evaluate` prints it, with the engine's numbers
    expected = subprocess.run([sys.executable, "-m", "asslb_designer", "evaluate",
                               "examples/nmc811-lpscl-li-pouch-hbn.toml"],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout == expected.stdout
    result = evaluate(load_design(EXAMPLE))
    assert f"{result.metrics['specific_energy_stack']:.4g}  Wh/kg" in done.stdout   # 372.2
    assert f"{result.metrics['areal_capacity']:.4g}  mAh/cm2" in done.stdout        # 3.654
