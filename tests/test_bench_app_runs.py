"""benchmarks/bench_app.py keeps working (figures printed, never asserted)."""

import os
import subprocess
import sys

import pytest

from .conftest import ROOT

pytest.importorskip("PySide6")


def test_bench_app_runs(app_dir):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_app.py"), "--quick",
                           "--profile", "Studies"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    assert "edit -> metrics (Stack tab)" in done.stdout
    assert "slowest tab" in done.stdout and "cold start" in done.stdout
    assert "cProfile of 5 edits with the Studies tab shown" in done.stdout
    assert "sweep of 1,000,000 points on the worker thread" in done.stdout
