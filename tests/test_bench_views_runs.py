"""benchmarks/bench_views.py keeps working (figures printed, never asserted)."""

import os
import subprocess
import sys

import pytest

from .conftest import ROOT

pytest.importorskip("PySide6")


def test_bench_views_runs():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_views.py")],
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    for view in ("CrossSection", "BreakdownView", "RagoneView", "MaterialsBrowser"):
        assert f"{view}" in done.stdout
    assert "100000 points" in done.stdout
