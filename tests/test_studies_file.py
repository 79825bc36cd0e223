"""Study files: the format of the README, one-line errors naming file and key, and the
same numbers bit for bit from the same seed."""

import textwrap

import numpy as np
import pytest

from asslb_designer.cli import main
from asslb_designer.errors import InputError
from asslb_designer.studies.study_file import load_study
from asslb_designer.studies.writers import read_table

from .conftest import DATA, ROOT

HEAD = f'design = "{DATA / "basic.toml"}"\n'


@pytest.fixture(autouse=True)
def test_library_env(monkeypatch):
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(DATA / "test_library.toml"))


def write(tmp_path, body, name="s.toml"):
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body))
    return path


SAMPLED = """
metrics = ["asr_total", "areal_capacity"]
constraints = ["asr_total <= 55 ohm*cm^2"]
[sampling]
method = "{method}"
n = 3000
seed = 11
[[parameter]]
key = "material.SEP.ionic_conductivity"
distribution = "log-uniform"
low = "1e-4 S/cm"
high = "1e-3 S/cm"
[[parameter]]
key = "cathode.loading"
distribution = "triangular"
low = "10 mg/cm^2"
mode = "20 mg/cm^2"
high = "25 mg/cm^2"
[[parameter]]
key = "cell.temperature"
distribution = "normal"
mean = "25 degC"
std = "5 degC"
low = "10 degC"
high = "40 degC"
[[parameter]]
key = "separator.thickness"
distribution = "uniform"
low = "20 um"
high = "40 um"
"""


@pytest.mark.parametrize("method", ["lhs", "random", "sobol"])
def test_the_same_seed_gives_the_same_file_bit_for_bit(tmp_path, method):
    if method == "sobol":
        pytest.importorskip("scipy")
    study = write(tmp_path, SAMPLED.format(method=method))
    outs = []
    for i, chunk in enumerate(["3000", "3000", "257"]):   # chunking never changes the rows
        out = tmp_path / f"{method}{i}.csv"
        assert main(["study", str(study), "-o", str(out), "--chunk", chunk]) == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    other = write(tmp_path, SAMPLED.format(method=method).replace("seed = 11", "seed = 12"),
                  "other.toml")
    assert main(["study", str(other), "-o", str(tmp_path / "o.csv")]) == 0
    assert (tmp_path / "o.csv").read_bytes() != outs[0]


def test_sampled_values_follow_their_distributions(tmp_path):
    study = write(tmp_path, SAMPLED.format(method="lhs"))
    out = tmp_path / "o.csv"
    assert main(["study", str(study), "-o", str(out)]) == 0
    t = read_table(out)
    sigma = t["material.SEP.ionic_conductivity [S/cm]"]
    # log-uniform on [1e-4, 1e-3]: log10 uniform on [-4, -3], one value in each of the 3000
    # strata of a Latin hypercube
    strata = np.floor((np.log10(sigma) + 4) * 3000)
    assert sorted(strata) == list(range(3000))
    L = t["cathode.loading [mg/cm**2]"]
    # triangular (10, 20, 25): mean (10 + 20 + 25) / 3 = 18.333
    assert L.min() >= 10 and L.max() <= 25 and L.mean() == pytest.approx(55 / 3, rel=2e-3)
    T = t["cell.temperature [K]"]
    # normal 298.15 K, 5 K, truncated to 283.15..313.15 K (+-3 sigma): variance factor
    # 1 - 2 x 3 phi(3) / (2 Phi(3) - 1) = 1 - 6 x 0.0044318 / 0.9973002 = 0.973337,
    # std factor sqrt(0.973337) = 0.98658
    assert T.min() >= 283.15 and T.max() <= 313.15
    assert T.mean() == pytest.approx(298.15, abs=0.05)
    assert T.std() == pytest.approx(5 * 0.98658, rel=1e-2)


def test_a_grid_study_is_the_full_factorial(tmp_path):
    study = write(tmp_path, """
        metrics = ["asr_total"]
        [[parameter]]
        key = "separator.thickness"
        start = "10 um"
        stop = "1000 um"
        count = 3
        scale = "log"
        [[parameter]]
        key = "interface[Li|IL].asr"
        start = "0 ohm*cm^2"
        stop = "20 ohm*cm^2"
        count = 2
        """)
    out = tmp_path / "g.csv"
    assert main(["study", str(study), "-o", str(out)]) == 0
    t = read_table(out)
    assert list(t["separator.thickness [um]"]) == [10, 10, 100, 100, 1000, 1000]
    # asr_total = 50 - 3 (SEP at 30 um) - 10 (Li|IL) + t/10 + asr(Li|IL)
    expected = 37 + t["separator.thickness [um]"] / 10 + t["interface[Li|IL].asr [ohm*cm**2]"]
    assert t["asr_total [ohm*cm**2]"] == pytest.approx(expected, rel=1e-12)


