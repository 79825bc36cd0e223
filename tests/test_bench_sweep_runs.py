"""The study benchmark keeps working at a tiny size (its figures are printed, never
asserted: speed belongs to benchmarks, not tests)."""

import subprocess
import sys

from .conftest import ROOT


def test_bench_sweep_runs_at_a_tiny_size():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_sweep.py"),
                           "--n", "3000", "--chunk", "1000", "--skip-dask"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout
    for line in ("evaluated:", "evaluated + CSV:", "CSV writer alone:", "peak memory"):
        assert line in done.stdout, done.stdout
