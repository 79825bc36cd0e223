"""Grid sweeps streamed to a file: the rows against hand arithmetic and point-by-point
evaluation, the header, Parquet, and Ctrl-C leaving a valid file.

tests/data/basic.toml with the test library: asr_total = 10 (IL) + 17 (interfaces)
+ t_sep/10 (SEP, t in um, 1e-3 S/cm) + L (the cathode term, 20 ohm cm2 at 20 mg/cm2 and
proportional to its thickness, so to the loading L in mg/cm2) = 27 + t/10 + L ohm cm2;
areal capacity = L x 200 mAh/g = 0.2 L mAh/cm2; at 1C the loss is 0.2 L x asr_total mV.
"""

import csv
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from asslb_designer import Quantity, evaluate, load_design
from asslb_designer.cli import main
from asslb_designer.studies.writers import read_table

from .conftest import DATA

BASIC = DATA / "basic.toml"
ENV = {**os.environ, "ASSLB_DESIGNER_USER_LIBRARY": str(DATA / "test_library.toml")}


@pytest.fixture(autouse=True)
def test_library_env(monkeypatch):
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(DATA / "test_library.toml"))


def sweep(tmp_path, *extra, name="out.csv"):
    out = tmp_path / name
    status = main(["sweep", str(BASIC), "--vary", "separator.thickness=10 um:100 um:4",
                   "--vary", "cathode.loading=10 mg/cm^2:30 mg/cm^2:3", *extra, "-o", str(out)])
    return status, out


def test_a_2d_grid_matches_hand_arithmetic(tmp_path):
    status, out = sweep(tmp_path, "--metrics", "asr_total", "areal_capacity", "voltage_loss")
    assert status == 0
    with open(out) as f:
        header = next(csv.reader(f))
    assert header == ["separator.thickness [um]", "cathode.loading [mg/cm**2]",
                      "asr_total [ohm*cm**2]", "areal_capacity [mA*h/cm**2]",
                      "voltage_loss [V]"]
    t = read_table(out)
    # the first key varies slowest: 10, 10, 10, 40, 40, 40, ...
    assert list(t["separator.thickness [um]"]) == [10, 10, 10, 40, 40, 40, 70, 70, 70,
                                                   100, 100, 100]
    assert list(t["cathode.loading [mg/cm**2]"]) == [10, 20, 30] * 4
    sep, L = t["separator.thickness [um]"], t["cathode.loading [mg/cm**2]"]
    assert t["asr_total [ohm*cm**2]"] == pytest.approx(27 + sep / 10 + L, rel=1e-12)
    assert t["areal_capacity [mA*h/cm**2]"] == pytest.approx(0.2 * L, rel=1e-12)
    assert t["voltage_loss [V]"] == pytest.approx(0.2 * L * (27 + sep / 10 + L) * 1e-3,
                                                  rel=1e-12)


def test_a_2d_grid_matches_point_by_point_evaluation(tmp_path, lib):
    status, out = sweep(tmp_path)
    assert status == 0
    t = read_table(out)
    design = load_design(BASIC)
    rows = len(t["separator.thickness [um]"])
    assert rows == 12
    for i in range(rows):
        one = evaluate(design.with_values({
            "layer[4].thickness": Quantity(t["separator.thickness [um]"][i], "um"),
            "layer[5].loading": Quantity(t["cathode.loading [mg/cm**2]"][i], "mg/cm^2")}), lib)
        for column, values in t.items():
            name = column.split(" [")[0]
            if name in one.metrics:
                assert values[i] == pytest.approx(float(one.metrics[name]), rel=1e-12), column


def test_a_log_grid_and_constraints(tmp_path):
    status, out = sweep(tmp_path, "--log", "separator.thickness", "--metrics", "asr_total",
                        "--constraint", "asr_total <= 44 ohm*cm^2")
    assert status == 0
    t = read_table(out)
    # 10, 21.54, 46.42, 100 um: geometric steps of 10^(1/3)
    assert sorted(set(t["separator.thickness [um]"])) == pytest.approx(
        [10, 10 ** (4 / 3), 10 ** (5 / 3), 100])
    ok = 27 + t["separator.thickness [um]"] / 10 + t["cathode.loading [mg/cm**2]"] <= 44
    assert list(t["meets_constraints"]) == list(ok.astype(float))
    assert 0 < ok.sum() < 12


def test_parquet_holds_the_same_rows(tmp_path):
    pytest.importorskip("pyarrow")
    _, csv_out = sweep(tmp_path)
    _, pq_out = sweep(tmp_path, name="out.parquet")
    a, b = read_table(csv_out), read_table(pq_out)
    assert list(a) == list(b)
    for c in a:
        assert np.array_equal(a[c], b[c])