BAD = [
    ("[sampling]\nmethd = 'grid'\n", "sampling.methd", "did you mean 'method'"),
    ("[sampling]\nmethod = 'latin'\n", "sampling.method", "unknown method"),
    ("[sampling]\nmethod = 'lhs'\n[[parameter]]\nkey = 'separator.thickness'\n"
     "distribution = 'uniform'\nlow = '1 um'\nhigh = '2 um'\n", "sampling.n", "needs n"),
    ("[[parameter]]\nkey = 'separator.thickness'\nstart = '10 kg'\nstop = '20 um'\ncount = 3\n",
     "parameter[1].start", "expected a length"),
    ("[[parameter]]\nkey = 'separator.thicknes'\nstart = '10 um'\nstop = '20 um'\ncount = 3\n",
     "parameter[1].key", "did you mean"),
    ("[[parameter]]\nkey = 'separator.thickness'\nstart = '10 um'\nstop = '20 um'\n",
     "parameter[1].count", "start, stop and count"),
    ("[[parameter]]\nkey = 'separator.thickness'\nstart = '10 um'\nstop = '20 um'\ncount = 0\n",
     "parameter[1].count", ">= 1"),
    ("[[parameter]]\nkey = 'separator.thickness'\ndistribution = 'uniform'\nlow = '1 um'\n"
     "high = '2 um'\n", "parameter[1].distribution", "grid study"),
    ("[sampling]\nmethod = 'random'\nn = 10\n[[parameter]]\nkey = 'separator.thickness'\n"
     "distribution = 'uniform'\nlow = '3 um'\nhigh = '2 um'\n", "parameter[1]", "low must be below"),
    ("[sampling]\nmethod = 'random'\nn = 10\n[[parameter]]\nkey = 'material.SEP.density'\n"
     "distribution = 'library'\n", "parameter[1]", "no spread"),
    ("metrics = ['specific_energy_cel']\n[[parameter]]\nkey = 'separator.thickness'\n"
     "start = '10 um'\nstop = '20 um'\ncount = 3\n", "metrics", "did you mean"),
    ("constraints = ['asr_total <= 5 V']\n[[parameter]]\nkey = 'separator.thickness'\n"
     "start = '10 um'\nstop = '20 um'\ncount = 3\n", "constraints[1]", "asr_total"),
    ("colour = 'red'\n", "colour", "unknown key"),
    ("[sensitivity]\nkeys = ['separator.thicknes']\n", "sensitivity.keys[1]", "did you mean"),
    ("[sensitivity]\nkeys = ['cathode.loading', 'layer[5].loading']\n", "sensitivity.keys[2]",
     "named twice"),
    ("[sensitivity]\nkeys = 'everything'\n", "sensitivity.keys", "\"all\" or a list"),
    ("[sensitivity]\nstep = 0\n", "sensitivity.step", "above 0 and at most 1"),
    ("[sensitivity]\nstep = '1 %'\n", "sensitivity.step", "got '1 %'"),
    ("[sensitivity]\nsetp = 0.01\n", "sensitivity.setp", "did you mean 'step'"),
    ("[sensitivity]\nsobol = { n = 1 }\n", "sensitivity.sobol.n", ">= 2"),
    ("[sensitivity]\nsobol = { top = 6, sed = 1 }\n", "sensitivity.sobol.sed",
     "did you mean 'seed'"),
    ("[sensitivity]\nsobol = { range = 1.5 }\n", "sensitivity.sobol.range", "below 1"),
    ("[sensitivity]\n[[parameter]]\nkey = 'separator.thickness'\nstart = '10 um'\n"
     "stop = '20 um'\ncount = 3\n", "parameter", "takes no parameter"),
]


