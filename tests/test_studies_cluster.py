"""The same chunked study on a local Dask cluster of 2 worker processes writes exactly the
rows of a single-process run; an error in a worker arrives as the same one-line error."""

import os
import subprocess
import sys

import pytest

from .conftest import DATA

ENV = {**os.environ, "ASSLB_DESIGNER_USER_LIBRARY": str(DATA / "test_library.toml")}
STUDY = f"""
design = "{DATA / 'basic.toml'}"
metrics = ["asr_total", "specific_energy_stack", "voltage_loss"]
constraints = ["voltage_loss <= 250 mV"]
[sampling]
method = "lhs"
n = 30000
seed = 5
[[parameter]]
key = "separator.thickness"
distribution = "uniform"
low = "10 um"
high = "100 um"
[[parameter]]
key = "cathode.loading"
distribution = "log-uniform"
low = "5 mg/cm^2"
high = "40 mg/cm^2"
[[parameter]]
key = "cell.temperature"
distribution = "triangular"
low = "0 degC"
mode = "25 degC"
high = "80 degC"
"""


def run(*argv):
    return subprocess.run([sys.executable, "-m", "asslb_designer", *argv], env=ENV,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_a_local_dask_cluster_writes_the_single_process_rows(tmp_path):
    pytest.importorskip("distributed")
    study = tmp_path / "s.toml"
    study.write_text(STUDY)
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    done = run("study", str(study), "-o", str(one), "--chunk", "2000")
    assert done.returncode == 0, done.stderr
    done = run("study", str(study), "-o", str(two), "--chunk", "2000", "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert "local Dask cluster (2 workers)" in done.stderr
    a, b = one.read_text().splitlines(), two.read_text().splitlines()
    assert len(a) == 30001
    assert a == b                     # row for row, in order


@pytest.mark.slow
def test_an_error_on_a_worker_is_the_one_line_input_error(tmp_path):
    pytest.importorskip("distributed")
    # Li|SEP is not a pair of this stack: the evaluation on the worker refuses it, and its
    # InputError reaches the user whole
    out = tmp_path / "x.csv"
    done = run("sweep", str(DATA / "basic.toml"), "--vary",
               "interface[Li|SEP].asr=0 ohm*cm^2:1 ohm*cm^2:8",
               "--workers", "2", "--chunk", "2", "-o", str(out))
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip().splitlines()[-1]
    assert line == ("error: " + str(DATA / "basic.toml") + ": interface[Li|SEP].asr: not an "
                    "interface of this stack (its pairs: Li|IL, IL|SEP, SEP|CAM)"), done.stderr


@pytest.mark.slow
def test_an_existing_cluster_by_its_address(tmp_path):
    distributed = pytest.importorskip("distributed")
    study = tmp_path / "s.toml"
    study.write_text(STUDY.replace("n = 30000", "n = 6000"))
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert run("study", str(study), "-o", str(one), "--chunk", "1000").returncode == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        done = run("study", str(study), "-o", str(two), "--chunk", "1000",
                   "--scheduler", cluster.scheduler_address)
    assert done.returncode == 0, done.stderr
    assert f"the Dask cluster at {cluster.scheduler_address} (2 workers)" in done.stderr
    assert one.read_text() == two.read_text()


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path):
    # (slow: the client waits its 10 s timeout)
    pytest.importorskip("distributed")
    done = run("sweep", str(DATA / "basic.toml"), "--vary", "separator.thickness=10 um:20 um:2",
               "-o", str(tmp_path / "x.csv"), "--scheduler", "tcp://127.0.0.1:9")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Dask scheduler" in lines[0], done.stderr
