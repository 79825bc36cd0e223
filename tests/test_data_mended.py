"""Library values mended with sources: MXene films conduct like metals, each preferred
conductivity is paired with an activation energy of the same sample (or says ESTIMATE),
garnet, NASICON and halide electrolytes extrapolate in temperature, LiPON's conductivity
comes from the paper that reports it, and estimates say ESTIMATE in a result's sources."""

import pytest

from asslb_designer import evaluate, load_design
from asslb_designer.materials import builtin_library

from .conftest import ROOT


@pytest.fixture(scope="module")
def lib():
    return builtin_library()


def test_mxene_films_conduct_thousands_of_siemens_per_cm(lib):
    mxene = lib.get("MXene")
    assert mxene.get("electronic_conductivity") >= 1e3            # S/cm, not 9.1
    assert any(v.value == pytest.approx(9.1) and not v.preferred
               for v in mxene.values("electronic_conductivity"))


def test_every_preferred_conductivity_is_paired_with_its_own_samples_activation_energy(lib):
    for m in lib:
        sigma, ea = m.value("ionic_conductivity"), m.value("activation_energy")
        if sigma is None or ea is None:
            continue
        assert set(sigma.source) & set(ea.source) or "ESTIMATE" in ea.source, m.id


def test_li7p3s11_pairs_seino_with_seino(lib):
    m = lib.get("Li7P3S11")
    assert m.value("ionic_conductivity").source == ("Seino2014",)
    # 17 kJ/mol / 96.485 kJ/mol per eV = 0.1762 eV
    assert m.get("activation_energy") == pytest.approx(17 / 96.485, rel=1e-3)


@pytest.mark.parametrize("mid", ["LLZTO", "LATP", "Li3InCl6"])
def test_oxide_and_halide_electrolytes_have_an_activation_energy(lib, mid):
    ea = lib.get(mid).value("activation_energy")
    assert ea is not None and 0.2 < ea.value < 0.6 and "ESTIMATE" in ea.source


def test_lipon_conductivity_is_the_one_its_source_reports(lib):
    values = {v.source[0]: v.value for v in lib.get("LiPON").values("ionic_conductivity")}
    assert values["Bates1993"] == pytest.approx(2e-6)     # the abstract's 2 x 10^-6 S/cm


def test_no_estimate_is_labelled_as_a_calculation(lib):
    for m in lib:
        for prop, values in m.properties.items():
            for v in values:
                text = f"{v.method or ''} {v.note or ''}".lower()
                if "estimate" in text.split("upper estimate")[0] and "ASSLB-calc" in v.source:
                    raise AssertionError(f"{m.id}.{prop}: an estimate cited as ASSLB-calc")


def test_a_result_lists_estimate_among_its_sources():
    # the thin-film example uses LixMnO2, whose average potential (2.8 V) is an estimate
    r = evaluate(load_design(ROOT / "examples" / "li-lipon-lixmno2.toml"))
    estimate = next(s for s in r.sources() if s["id"] == "ESTIMATE")
    assert estimate["citation"].startswith("ESTIMATE")
    assert "LixMnO2 average_potential" in estimate["used_for"]
    calc = next(s for s in r.sources() if s["id"] == "ASSLB-calc")
    assert "LixMnO2 average_potential" not in calc["used_for"]
