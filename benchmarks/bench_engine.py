"""Engine speed: prints its figures; not a test (timings belong here, not in pytest).

    python benchmarks/bench_engine.py [--n 1000000] [--repeat 5] [--design FILE]

1. designs per second for one vectorized batch of N designs (goal: >= 1e6/s on one core);
2. milliseconds to load one design file and evaluate it, after import (goal: < 5 ms);
3. the batch time over that of a plain, hand-fused numpy expression of the same formulas
   for the same stack (goal: within 3x). The two are checked to give the same numbers.

The design must be a stacked Cu | Li foil | interlayer | separator | composite cathode | Al
cell with a pouch (the default example is). Five inputs vary across the batch: Li, interlayer
and separator thickness, cathode loading and temperature.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from asslb_designer import evaluate, load_design  # noqa: E402
from asslb_designer.evaluation import Context, packaging_values  # noqa: E402
from asslb_designer.materials import default_library  # noqa: E402
from asslb_designer.units import BOLTZMANN_EV_PER_K, Quantity  # noqa: E402

DEFAULT_DESIGN = ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"


def batch_inputs(n: int, rng) -> dict:
    return {
        "layer[2].thickness": rng.uniform(5, 50, n),        # Li, um
        "layer[3].thickness": rng.uniform(0.1, 5, n),       # interlayer, um
        "layer[4].thickness": rng.uniform(10, 100, n),      # separator, um
        "layer[5].loading": rng.uniform(5, 40, n),          # cathode active, mg/cm2
        "cell.temperature": rng.uniform(273.15, 353.15, n),  # K
    }


#: The unit of each batch input (with_values takes quantities, never bare dimensional floats).
UNITS = {"layer[2].thickness": "um", "layer[3].thickness": "um", "layer[4].thickness": "um",
         "layer[5].loading": "mg/cm^2", "cell.temperature": "K"}


def constants(design, library) -> dict:
    """Every fixed number of the stack, read through the engine's own lookups."""
    ctx = Context(design, design.library(library))
    L = design.layers
    get = lambda name, prop: ctx.prop(ctx.lib.get(name), prop, "bench")   # noqa: E731
    cat = L[4]
    c = {
        "cu_t": design.values["layer[1].thickness"], "al_t": design.values["layer[6].thickness"],
        "cu_rho": get(L[0].material, "density"), "al_rho": get(L[5].material, "density"),
        "li_rho": get("Li", "density"), "li_q": get("Li", "specific_capacity"),
        "il_rho": get(L[2].material, "density"), "sep_rho": get(L[3].material, "density"),
        "w": [design.values[f"layer[5].fractions.{p}"] for p in
              ("active", "electrolyte", "carbon", "binder")],
        "rho": [get(cat.active, "density"), get(cat.electrolyte, "density"),
                get(cat.carbon, "density"), get(cat.binder, "density")],
        "q": get(cat.active, "specific_capacity"), "v": get(cat.active, "average_potential"),
        "e": design.values["layer[5].porosity"],
        "b": design.value("cell.bruggeman_exponent"), "c_rate": design.value("cell.c_rate"),
        "loss": design.value("cell.formation_loss"),
    }
    for key, name in (("il", L[2].material), ("sep", L[3].material), ("se", cat.electrolyte)):
        m = ctx.lib.get(name)
        sigma = m.value("ionic_conductivity")   # None: no data, no bulk term
        c[f"{key}_sigma"] = sigma and sigma.value
        c[f"{key}_tref"] = sigma and sigma.temperature_K
        c[f"{key}_ea"] = m.get("activation_energy")
    labels = ["Li", L[2].material, L[3].material, cat.active]
    c["interfaces"] = []
    for a, b in zip(labels, labels[1:]):
        found = ctx.lib.interface(a, b)
        if found:
            v = found.preferred_asr()
            ea = found.activation_energy.value if found.activation_energy else None
            c["interfaces"].append((v.value, ea, v.temperature_K))
    c["area"] = design.values.get("cell.electrode_area") or \
        design.values["cell.electrode_width"] * design.values["cell.electrode_height"] * 1e-8
    c["n"] = design.values["cell.unit_cells"]
    c["extra"] = design.value("cell.extra_mass")
    c["pouch"] = packaging_values(ctx)
    c["hardware"] = None
    if design.hardware is not None:       # end plates: the engine's own sizing of one cell
        hw = ctx.lib.get(design.hardware.material)
        c["hardware"] = {"rho": hw.get("density"),
                         "allow": hw.get("yield_strength") / design.value("cell.hardware.safety_factor", 2.0),
                         "p": design.values["cell.hardware.stack_pressure"],
                         "margin": design.value("cell.hardware.plate_margin", 1e4) * 1e-4,
                         "share": design.value("cell.hardware.cells_per_frame", 1.0)}
    return c