def test_bad_vary_specs_are_one_line_errors(tmp_path, capsys):
    cases = [("separator.thickness=10 kg:100 um:4", "expected a length"),
             ("separator.thickness=10 um:100 um", "KEY=START:STOP:N"),
             ("separator.thicknes=10 um:100 um:4", "did you mean"),
             ("separator.thickness=10 um:100 um:x", "whole number")]
    for spec, reason in cases:
        status = main(["sweep", str(BASIC), "--vary", spec, "-o", str(tmp_path / "x.csv")])
        err = capsys.readouterr().err
        assert status == 2 and reason in err and err.count("\n") == 1, err
    status = main(["sweep", str(BASIC), "--vary", "separator.thickness=10 um:100 um:3",
                   "-o", str(tmp_path / "x.txt")])
    assert status == 2 and ".csv or a .parquet" in capsys.readouterr().err
    status = main(["sweep", str(BASIC), "--vary", "separator.thickness=10 um:100 um:3",
                   "--metrics", "specific_energy_cell", "-o", str(tmp_path / "x.csv")])
    assert status == 2 and "unit_cells" in capsys.readouterr().err


def test_ctrl_c_leaves_a_valid_file_of_the_rows_done(tmp_path):
    out = tmp_path / "big.csv"
    # 10^7 designs: far more than can finish before the signal arrives
    proc = subprocess.Popen(
        [sys.executable, "-m", "asslb_designer", "sweep", str(BASIC),
         "--vary", "separator.thickness=10 um:100 um:1000",
         "--vary", "cathode.loading=10 mg/cm^2:30 mg/cm^2:10000",
         "--metrics", "asr_total", "--chunk", "5000", "--no-progress", "-o", str(out)],
        env=ENV, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        if out.exists() and out.stat().st_size > 200_000:   # a few chunks written
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert header == ["separator.thickness [um]", "cathode.loading [mg/cm**2]",
                      "asr_total [ohm*cm**2]"]
    assert 0 < len(body) < 10 ** 7 and len(body) % 5000 == 0   # whole chunks only
    assert all(len(r) == 3 for r in body)
    values = np.array(body, dtype=float)
    # every row done is right: asr_total = 27 + t/10 + L
    assert values[:, 2] == pytest.approx(27 + values[:, 0] / 10 + values[:, 1], rel=1e-12)
    assert f"{len(body):,} of 10,000,000" in err


def test_a_varied_mass_fraction_rescales_the_others(tmp_path):
    # active 0.7, 0.8, 0.9 at 20 mg/cm2: the composite weighs 20 / w mg/cm2, the other
    # parts keep their proportions (still summing to 1), and the energy per composite mass
    # scales with w: 0.7/0.8 and 0.9/0.8 of the designed value
    out = tmp_path / "w.csv"
    assert main(["sweep", str(BASIC), "--vary", "cathode.fractions.active=0.7:0.9:3",
                 "--metrics", "specific_energy_cathode", "-o", str(out)]) == 0
    e = read_table(out)["specific_energy_cathode [W*h/kg]"]
    assert e / e[1] == pytest.approx([0.7 / 0.8, 1.0, 0.9 / 0.8], rel=1e-12)


def test_a_progress_bar_when_asked(tmp_path, capsys):
    pytest.importorskip("tqdm")
    status, _ = sweep(tmp_path, "--progress")
    assert status == 0
    err = capsys.readouterr().err
    assert "100%" in err and "designs/s" in err     # tqdm's bar


def test_a_range_leaving_the_allowed_values_is_refused_before_any_row(tmp_path, capsys):
    out = tmp_path / "p.csv"
    status = main(["sweep", str(BASIC), "--vary", "cathode.porosity=0.5:1.2:8", "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1
    assert "cathode.porosity: its range reaches 0.5 to 1.2, but must be below 1" in err
    assert not out.exists()


def test_memory_stays_flat_whatever_the_number_of_designs(tmp_path):
    # the run holds a few chunks (the one evaluated, two queued for the writer thread and
    # the one written), never the study: 4x the designs at the same chunk size must not
    # need more memory (numpy reports its buffers to tracemalloc)
    import tracemalloc
    peaks = []
    for n in (2, 50, 200):               # a warm-up (imports, caches), then 50 x 1000 and
        tracemalloc.start()              # 200 x 1000 designs
        status = main(["sweep", str(BASIC), "--vary", f"separator.thickness=10 um:100 um:{n}",
                       "--vary", "cathode.loading=10 mg/cm^2:30 mg/cm^2:1000",
                       "--metrics", "asr_total", "--chunk", "5000", "--no-progress",
                       "-o", str(tmp_path / f"{n}.csv")])
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert status == 0
    assert len((tmp_path / "200.csv").read_text().splitlines()) == 200_001
    # the output of 200,000 rows x 3 floats alone would be 4.8 MB in memory, that of
    # 50,000 rows 1.2 MB: a run holding its rows would need 3.6 MB more for the larger
    assert peaks[2] < 1.3 * peaks[1] + 500_000, peaks
