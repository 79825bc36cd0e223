"""What the example designs say about themselves is what they compute.

Each example's description ends with an "Evaluated (library of ...)" paragraph; every
figure in it is written with a phrase that names the metric, and each is compared with
the evaluation of that file, to the precision printed. No other number may appear in that
paragraph, so a figure cannot slip in unchecked."""

import re
import tomllib

import pytest

from asslb_designer import evaluate, load_design, loads_design

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
NUMBER = r"(\d+(?:\.\d+)?)"
PHRASES = {   # regex -> how to read the figure from a result
    NUMBER + r" mAh/cm2 delivered": lambda r: r["areal_capacity"].m,
    NUMBER + r" ohm cm2 ASR": lambda r: r["asr_total"].m,
    NUMBER + r" Wh/kg per repeat unit": lambda r: r["specific_energy_stack"].m,
    NUMBER + r" Wh/L\s+per repeat unit": lambda r: r["energy_density_stack"].m,
    NUMBER + r" Wh/kg per cell": lambda r: r["specific_energy_cell"].m,
    NUMBER + r" Wh/L per cell": lambda r: r["energy_density_cell"].m,
    r"cell of " + NUMBER + r" g": lambda r: r["cell_mass"].m,
    NUMBER + r" g\s+of\s+stack-pressure hardware": lambda r: r["hardware_mass"].m,
    NUMBER + r" g of tabs": lambda r: r.extra["cell_mass_breakdown"]["tabs"],
    r"[Cc]ritical-current margin " + NUMBER: lambda r: r["ccd_margin"].m,
}


def evaluated_paragraph(path) -> str:
    description = tomllib.loads(path.read_text())["description"]
    found = re.search(r"Evaluated \(library of [\d-]+\):(.*?)(?:\n\n|\Z)", description, re.S)
    assert found, f"{path.name}: no 'Evaluated (library of ...)' paragraph"
    return " ".join(found.group(1).split())


def printed_precision(number: str) -> float:
    decimals = len(number.split(".")[1]) if "." in number else 0
    return 0.5 * 10 ** -decimals


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_figures_an_example_quotes_are_what_it_computes(path):
    paragraph = evaluated_paragraph(path)
    result = evaluate(load_design(path))
    checked = 0
    for pattern, read in PHRASES.items():
        for match in re.finditer(pattern, paragraph):
            printed = match.group(1)
            computed = float(read(result))
            tolerance = max(printed_precision(printed), 0.005 * abs(computed))
            assert abs(computed - float(printed)) <= tolerance, \
                f"{path.name}: says {match.group(0)!r}, computes {computed:.4g}"
            checked += 1
    assert checked >= 2, f"{path.name}: quote at least two figures"
    numbers = re.findall(r"(?<![A-Za-z\d.])\d+(?:\.\d+)?", paragraph)   # not cm2, MoS2
    assert len(numbers) == checked, f"{path.name}: a number in {paragraph!r} is not checked"


def test_the_anode_free_pouch_describes_itself_not_the_foil_cell():
    def text(name):
        return evaluated_paragraph(ROOT / "examples" / name)
    assert text("nmc811-lpscl-anodefree-pouch.toml") != text("nmc811-lpscl-li-pouch.toml")
    assert "without lithium foil" in (ROOT / "examples" /
                                      "nmc811-lpscl-anodefree-pouch.toml").read_text()


def test_the_li_s_example_uses_the_papers_sulfur_capacity():
    path = ROOT / "examples" / "li-mos2-li7p3s11-s.toml"
    r = evaluate(load_design(path))
    assert "675.8 mAh/g" in path.read_text()
    loading = r.layers[4]["loading"]                    # 1.5 mg/cm2 of sulfur
    # the sulfur's own capacity, 1.5 x 675.8 / 1000 = 1.0137 mAh/cm2 (the 50 um foil holds
    # 10.3 mAh/cm2, so lithium does not limit)
    assert r.layers[4]["areal_capacity"] == pytest.approx(loading * 675.8e-3)
    assert r["areal_capacity"].m == pytest.approx(1.5 * 0.6758)


def test_the_steel_frame_what_if_of_the_hbn_pouch():
    # "One frame per cell at 5 MPa in steel would weigh about 3 kg per 28 Wh cell"
    text = (ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml").read_text()
    assert "about 3 kg per 28 Wh" in text
    text = (text.replace('stack_pressure = "1 MPa"', 'stack_pressure = "5 MPa"')
            .replace('material = "Al-6061-T6"', 'material = "steel-304"')
            .replace("cells_per_frame = 10", "cells_per_frame = 1"))
    r = evaluate(loads_design(text, "what-if.toml"))
    assert r["hardware_mass"].m_as("kg") == pytest.approx(3.0, abs=0.05)
    assert r["cell_energy"].m_as("W*h") == pytest.approx(28.0, abs=0.5)


def test_a_shared_frame_is_described_as_an_allocated_share():
    from asslb_designer.metrics import BY_NAME
    assert "allocated share" in BY_NAME["cell_thickness"].description
    assert "cells_per_frame" in BY_NAME["cell_thickness"].description
