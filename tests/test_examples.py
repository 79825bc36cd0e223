"""Every example design evaluates, through the CLI as a user would run it; the README's
Python example runs; the launch command's design exists."""

import json
import os
import re
import subprocess
import sys

import pytest

from asslb_designer import cli, evaluate, load_design

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def test_there_are_enough_examples():
    names = {p.stem for p in EXAMPLES}
    assert len(names) >= 9
    assert {"nmc811-lpscl-li-pouch", "nmc811-lpscl-li-pouch-hbn", "nmc811-graphite-liquid"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_evaluates(path, capsys):
    assert cli.main(["evaluate", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["schema"] == "asslb-designer/result@1"
    metrics = result["metrics"]
    for name in ("areal_capacity", "specific_energy_stack", "energy_density_stack", "asr_total"):
        assert metrics[name]["value"] > 0, name
    # every basis is ordered as the masses it divides by: active > composite > stack
    assert metrics["specific_energy_active"]["value"] >= metrics["specific_energy_cathode"]["value"]
    assert metrics["specific_energy_cathode"]["value"] > metrics["specific_energy_electrochemical"]["value"]
    assert metrics["specific_energy_electrochemical"]["value"] >= metrics["specific_energy_stack"]["value"]
    if metrics["specific_energy_cell"] is not None:
        assert metrics["specific_energy_cell"]["value"] < metrics["specific_energy_stack"]["value"]
    assert result["sources"], "every evaluation cites its sources"
    assert cli.main(["evaluate", str(path)]) == 0    # the readable table too
    assert "Metrics" in capsys.readouterr().out


def test_h_bn_interlayer_example_differs_only_by_the_interlayer():
    plain = evaluate(load_design(ROOT / "examples" / "nmc811-lpscl-li-pouch.toml"))
    hbn = evaluate(load_design(ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"))
    # 500 nm of h-BN: the areal mass grows by its 0.05 um-cm x density, nothing else
    rho = hbn.layers[2]["areal_mass"] / 0.5 * 10          # g/cm3 from mg/cm2 and um
    assert 1.5 < rho < 2.5
    assert hbn["areal_mass"].m - plain["areal_mass"].m == pytest.approx(hbn.layers[2]["areal_mass"])
    assert hbn["areal_capacity"].m == pytest.approx(plain["areal_capacity"].m)


def test_liquid_baseline_is_a_plausible_li_ion_cell():
    r = evaluate(load_design(ROOT / "examples" / "nmc811-graphite-liquid.toml"))
    # a 4 mAh/cm2 NMC811 | graphite pouch lands where commercial cells are
    assert 200 < r["specific_energy_cell"].m_as("W*h/kg") < 300
    assert 500 < r["energy_density_cell"].m_as("W*h/l") < 800


def test_the_launch_command_without_a_display(tmp_path):
    """./dev.sh launch on a machine without a display: one line saying so, a screenshot
    of the window, and the example's evaluation, exit 0."""
    script = (ROOT / "dev.sh").read_text()
    launched = re.search(r"example=(examples/\S+\.toml)", script).group(1)
    assert (ROOT / launched).is_file()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    shot = ROOT / "build" / "launch-window.png"
    shot.unlink(missing_ok=True)
    done = subprocess.run(["bash", str(ROOT / "dev.sh"), "launch"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if "no display" in line]
    assert len(said) == 1 and str(shot) in said[0]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Specific energy, repeat unit" in done.stdout


def test_readme_python_example_runs(tmp_path):
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## Python API\s+```python\n(.*?)```", readme, re.S).group(1)
    (tmp_path / "examples").symlink_to(ROOT / "examples")   # the example's relative paths
    done = subprocess.run([sys.executable, "-c", block], cwd=tmp_path, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert "W * h / kg" in done.stdout or "h * W / kg" in done.stdout
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["schema"] == "asslb-designer/result@1"
    assert len((tmp_path / "sweep.csv").read_text().splitlines()) == 11   # header + 10 designs


def test_readme_documents_every_metric_and_design_key():
    from asslb_designer.design import CELL_NUMBERS, CELL_TEXT, HARDWARE_NUMBERS, PACKAGING_NUMBERS
    from asslb_designer.metrics import METRICS
    readme = (ROOT / "README.md").read_text()
    for m in METRICS:
        assert f"`{m.name}`" in readme, m.name
    for key in list(CELL_NUMBERS) + list(CELL_TEXT) + list(PACKAGING_NUMBERS) + list(HARDWARE_NUMBERS):
        assert re.search(rf"\b{key}\b", readme), key


def test_version_and_module_entry_point():
    done = subprocess.run([sys.executable, "-m", "asslb_designer", "--version"],
                          capture_output=True, text=True)
    from asslb_designer import __version__
    assert done.returncode == 0 and done.stdout.strip() == f"asslb-designer {__version__}"


def test_stack_pressure_hardware_dominates_the_stack_to_cell_gap_as_the_example_says():
    r = evaluate(load_design(ROOT / "examples" / "nmc811-lpscl-li-pouch.toml"))
    parts = {k: float(v) for k, v in r.extra["cell_mass_breakdown"].items()}
    inactive = {k: v for k, v in parts.items() if not k.startswith(("cathode", "anode"))}
    assert max(inactive, key=inactive.get) == "stack-pressure hardware"
    assert 0.25 < parts["stack-pressure hardware"] / float(r.metrics["cell_mass"]) < 0.35
    assert 360 < r["specific_energy_stack"].m < 385 and 210 < r["specific_energy_cell"].m < 230