def fused(x: dict, c: dict) -> dict:
    """The engine's formulas for this one stack, written out by hand in plain numpy."""
    t_li, t_il, t_sep = x["layer[2].thickness"], x["layer[3].thickness"], x["layer[4].thickness"]
    L, T = x["layer[5].loading"], x["cell.temperature"]
    k = BOLTZMANN_EV_PER_K
    vs = sum(w / r for w, r in zip(c["w"], c["rho"]))
    M = L / c["w"][0]
    t_cat = 10 * M * vs / (1 - c["e"])
    Q_pos = L * c["q"] * 1e-3
    Q_li = t_li * c["li_rho"] / 10 * c["li_q"] * 1e-3
    Q = Q_pos * (1 - c["loss"])
    E = Q * c["v"]
    plated = Q_pos / (c["li_q"] * c["li_rho"]) * 1e4   # the built capacity plates (default)
    m_ec = t_li * c["li_rho"] / 10 + t_il * c["il_rho"] / 10 + t_sep * c["sep_rho"] / 10 + M
    m_st = m_ec + 0.5 * (c["cu_t"] * c["cu_rho"] + c["al_t"] * c["al_rho"]) / 10
    t_ec = t_li + t_il + t_sep + t_cat + plated
    t_st = t_ec + 0.5 * (c["cu_t"] + c["al_t"])

    def sigma(key):
        if c[f"{key}_ea"] is None:
            return c[f"{key}_sigma"]
        return c[f"{key}_sigma"] * np.exp(-c[f"{key}_ea"] / k * (1 / T - 1 / c[f"{key}_tref"]))
    phi = 10 * M * c["w"][1] / c["rho"][1] / t_cat
    asr = t_sep * 1e-4 / sigma("sep") + t_cat * 1e-4 / (3 * sigma("se") * phi ** c["b"])
    if c["il_sigma"] is not None:
        asr = asr + t_il * 1e-4 / sigma("il")
    for value, ea, tref in c["interfaces"]:
        asr = asr + (value if ea is None else value * np.exp(ea / k * (1 / T - 1 / tref)))
    j = c["c_rate"] * Q
    dv = j * asr * 1e-3
    v_rate = np.maximum(c["v"] - dv, 0)
    p = c["pouch"]
    A, n = c["area"], c["n"]
    side = np.sqrt(A)
    ow, oh = side + 2 * p["sealing_margin"], side + 2 * p["sealing_margin"]
    tab = p["tab_length"] * p["tab_width"] * p["tab_thickness"]
    mass = (n * A * m_st * 1e-3 + c["extra"] + 2 * ow * oh * p["foil_thickness"] * p["foil_density"]
            + tab * (p["tab_density_positive"] + p["tab_density_negative"]))
    depth = n * t_st * 1e-4 + 2 * p["foil_thickness"]
    h = c["hardware"]
    if h is not None:
        beta = 0.2874 if ow == oh else None   # square electrodes: Roark a/b = 1
        plate_t = side * np.sqrt(beta * h["p"] / h["allow"])
        ow, oh = ow + 2 * h["margin"], oh + 2 * h["margin"]
        plates = 2 * ow * oh * plate_t * h["rho"]
        rods = h["p"] * A / h["allow"] * (h["share"] * depth + 2 * plate_t) * h["rho"]
        mass = mass + (plates + rods) / h["share"]
        depth = depth + 2 * plate_t / h["share"]
    vol = ow * oh * depth + 2 * tab
    e_cell = A * Q * n * c["v"]
    return {
        "areal_capacity": Q, "np_ratio": Q_li / Q_pos, "areal_energy": E, "areal_mass": m_st,
        "stack_thickness": t_st, "specific_energy_active": E / L * 1e3,
        "specific_energy_cathode": E / M * 1e3, "specific_energy_electrochemical": E / m_ec * 1e3,
        "specific_energy_stack": E / m_st * 1e3, "energy_density_electrochemical": E / (t_ec * 1e-4),
        "energy_density_stack": E / (t_st * 1e-4), "asr_total": asr, "current_density": j,
        "voltage_loss": dv, "specific_energy_at_rate": Q * v_rate / m_st * 1e3,
        "specific_power": j * v_rate / m_st * 1e3, "specific_energy_cell": e_cell / mass,
        "energy_density_cell": e_cell / vol,
    }


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--design", type=Path, default=DEFAULT_DESIGN)
    args = parser.parse_args()

    library = default_library()
    design = load_design(args.design)
    evaluate(design, library)   # warm: library parsed, unit conversions cached
    x = batch_inputs(args.n, np.random.default_rng(0))
    batch = design.with_values({k: Quantity(v, UNITS[k]) for k, v in x.items()})
    c = constants(design, library)

    result = evaluate(batch, library)
    reference = fused(x, c)
    for name, values in reference.items():
        if not np.allclose(result.metrics[name], values, rtol=1e-10, atol=0):
            raise SystemExit(f"the fused baseline disagrees with the engine on {name}")

    engine_best, engine_median = best_of(lambda: evaluate(batch, library), args.repeat)
    fused_best, fused_median = best_of(lambda: fused(x, c), args.repeat)
    reps = 200
    start = time.perf_counter()
    for _ in range(reps):
        evaluate(load_design(args.design), library)
    single_ms = (time.perf_counter() - start) / reps * 1e3

    print(f"design: {args.design.relative_to(ROOT) if args.design.is_relative_to(ROOT) else args.design}")
    print(f"numpy {np.__version__}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    print(f"vectorized batch of {args.n:,} designs: {engine_best * 1e3:.0f} ms best, "
          f"{engine_median * 1e3:.0f} ms median -> {args.n / engine_best:,.0f} designs/s "
          f"(goal >= 1,000,000/s)")
    print(f"one design loaded from its file and evaluated: {single_ms:.2f} ms (goal < 5 ms)")
    print(f"plain fused numpy, same formulas: {fused_best * 1e3:.0f} ms best -> engine/fused = "
          f"{engine_best / fused_best:.2f}x (goal within 3x)")


if __name__ == "__main__":
    main()
