"""The benchmark script keeps working (its figures are printed, never asserted): it checks
its hand-fused baseline against the engine before timing, so this also guards that the
baseline still computes the engine's formulas."""

import subprocess
import sys

from .conftest import ROOT


def test_benchmark_script_runs_and_its_baseline_agrees():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_engine.py"),
                           "--n", "2000", "--repeat", "1"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "designs/s" in done.stdout and "engine/fused" in done.stdout