@pytest.mark.parametrize("body, key, reason", BAD)
def test_bad_study_files_are_one_line_errors_naming_file_and_key(tmp_path, capsys, body,
                                                                 key, reason):
    study = write(tmp_path, body)
    with pytest.raises(InputError) as err:
        load_study(study)
    assert err.value.file == str(study) and err.value.key == key, str(err.value)
    assert reason in str(err.value)
    assert main(["study", str(study)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {study}: {key}: ")
    # `validate` checks a study file the same way, without running it
    assert main(["validate", str(study)]) == 2
    assert capsys.readouterr().err.strip().splitlines() == lines


def test_a_missing_design_file_is_named(tmp_path):
    study = tmp_path / "s.toml"
    study.write_text('design = "nowhere.toml"\n')
    with pytest.raises(InputError) as err:
        load_study(study)
    assert err.value.key == "design" and "nowhere.toml" in str(err.value)


def test_the_example_studies_load(monkeypatch):
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", "")
    for path in sorted((ROOT / "examples" / "studies").glob("*.toml")):
        study = load_study(path)
        assert study.plan.size > 0 and study.metrics


def test_a_grid_study_needs_an_output_or_a_summary(tmp_path, capsys):
    study = write(tmp_path, """
        [[parameter]]
        key = "separator.thickness"
        start = "10 um"
        stop = "20 um"
        count = 2
        """)
    assert main(["study", str(study)]) == 2
    assert "give -o FILE" in capsys.readouterr().err
    assert main(["study", str(study), "--summary"]) == 0
    assert "2 designs (grid" in capsys.readouterr().out


def test_a_study_file_that_is_not_toml_text(tmp_path):
    for data, reason in [(b"design = \n", "TOML"), (b"\xff\xfe d\x00", "UTF-16"),
                         (b"name = \"\xe9\"\n", "UTF-8")]:
        path = tmp_path / "s.toml"
        path.write_bytes(data)
        with pytest.raises(InputError) as err:
            load_study(path)
        assert err.value.file == str(path) and reason in str(err.value), str(err.value)


def test_a_sensitivity_study_prints_and_writes_the_ranked_elasticities(tmp_path, capsys):
    study = write(tmp_path, """
        metrics = ["areal_capacity", "asr_total"]
        [sensitivity]
        keys = ["cathode.loading", "separator.thickness", "material.SEP.ionic_conductivity"]
        step = 0.02
        top = 2
        """)
    assert main(["study", str(study), "-o", str(tmp_path / "el.csv")]) == 0
    out = capsys.readouterr().out
    import csv
    with open(tmp_path / "el.csv", newline="") as f:
        rows = {(r["metric"], r["key"]): r for r in csv.DictReader(f)}
    e = {k: float(r["elasticity [1]"]) for k, r in rows.items()}
    # areal capacity = L x 200 mAh/g: elasticity 1 in the loading, 0 in the separator
    assert e[("areal_capacity", "cathode.loading")] == pytest.approx(1.0, abs=1e-9)
    assert e[("areal_capacity", "separator.thickness")] == pytest.approx(0.0, abs=1e-12)
    # asr_total = 47 + 0.1 t = 50 ohm cm2 at t = 30 um: 0.1 x 30 / 50 = 0.06 in t, and
    # -3 / 50 = -0.06 in sigma (central differences of h = 0.02: error O(h^2) ~ 1e-5)
    assert e[("asr_total", "separator.thickness")] == pytest.approx(0.06, abs=1e-4)
    assert e[("asr_total", "material.SEP.ionic_conductivity")] == pytest.approx(-0.06, abs=1e-4)
    r = rows[("asr_total", "separator.thickness")]
    # the metric at t e^-h and t e^+h: 47 + 3 e^-+0.02
    assert float(r["metric at input x e^-h"]) == pytest.approx(47 + 3 * np.exp(-0.02))
    assert float(r["metric at input x e^+h"]) == pytest.approx(47 + 3 * np.exp(0.02))
    assert r["metric unit"] == "ohm*cm**2"
    assert "central differences of +-0.02" in out
    assert "areal_capacity = " in out and "asr_total = " in out
    # top = 2: two inputs printed per metric, largest first: the cathode loading (its
    # ionic term, 20 of the 50 ohm cm2, grows with its thickness ~ L: 20 / 50 = 0.4), then
    # the separator's thickness and conductivity (+-0.06, a tie)
    block = out.split("asr_total = ")[1].strip().splitlines()[1:]
    assert len(block) == 2 and block[0].split()[0] == "cathode.loading"
    assert block[1].split()[0] in ("separator.thickness", "material.SEP.ionic_conductivity")
    assert e[("asr_total", "cathode.loading")] == pytest.approx(0.4, rel=1e-3)


def test_a_sensitivity_study_gives_sobol_indices_of_its_top_inputs(tmp_path, capsys):
    pytest.importorskip("SALib")
    study = write(tmp_path, """
        metrics = ["areal_capacity"]
        [sensitivity]
        sobol = { top = 2, n = 256, seed = 4 }
        """)
    assert main(["study", str(study)]) == 0
    out = capsys.readouterr().out
    # 256 base samples x (2 inputs + 2) designs
    assert "global sensitivity (Sobol, SALib, N = 256: 1,024 designs)" in out
    assert main(["study", str(study)]) == 0
    assert capsys.readouterr().out == out       # the same seed, the same indices


def test_validate_checks_a_study_file_and_the_design_it_names(tmp_path, capsys):
    study = write(tmp_path, """
        name = "a grid"
        [[parameter]]
        key = "separator.thickness"
        start = "10 um"
        stop = "20 um"
        count = 3
        [[parameter]]
        key = "cathode.loading"
        start = "10 mg/cm^2"
        stop = "20 mg/cm^2"
        count = 4
        """)
    assert main(["validate", str(study)]) == 0
    out = capsys.readouterr().out
    # 3 x 4 = 12 designs, and nothing run: no output file, no rows
    assert out.startswith(f"{study}: ok (study 'a grid': grid of 12 designs over 2 parameter(s)")
    assert "basic" in out
    sens = write(tmp_path, '[sensitivity]\nkeys = ["cathode.loading"]\n', "sens.toml")
    assert main(["validate", str(sens)]) == 0
    assert "sensitivity of " in capsys.readouterr().out
    # a bad design behind a good study: the design's file and key are named
    bad = tmp_path / "bad.toml"
    bad.write_text((DATA / "basic.toml").read_text().replace('"30 um"', '"30 kg"'))
    study = tmp_path / "on-bad.toml"
    study.write_text(f'design = "bad.toml"\n[sensitivity]\n')
    assert main(["validate", str(study)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {bad}: layer[4].thickness: ") and "length" in err
    # a range the key does not allow is found without running the study
    study = write(tmp_path, """
        [[parameter]]
        key = "cathode.porosity"
        start = "0.5"
        stop = "1.0"
        count = 3
        """, "porous.toml")
    assert main(["validate", str(study)]) == 2
    assert "parameter[1]: cathode.porosity: its range reaches" in capsys.readouterr().err


def test_a_sampled_study_prints_the_monte_carlo_summary(tmp_path, capsys):
    # sigma_SEP log-uniform on [1e-4, 1e-3] S/cm: asr_total = 47 + 30 / 10^(1 - q) at its
    # q-quantile (tests/test_studies_montecarlo.py): P50 = 47 + 30 / 10^0.5 = 56.49;
    # P(asr_total <= 53) = P(sigma >= 5e-4) = 1 - log10(5) = 0.301
    study = write(tmp_path, """
        metrics = ["asr_total"]
        constraints = ["asr_total <= 53 ohm*cm^2"]
        [sampling]
        method = "lhs"
        n = 20000
        seed = 2
        [[parameter]]
        key = "material.SEP.ionic_conductivity"
        distribution = "log-uniform"
        low = "1e-4 S/cm"
        high = "1e-3 S/cm"
        """)
    assert main(["study", str(study)]) == 0
    out = capsys.readouterr().out
    assert "20,000 designs (lhs, seed 2); varied:" in out
    row = next(line for line in out.splitlines() if line.startswith("asr_total"))
    p5, p50, p95 = (float(v) for v in row.split()[2:5])
    assert (p5, p50, p95) == pytest.approx((50.37, 56.49, 73.74), abs=0.01)
    assert "P(asr_total <= 53 ohm*cm^2) = 0.301" in out


def test_a_study_with_three_objectives_prints_and_writes_their_front(tmp_path, capsys):
    study = write(tmp_path, """
        metrics = ["areal_capacity", "asr_total", "stack_thickness"]
        [sampling]
        method = "random"
        n = 400
        seed = 5
        [[parameter]]
        key = "cathode.loading"
        distribution = "uniform"
        low = "10 mg/cm^2"
        high = "30 mg/cm^2"
        [[parameter]]
        key = "separator.thickness"
        distribution = "uniform"
        low = "10 um"
        high = "50 um"
        [pareto]
        objectives = ["max areal_capacity", "min asr_total", "min stack_thickness"]
        """)
    front_csv, rows_csv = tmp_path / "front.csv", tmp_path / "rows.csv"
    assert main(["study", str(study), "--front", str(front_csv), "-o", str(rows_csv)]) == 0
    assert "Pareto front (max areal_capacity, min asr_total, min stack_thickness)" in \
        capsys.readouterr().out
    cols = ("areal_capacity [mA*h/cm**2]", "asr_total [ohm*cm**2]", "stack_thickness [um]")
    signs = np.array([1, -1, -1])     # every objective as one to maximise
    front = np.column_stack([read_table(front_csv)[c] for c in cols]) * signs
    every = np.column_stack([read_table(rows_csv)[c] for c in cols]) * signs

    def dominates(a, b):              # [i, j]: a[i] at least as good everywhere, better once
        return np.all(a[:, None] >= b[None], axis=2) & np.any(a[:, None] > b[None], axis=2)
    # no sample beats a front design, and every sample off the front is beaten by one
    assert not dominates(every, front).any()
    on = (every[:, None] == front[None]).all(axis=2).any(axis=1)
    assert dominates(front, every[~on]).any(axis=0).all()
    assert 5 < len(front) < 400
