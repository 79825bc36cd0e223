"""Optional extras stay optional: with scipy, SALib, pyarrow, dask and tqdm blocked from
import, the study engine and the CLI run, and the features that need one say which."""

import os
import subprocess
import sys
import textwrap

import pytest

from .conftest import DATA

EXTRAS = ["scipy", "SALib", "pyarrow", "dask", "distributed", "tqdm"]
ENV = {**os.environ, "ASSLB_DESIGNER_USER_LIBRARY": str(DATA / "test_library.toml")}
BASIC = str(DATA / "basic.toml")


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """A launcher that blocks the extras (sys.modules[name] = None makes `import name`
    fail), then runs the CLI; it exits non-zero if any extra got imported anyway."""
    path = tmp_path_factory.mktemp("noextras") / "run.py"
    path.write_text(textwrap.dedent(f"""
        import sys
        for name in {EXTRAS!r}:
            sys.modules[name] = None
        from asslb_designer.cli import main
        status = main(sys.argv[1:])
        loaded = [m for m in sys.modules if m.split(".")[0] in {EXTRAS!r}
                  and sys.modules[m] is not None]
        if loaded:
            print("extras loaded: " + ", ".join(loaded), file=sys.stderr)
            sys.exit(99)
        sys.exit(status)
        """))

    def run(*argv, cwd=None):
        return subprocess.run([sys.executable, str(path), *argv], env=ENV, cwd=cwd,
                              capture_output=True, text=True, timeout=120)
    return run


def test_sweep_to_csv_works_without_extras(cli, tmp_path):
    out = tmp_path / "s.csv"
    done = cli("sweep", BASIC, "--vary", "separator.thickness=10 um:100 um:4",
               "--vary", "cathode.loading=10 mg/cm^2:30 mg/cm^2:3", "--metrics", "asr_total",
               "--progress", "-o", str(out))
    assert done.returncode == 0, done.stderr
    # without tqdm, the progress bar is a line of its own on stderr
    assert "12 / 12 designs (100 %)" in done.stderr
    lines = out.read_text().splitlines()
    assert lines[0] == "separator.thickness [um],cathode.loading [mg/cm**2],asr_total [ohm*cm**2]"
    assert len(lines) == 13
    # the csv module writes repr floats: asr_total = 27 + 10/10 + 10 = 38 ohm cm2
    assert lines[1].split(",")[2] == "38.0"


def test_mc_sensitivity_solve_and_a_process_pool_work_without_extras(cli, tmp_path):
    done = cli("mc", BASIC, "--dist", "material.SEP.ionic_conductivity=normal:1e-3 S/cm:"
               "1e-4 S/cm", "--n", "500", "--metrics", "asr_total", "--json")
    assert done.returncode == 0, done.stderr
    done = cli("sensitivity", BASIC, "--metrics", "areal_capacity")
    assert done.returncode == 0, done.stderr
    done = cli("solve", BASIC, "--vary", "separator.thickness=1 um:500 um",
               "--target", "asr_total=60 ohm*cm^2")
    assert done.returncode == 0 and "= 130 um" in done.stdout and "bisection" in done.stdout, \
        done.stdout + done.stderr
    out = tmp_path / "w.csv"
    done = cli("sweep", BASIC, "--vary", "separator.thickness=10 um:100 um:40", "--workers", "2",
               "--chunk", "7", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "2 local processes" in done.stderr
    assert len(out.read_text().splitlines()) == 41


@pytest.mark.parametrize("argv, needs", [
    (["sweep", BASIC, "--vary", "separator.thickness=10 um:100 um:4", "-o", "x.parquet"],
     "Parquet output needs pyarrow"),
    (["mc", BASIC, "--dist", "material.SEP.ionic_conductivity=uniform:1e-4 S/cm:1e-3 S/cm",
      "--sampling", "sobol", "--n", "8"], "Sobol sequence needs scipy"),
    (["sensitivity", BASIC, "--sobol", "64"], "needs SALib"),
    (["sweep", BASIC, "--vary", "separator.thickness=10 um:100 um:4", "-o", "x.csv",
      "--scheduler", "tcp://127.0.0.1:8786"], "needs dask[distributed]"),
    (["solve", BASIC, "--vary", "separator.thickness=1 um:500 um", "--target",
      "asr_total=60 ohm*cm^2", "--method", "brentq"], "needs scipy"),
])
def test_features_that_need_an_extra_say_which(cli, tmp_path, argv, needs):
    done = cli(*argv, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and needs in lines[0] and "asslb-designer[studies]" in lines[0], \
        done.stderr


def test_a_sensitivity_study_asking_for_sobol_names_the_extra(cli, tmp_path):
    study = tmp_path / "s.toml"
    study.write_text(f'design = "{BASIC}"\n[sensitivity]\nsobol = {{ n = 64 }}\n')
    done = cli("study", str(study))
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip() == (
        f"error: {study}: sensitivity.sobol: global (Sobol) sensitivity needs SALib (pip "
        "install 'asslb-designer[studies]'); the local elasticities need nothing")
    # without Sobol the same study runs: the elasticities need no extra
    study.write_text(f'design = "{BASIC}"\nmetrics = ["areal_capacity"]\n[sensitivity]\n')
    done = cli("study", str(study))
    assert done.returncode == 0 and "areal_capacity = " in done.stdout, done.stderr
