"""Pareto fronts: every front point non-dominated, every dominated sample excluded
(checked against a brute-force comparison of all pairs), the current design marked."""

import numpy as np
import pytest

from asslb_designer.cli import main
from asslb_designer.studies.pareto import non_dominated
from asslb_designer.studies.writers import read_table

from .conftest import DATA


def brute_force_dominated(x):
    """Row i is dominated if some row j is >= in every column and > in one."""
    ge = np.all(x[None, :, :] >= x[:, None, :], axis=2)   # [i, j]: j >= i everywhere
    gt = np.any(x[None, :, :] > x[:, None, :], axis=2)
    return np.any(ge & gt, axis=1)


@pytest.mark.parametrize("k", [2, 3])
def test_front_is_exactly_the_non_dominated_set(k):
    rng = np.random.default_rng(k)
    x = rng.normal(size=(600, k))
    x[:50] = np.round(x[:50], 1)          # ties and duplicates
    x[50:55] = x[0]
    mask = non_dominated(x)
    assert np.array_equal(mask, ~brute_force_dominated(x))
    assert 0 < mask.sum() < 600


def test_a_hand_made_front():
    # (1, 5), (3, 3), (5, 1) trade off; (2, 2) is dominated by (3, 3); (5, 1) twice: both kept
    x = np.array([[1, 5], [3, 3], [2, 2], [5, 1], [5, 1], [0, 0]], dtype=float)
    assert list(non_dominated(x)) == [True, True, False, True, True, False]


def test_nan_rows_are_never_on_the_front():
    x = np.array([[np.nan, 10.0], [1.0, 1.0]])
    assert list(non_dominated(x)) == [False, True]


def test_pareto_command_on_the_basic_cell(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(DATA / "test_library.toml"))
    out = tmp_path / "front.csv"
    # more loading: more Wh/kg but more loss (0.2 L (27 + t/10 + L) mV); a thinner
    # separator improves both, so the front keeps the thinnest separators
    assert main(["pareto", str(DATA / "basic.toml"),
                 "--vary", "cathode.loading=5 mg/cm^2:40 mg/cm^2",
                 "--vary", "separator.thickness=10 um:100 um",
                 "--objectives", "max specific_energy_stack", "min voltage_loss",
                 "--constraint", "voltage_loss <= 300 mV", "--n", "2000", "--seed", "4",
                 "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "current design" in text and "dominated by" in text   # 30 um is not the best
    front = read_table(out)
    e, dv = front["specific_energy_stack [W*h/kg]"], front["voltage_loss [V]"]
    assert np.all(dv <= 0.3)
    assert not np.any(brute_force_dominated(np.column_stack([e, -dv])))
    assert front["separator.thickness [um]"].max() < 20   # near the 10 um edge
