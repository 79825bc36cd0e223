"""Evaluate a design: the one pipeline from a design and the materials library to metrics.

    design + library --(resolve each layer)--> per-layer thickness, mass, capacity, ASR
                     --(capacity, energy, resistance, rate, cell)--> Result

Every number is a float or a numpy array in the engine's internal units; a design whose
values are arrays (Design.with_values) is evaluated for all of them at once by the same
code. Nothing here loops over designs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

from . import capacity as cap
from . import cell as cellmod
from . import energy, rate, resistance
from .design import Design, Layer
from .errors import InputError
from .materials import Interface, Library, Material, default_library
from .result import Result

COMPOSITE_PART_KINDS = {
    "electrolyte": {"solid_electrolyte"},
    "carbon": {"conductive_additive", "interlayer"},
    "binder": {"binder"},
}
SHEET_KINDS = {
    "separator": {"solid_electrolyte", "separator", "interlayer"},
    "interlayer": {"interlayer", "solid_electrolyte", "cathode_active", "anode_active",
                   "conductive_additive"},
    "current_collector": {"current_collector"},
}
COUNTED_COLLECTOR = {"stacked": 0.5, "single": 1.0, "bipolar": 1.0}


@dataclass
class LayerState:
    """What one layer contributes, per electrode area (arrays broadcast over designs)."""

    layer: Layer
    label: str                      # material name shown, and used in interface pairs
    thickness_um: object            # as built, the whole layer
    areal_mass: object              # mg/cm^2, the whole layer (solid only)
    counted: float = 1.0            # share counted in the repeat unit
    porosity: object = 0.0
    ionic_asr: object = None        # ohm*cm^2: bulk (sheets) or electrode term (composites)
    swelling_um: object = 0.0       # extra thickness at full charge, stated by the design
    details: dict = field(default_factory=dict)
    data_swelling_um: object = None  # from the active's volume_change (None: no data, or stated)


@dataclass
class Electrode:
    state: LayerState
    capacity: object                # mA*h/cm^2 as built
    potential: object               # V vs Li/Li+
    active_mass: object = 0.0       # mg/cm^2
    lithium_metal: bool = False
    lithiated: bool = True          # holds its lithium as made (positives)
    material: Material | None = None


class Context:
    """The design and library being evaluated, plus what the evaluation cites and warns."""

    def __init__(self, design: Design, library: Library):
        self.design = design
        self.lib = library
        self.file = design.file
        self.warnings: list[str] = []
        self.cited: dict[str, list[str]] = {}
        self.asr_missing: list[str] = []    # ASR terms without data (asr_total a lower bound)

    def missing(self, term: str) -> None:
        if term not in self.asr_missing:
            self.asr_missing.append(term)

    def value(self, key: str, default=None):
        return self.design.value(key, default)

    def material(self, name: str, key: str, kinds: Iterable[str]) -> Material:
        return self.lib.get(name, self.file, key, set(kinds))

    def cite(self, sources: Iterable[str], what: str) -> None:
        for src in sources:
            used = self.cited.setdefault(src, [])
            if what not in used:
                used.append(what)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def prop(self, material: Material, prop: str, key: str):
        """A material's (preferred) value, or the design's override `material.ID.prop`."""
        override = self.design.values.get(f"material.{material.id}.{prop}")
        if override is not None:
            self.cite(["design override"], f"{material.id} {prop}")
            return override
        value = material.value(prop)
        if value is None:
            raise InputError(self.file, key, f"material {material.id!r} has no {prop}, "
                                             "which this use needs")
        self.cite(value.source or material.source, f"{material.id} {prop}")
        return value.value

    def conductivity(self, material: Material, temperature_K, key: str):
        """Ionic conductivity (S/cm) at temperature, from the record's table or Arrhenius
        parameters; None if the material has no ionic conductivity data."""
        override = self.design.values.get(f"material.{material.id}.ionic_conductivity")
        table = material.conductivity_table
        if table is not None and override is None:
            self.cite(table.source, f"{material.id} conductivity table")
            return resistance.tabulated(table.temperatures_K, table.sigmas_S_cm, temperature_K)
        sigma = material.value("ionic_conductivity")
        if sigma is None and override is None:
            return None
        sigma_ref = self.prop(material, "ionic_conductivity", key)
        reference_K = (sigma.temperature_K if sigma is not None and sigma.temperature_K
                       else self.prop(material, "reference_temperature", key))
        has_ea = (material.value("activation_energy") is not None or
                  f"material.{material.id}.activation_energy" in self.design.values)
        if not has_ea:
            if np.any(np.abs(np.asarray(temperature_K) - reference_K) > 0.5):
                self.warn(f"{material.id}: no activation energy, so its conductivity at "
                          f"{reference_K - 273.15:g} degC is used at the design temperature")
            return sigma_ref + 0.0 * temperature_K
        ea = self.prop(material, "activation_energy", key)
        return resistance.arrhenius(sigma_ref, ea, reference_K, temperature_K)


def resolve_layers(ctx: Context, temperature_K, exponent, fill_sigma):
    """Every layer's thickness, mass, capacity and ionic term: (positive, negative, the
    layer states in stack order). The negative may be sized from the positive (N/P)."""
    design = ctx.design
    positive = composite_electrode(ctx, design.cathode, temperature_K, exponent, fill_sigma)
    anode = design.anode
    if anode.composite:
        negative = composite_electrode(ctx, anode, temperature_K, exponent, fill_sigma,
                                       positive.capacity)
    else:
        negative = foil_negative(ctx, anode, positive.capacity)
    counted = COUNTED_COLLECTOR[design.format]
    states = {positive.state.layer.index: positive.state,
              negative.state.layer.index: negative.state}
    for layer in design.layers:
        if layer.role in ("separator", "interlayer", "current_collector"):
            states[layer.index] = sheet(ctx, layer, temperature_K, exponent, fill_sigma,
                                        counted if layer.role == "current_collector" else 1.0)
    return positive, negative, [states[layer.index] for layer in design.layers]


def electrolyte_fill(ctx: Context, electrolyte: Material, ordered: list[LayerState], capacity):
    """Areal mass (mg/cm^2) of the electrolyte filling the pores: every pore of the
    electrodes, separators and interlayers, or a volume per Ah of delivered capacity
    (mL/(A*h) x mA*h/cm^2 = 1e-3 cm^3/cm^2 = 10 um) whose excess over the pores adds mass
    but no thickness."""
    rho = ctx.prop(electrolyte, "density", "cell.electrolyte")
    pore_um = sum(s.porosity * s.thickness_um for s in ordered
                  if s.layer.role != "current_collector")
    if ctx.design.fill_pores:
        return cap.sheet_areal_mass(pore_um, rho)
    fill_um = ctx.value("cell.electrolyte_fill") * capacity * 10.0
    excess = np.asarray(fill_um) > np.asarray(pore_um) * 1.0001
    if np.any(excess):
        ctx.warn("the electrolyte fill exceeds the pore volume; the excess adds mass but no "
                 "thickness" + _count(excess))
    return cap.sheet_areal_mass(fill_um, rho)


def asr_budget(ctx: Context, ordered: list[LayerState], temperature_K, liquid: bool) -> list:
    """The ASR terms: each layer's bulk or electrode term, then one interface term per
    adjacent pair of ion-conducting layers (plated lithium named Li for anode-free)."""
    terms = [{"term": "electrode" if s.layer.composite else "bulk", "where": s.label,
              "layer": s.layer.key, "value": s.ionic_asr, "source": None}
             for s in ordered if s.ionic_asr is not None]
    labels = ["Li" if s.layer.anode_free else s.label for s in ordered
              if s.layer.role != "current_collector"]
    return terms + interface_terms(ctx, labels, temperature_K, liquid)


def _count(mask) -> str:
    mask = np.asarray(mask)
    return "" if mask.ndim == 0 else f" (in {int(mask.sum())} of {mask.size} designs)"


def _check_range(ctx: Context, x, key: str, what: str, low=0.0, high=1.0) -> None:
    bad = (np.asarray(x) < low) | (np.asarray(x) >= high)
    if np.any(bad):
        raise InputError(ctx.file, key, what + _count(bad))


def _fmt_um(x) -> str:
    arr = np.asarray(x, dtype=float)
    if arr.ndim:
        return f"{arr.min():.3g}-{arr.max():.3g} um"
    return f"{float(arr):.3g} um"


def is_batch(design: Design) -> bool:
    """True when some value of the design is an array (many designs at once)."""
    return any(np.ndim(v) > 0 for v in design.values.values())


def lithium_added(ctx: Context, positive: Electrode, negative: Electrode):
    """Lithium of a lithium-metal foil (mA*h/cm^2, 0 for anode-free or a non-lithium negative);
    the stated prelithiation's lithium mass (and, on a Li-metal or anode-free negative, its
    thickness) is added to the negative layer here. Returns (the foil's lithium, the
    library's Li record, or None when neither plating nor prelithiation needs it)."""
    li = None
    if ctx.design.has("cell.prelithiation") or negative.lithium_metal:
        li = ctx.material("Li", "cell.prelithiation", {"anode_active"})
    on_negative = negative.capacity if negative.lithium_metal else 0.0
    if ctx.design.has("cell.prelithiation"):
        p = ctx.value("cell.prelithiation")
        q_li = ctx.prop(li, "specific_capacity", "cell.prelithiation")
        mass = cap.loading_for_capacity(p, q_li)
        negative.state.areal_mass = negative.state.areal_mass + mass
        if negative.lithium_metal:
            negative.state.thickness_um = negative.state.thickness_um + cap.sheet_thickness_um(
                mass, ctx.prop(li, "density", "cell.prelithiation"))
    return on_negative, li


def prelithiated_alloy_swells(ctx: Context, positive: Electrode, negative: Electrode,
                              prelithiation, cycled) -> bool:
    """With a lithium-free positive, an alloy or conversion negative with a volume_change
    holds the prelithiation's lithium as built (lithium pressed onto indium forms LiIn), so
    it is swollen then by its lithiated share of the full swing:

        as built:   delta t_neg = S_neg * min(1, P / Q_neg)
        discharged: delta t_neg = S_neg * min(1, (P - Q_cycled) / Q_neg) + delta t_pos

    (S_neg = t x phi x dV/V, P the prelithiation, Q_neg the negative's capacity, mA*h/cm^2).
    The thickest state is the larger of the two; the layers' swelling is set to it. Returns
    False (nothing done) unless such a negative is prelithiated."""
    full = negative.state.data_swelling_um
    if negative.lithium_metal or full is None or not ctx.design.has("cell.prelithiation"):
        return False
    built = full * np.minimum(1.0, prelithiation / negative.capacity)
    discharged = full * np.minimum(1.0, np.maximum(prelithiation - cycled, 0.0)
                                   / negative.capacity)
    positive_swing = 0.0 if positive.state.data_swelling_um is None else \
        positive.state.data_swelling_um
    built_thickest = built >= discharged + positive_swing
    negative.state.swelling_um = negative.state.swelling_um + np.where(built_thickest, built,
                                                                       discharged)
    positive.state.swelling_um = positive.state.swelling_um - np.where(built_thickest,
                                                                       positive_swing, 0.0)
    if np.ndim(built_thickest) == 0:
        built_thickest, discharged, built = bool(built_thickest), float(discharged), float(built)
    state = ("as built (charged)" if built_thickest is True else
             "discharged" if built_thickest is False else "as built or discharged")
    ctx.warn(f"{negative.state.layer.key} ({negative.material.id}) holds the prelithiation's "
             f"lithium as built and swells by its volume change x its active volume share x "
             f"the share of its capacity that lithium fills: "
             f"+{_fmt_um(np.where(built_thickest, built, discharged))} in the thickest state, "
             f"{state} (from the record's volume_change; state `swelling` to override)")
    if positive.state.data_swelling_um is not None and built_thickest is not True:
        ctx.warn(f"{positive.state.layer.key} ({positive.material.id}) swells at discharge (the "
                 f"positive lithiated) by its volume change x its active volume share: "
                 f"+{_fmt_um(positive_swing)} (from the record's volume_change; state "
                 "`swelling` to override)")
    return True


def _metal(material: Material | None) -> str | None:
    """'Al' or 'Cu' when a collector record is aluminium or copper (by id or name)."""
    if material is None:
        return None
    words = f"{material.id} {material.name} {material.composition or ''}".lower()
    ident = material.id.lower().replace("_", "-")
    if ident == "al" or ident.startswith("al-") or "alumin" in words:
        return "Al"
    if ident == "cu" or ident.startswith("cu-") or "copper" in words:
        return "Cu"
    return None


def check_collectors(ctx: Context, positive: Electrode, negative: Electrode,
                     ordered: list[LayerState]) -> None:
    """Warn about collectors that cannot work where they are, or are missing in a stack."""
    first, last = ordered[0], ordered[-1]
    if ctx.design.format == "stacked":
        for end, side, electrode in ((first, "negative", negative), (last, "positive", positive)):
            if end.layer.role != "current_collector":
                why = (" and the plated lithium has nothing to plate on"
                       if side == "negative" and electrode.state.layer.anode_free else "")
                ctx.warn(f"a stacked cell without a {side} current collector: its double-sided "
                         f"electrodes are coated on one, whose mass and thickness are now "
                         f"missing from every figure{why}")
    if first.layer.role == "current_collector":
        low = negative.lithium_metal or np.any(np.asarray(negative.potential) < 0.5)
        if low and _metal(ctx.lib.find(first.label)) == "Al":
            ctx.warn(f"{first.layer.key} ({first.label}) is aluminium against the negative: "
                     "lithium alloys with aluminium below about 0.3 V vs Li/Li+, which a "
                     f"{'lithium-metal' if negative.lithium_metal else 'low-potential'} "
                     "negative reaches; use copper, nickel or stainless steel there (collectors "
                     "swapped?)")
    if last.layer.role == "current_collector":
        if np.any(np.asarray(positive.potential) > 3.3) and \
                _metal(ctx.lib.find(last.label)) == "Cu":
            ctx.warn(f"{last.layer.key} ({last.label}) is copper against the positive: copper "
                     "oxidises and dissolves above about 3.5 V vs Li/Li+; use aluminium there "
                     "(collectors swapped?)")


def check_lithium(ctx: Context, positive: Electrode, negative: Electrode, lithium) -> None:
    """A cell with no lithium at all cannot cycle: an error for one design, a warning (zero
    capacity) in a batch."""
    empty = np.asarray(lithium) <= 0
    if not np.any(empty):
        return
    anode = negative.state.layer
    what = ("an anode-free negative" if anode.anode_free else
            f"a negative ({negative.state.label}) that holds no lithium")
    reason = (f"the cell holds no lithium to cycle: the positive {positive.material.id} is "
              f"lithium-free as made (lithiated = false) and {what}; add a lithium foil, "
              "state cell.prelithiation, or use a lithiated positive")
    if not is_batch(ctx.design):
        raise InputError(ctx.file, f"{anode.key}.{'active' if anode.composite else 'material'}",
                         reason)
    shape = np.broadcast_shapes(*(np.shape(v) for v in ctx.design.values.values()))
    ctx.warn(reason + ": capacity 0" + _count(np.broadcast_to(empty, shape)))


# ------------------------------------------------------------------------------- layers

def composite_electrode(ctx: Context, layer: Layer, temperature_K, exponent, fill_sigma,
                        positive_capacity=None) -> Electrode:
    """Composite electrode: loading, mass, thickness, capacity, ionic ASR (capacity.py)."""
    k = layer.key
    active_kind = "cathode_active" if layer.role == "cathode" else "anode_active"
    active = ctx.material(layer.active, f"{k}.active", {active_kind})
    q = ctx.prop(active, "specific_capacity", f"{k}.active")
    fractions, densities = [], []
    w_active = ctx.value(f"{k}.fractions.active")
    fractions.append(w_active)
    densities.append(ctx.prop(active, "density", f"{k}.active"))
    parts = {}
    for part, kinds in COMPOSITE_PART_KINDS.items():
        name = getattr(layer, part)
        w = ctx.value(f"{k}.fractions.{part}")
        if name is None:
            continue
        material = ctx.material(name, f"{k}.{part}", kinds)
        rho = ctx.prop(material, "density", f"{k}.{part}")
        parts[part] = (material, w, rho)
        fractions.append(w)
        densities.append(rho)
    v = cap.specific_volume(fractions, densities)
    if layer.pores == "porosity":
        porosity = ctx.value(f"{k}.porosity")
    else:
        porosity = cap.porosity_from_coating_density(ctx.value(f"{k}.density"), v)
        _check_range(ctx, porosity, f"{k}.density", "the coating density is above the density "
                     "of its solids (porosity would be negative)")
    sizing = layer.sizing
    if sizing == "loading":
        loading = ctx.value(f"{k}.loading")
    elif sizing == "areal_capacity":
        loading = cap.loading_for_capacity(ctx.value(f"{k}.areal_capacity"), q)
    elif sizing == "np_ratio":
        loading = cap.loading_for_capacity(ctx.value(f"{k}.np_ratio") * positive_capacity, q)
    else:
        mass = cap.composite_mass_from_thickness(ctx.value(f"{k}.thickness"), v, porosity)
        loading = mass * w_active
    mass = cap.composite_mass(loading, w_active)
    thickness = cap.composite_thickness_um(mass, v, porosity)
    capacity = cap.areal_capacity(loading, q)
    details = {"loading": loading, "porosity": porosity, "areal_capacity": capacity}
    sigma_eff = resistance.bruggeman(fill_sigma, porosity, exponent)
    if "electrolyte" in parts:
        material, w_se, rho_se = parts["electrolyte"]
        phi = cap.volume_fraction(mass, w_se, rho_se, thickness)
        details["electrolyte_volume_fraction"] = phi
        sigma_se = ctx.conductivity(material, temperature_K, f"{k}.electrolyte")
        if sigma_se is None:
            ctx.warn(f"{material.id} (in {k}) has no ionic conductivity: it adds no ion path")
        else:
            sigma_eff = sigma_eff + resistance.bruggeman(sigma_se, phi, exponent)
    if np.all(np.asarray(sigma_eff) == 0) and "electrolyte" not in parts:
        # no catholyte and no fill: the active material itself may conduct lithium
        # (thin-film cathodes); its phase then carries the ions
        sigma_active = ctx.conductivity(active, temperature_K, f"{k}.active")
        if sigma_active is not None:
            phi_active = cap.volume_fraction(mass, w_active, densities[0], thickness)
            sigma_eff = resistance.bruggeman(sigma_active, phi_active, exponent)
    if np.all(np.asarray(sigma_eff) == 0):
        ctx.missing(f"electrode {active.id} ({k})")
        ctx.warn(f"{k} ({layer.role}) has no ion-conducting phase (no catholyte with data, no "
                 f"liquid fill, and {active.id} has no ionic conductivity): its ionic term is "
                 "not counted")
        ionic = None
    else:
        with np.errstate(divide="ignore"):
            ionic = resistance.electrode_ionic_asr(thickness, sigma_eff)
    stated = ctx.design.has(f"{k}.swelling")
    swelling = thickness * ctx.value(f"{k}.swelling") if stated else 0.0
    potential = ctx.prop(active, "average_potential", f"{k}.active")
    state = LayerState(layer, active.id, thickness, mass, 1.0, porosity, ionic, swelling, details)
    if not stated and active.value("volume_change") is not None:
        phi_active = cap.volume_fraction(mass, w_active, densities[0], thickness)
        state.data_swelling_um = cap.swelling_from_volume_change_um(
            thickness, phi_active, ctx.prop(active, "volume_change", f"{k}.active"))
    lithiated = True
    if layer.role == "cathode":
        lithiated = active.lithiated
        if lithiated is None:
            ctx.warn(f"{active.id} ({k}.active) does not state `lithiated`: taken as lithiated "
                     "(it holds its lithium as made, like NMC or LFP); write lithiated = false "
                     "for a lithium-free positive such as S or MoS2")
            lithiated = True
    return Electrode(state, capacity, potential, loading, active.lithium_metal, lithiated, active)


def foil_negative(ctx: Context, layer: Layer, positive_capacity) -> Electrode:
    """Metal foil negative (Li, Li-In, ...) or anode-free (material = "none")."""
    k = layer.key
    if layer.anode_free:
        state = LayerState(layer, "none", 0.0, 0.0, 1.0)
        return Electrode(state, 0.0, 0.0, 0.0, lithium_metal=True)
    material = ctx.material(layer.material, f"{k}.material", {"anode_active"})
    rho = ctx.prop(material, "density", f"{k}.material")
    q = ctx.prop(material, "specific_capacity", f"{k}.material")
    if layer.sizing == "thickness":
        thickness = ctx.value(f"{k}.thickness")
        mass = cap.sheet_areal_mass(thickness, rho)
    else:
        capacity = (ctx.value(f"{k}.np_ratio") * positive_capacity if layer.sizing == "np_ratio"
                    else ctx.value(f"{k}.areal_capacity"))
        mass = cap.loading_for_capacity(capacity, q)
        thickness = cap.sheet_thickness_um(mass, rho)
    capacity = cap.areal_capacity(mass, q)
    stated = ctx.design.has(f"{k}.swelling")
    swelling = thickness * ctx.value(f"{k}.swelling") if stated else 0.0
    state = LayerState(layer, material.id, thickness, mass, 1.0, 0.0, None, swelling,
                       {"areal_capacity": capacity})
    if not stated and material.value("volume_change") is not None:   # a dense foil: phi = 1
        state.data_swelling_um = cap.swelling_from_volume_change_um(
            thickness, 1.0, ctx.prop(material, "volume_change", f"{k}.material"))
    potential = ctx.prop(material, "average_potential", f"{k}.material")
    return Electrode(state, capacity, potential, mass, material.lithium_metal, material=material)


def sheet(ctx: Context, layer: Layer, temperature_K, exponent, fill_sigma, counted) -> LayerState:
    """Separator, interlayer or current collector: a sheet of one material."""
    k = layer.key
    material = ctx.material(layer.material, f"{k}.material", SHEET_KINDS[layer.role])
    rho = ctx.prop(material, "density", f"{k}.material")
    thickness = ctx.value(f"{k}.thickness")
    if ctx.design.has(f"{k}.porosity"):
        porosity = ctx.value(f"{k}.porosity")
    elif material.kind == "separator" and material.value("porosity") is not None:
        porosity = ctx.prop(material, "porosity", f"{k}.material")
    else:
        porosity = 0.0
    mass = cap.sheet_areal_mass(thickness, rho, porosity)
    state = LayerState(layer, material.id, thickness, mass, counted, porosity)
    if layer.role == "current_collector":
        return state
    sigma_solid = ctx.conductivity(material, temperature_K, f"{k}.material")
    sigma = resistance.bruggeman(fill_sigma, porosity, exponent)
    if sigma_solid is not None:
        sigma = sigma + resistance.bruggeman(sigma_solid, 1.0 - porosity, exponent)
    if material.kind == "separator" and sigma_solid is None and ctx.design.electrolyte is None:
        raise InputError(ctx.file, f"{k}.material", f"{material.id} is a porous separator that "
                         "conducts ions only through a liquid electrolyte in its pores, and this "
                         "cell has none: no ion path, the cell cannot work (give cell.electrolyte, "
                         "or use a solid-electrolyte separator)")
    if np.all(np.asarray(sigma) == 0):
        ctx.missing(f"bulk {material.id} ({k})")
        ctx.warn(f"no ionic conductivity for {material.id} ({k}, {layer.role}): its bulk term "
                 "is counted as 0")
    else:
        state.ionic_asr = resistance.bulk_asr(thickness, sigma)
    return state


# --------------------------------------------------------------------------- interfaces

def interface_terms(ctx: Context, labels: list[str], temperature_K, liquid: bool) -> list[dict]:
    """One term per adjacent pair of ion-conducting layers, from the design's [[interface]]
    (which shadows the library's) or the library; a pair without data counts 0 and warns."""
    terms = []
    missing = []
    overrides = interface_overrides(ctx)
    for a, b in zip(labels, labels[1:]):
        found: Interface | None = ctx.lib.interface(a, b)
        where = f"{a}|{b}"
        override = overrides.pop(frozenset((a.lower(), b.lower())), None)
        if override is not None:
            value = override[1]
            if found is not None and found.asr and found.activation_energy is not None \
                    and found.preferred_asr().temperature_K:
                value = resistance.interface_asr(value, found.activation_energy.value,
                                                 found.preferred_asr().temperature_K,
                                                 temperature_K)
            ctx.cite(["design override"], f"{where} asr")
            terms.append({"term": "interface", "where": where, "value": value,
                          "source": "design override"})
            continue
        if found is None or not found.asr:
            missing.append(where)
            terms.append({"term": "interface", "where": where, "value": 0.0, "source": None})
            continue
        chosen = found.preferred_asr()
        value = chosen.value
        if found.activation_energy is not None and chosen.temperature_K:
            value = resistance.interface_asr(value, found.activation_energy.value,
                                             chosen.temperature_K, temperature_K)
            ctx.cite(found.activation_energy.source, f"{where} activation energy")
        elif chosen.temperature_K and np.any(np.abs(np.asarray(temperature_K)
                                                    - chosen.temperature_K) > 0.5):
            ctx.warn(f"{where}: interface ASR measured at {chosen.temperature_K - 273.15:g} degC, "
                     "used unchanged at the design temperature (no activation energy)")
        ctx.cite(chosen.source, f"{where} asr")
        terms.append({"term": "interface", "where": where, "value": value,
                      "source": ", ".join(chosen.source) or None})
    for key, _ in overrides.values():
        pairs = ", ".join(f"{a}|{b}" for a, b in zip(labels, labels[1:]))
        raise InputError(ctx.file, key, f"not an interface of this stack (its pairs: {pairs})")
    if missing:
        if liquid:
            ctx.warn("liquid electrolyte: interface (charge-transfer, SEI) resistances are not "
                     "modelled unless given as [[interface]]")
        else:
            for where in missing:
                ctx.missing(f"interface {where}")
                ctx.warn(f"no interface data for {where}: counted as 0")
    return terms


def interface_overrides(ctx: Context) -> dict:
    """The design's `interface[A|B].asr` values as (key, value), keyed by the pair of
    material ids (ohm*cm^2 at the record's temperature, scaled by its activation energy if
    it has one)."""
    out = {}
    for key, value in ctx.design.values.items():
        if key.startswith("interface[") and key.endswith("].asr"):
            names = key[len("interface["):-len("].asr")].split("|")
            ids = []
            for name in names:
                found = ctx.lib.find(name.strip())
                ids.append((found.id if found else name.strip()).lower())
            out[frozenset(ids)] = (key, value)
    return out


# ------------------------------------------------------------------------ conductivity

def ionic_conductivity(design: Design, name: str, temperature_K, library: Library | None = None):
    """Ionic conductivity (S/cm) of material `name` at temperatures (K; float or array),
    computed exactly as an evaluation of `design` computes it: the record's table or its
    Arrhenius parameters, the design's inline materials and `material.ID.*` overrides.
    None when the material has no ionic-conductivity data. (For plots such as Arrhenius.)"""
    ctx = Context(design, design.library(library if library is not None else default_library()))
    material = ctx.lib.get(name, design.file, f"material.{name}")
    with np.errstate(all="ignore"):
        return ctx.conductivity(material, np.asarray(temperature_K, dtype=float),
                                f"material.{material.id}")


# ------------------------------------------------------------------------------ evaluate

def evaluate(design: Design, library: Library | None = None) -> Result:
    """Evaluate a design (one, or many when its values are arrays). See DESIGN.md for the
    conventions; every metric is described in metrics.py. Extreme inputs may give infinite
    or undefined metrics (reported as null in JSON, n/a in tables), never numpy warnings."""
    with np.errstate(all="ignore"):
        return _evaluate(design, library)


def _evaluate(design: Design, library: Library | None) -> Result:
    ctx = Context(design, design.library(library if library is not None else default_library()))
    design = ctx.design = design.with_material_ids(ctx.lib)   # aliases, any case, as files do
    T = ctx.value("cell.temperature")
    b = ctx.value("cell.bruggeman_exponent")
    liquid = None
    fill_sigma = 0.0
    if design.electrolyte:
        liquid = ctx.material(design.electrolyte, "cell.electrolyte",
                              {"liquid_electrolyte", "solid_electrolyte"})
        fill_sigma = ctx.conductivity(liquid, T, "cell.electrolyte")
        if fill_sigma is None:
            ctx.warn(f"{liquid.id} (cell.electrolyte) has no ionic conductivity: the pores it "
                     "fills add no ion path")
            fill_sigma = 0.0

    positive, negative, ordered = resolve_layers(ctx, T, b, fill_sigma)
    check_collectors(ctx, positive, negative, ordered)

    # lithium inventory, capacity, N/P, voltage, energy
    lithium_on_negative, li_record = lithium_added(ctx, positive, negative)
    np_ratio = negative.capacity / positive.capacity
    limits = not negative.lithium_metal
    if limits and np.any(np.asarray(np_ratio) < 1):
        ctx.warn("N/P < 1: the negative limits the capacity and lithium may plate"
                 + _count(np.asarray(np_ratio) < 1))
    prelithiation = ctx.value("cell.prelithiation", 0.0)
    lithium = cap.lithium_available(positive.capacity, positive.lithiated,
                                    lithium_on_negative, prelithiation)
    check_lithium(ctx, positive, negative, lithium)
    cycled = cap.cell_capacity(positive.capacity, negative.capacity, limits, lithium)
    limited_by = cap.limiting_side(cycled, positive.capacity, negative.capacity, limits)
    short = np.asarray(limited_by) == 2          # cap.LIMITING_SIDES: lithium inventory
    if np.any(short):
        ctx.warn(f"the lithium inventory limits the capacity: {positive.material.id} is "
                 "lithium-free as made, so the cell cycles only the lithium of the negative and "
                 "any prelithiation" + _count(short))
    loss = ctx.value("cell.formation_loss")
    q = cap.delivered(cycled, loss)
    voltage = positive.potential - (0.0 if negative.lithium_metal else negative.potential)
    e_areal = energy.areal_energy(q, voltage)
    lithium_excess = ((lithium_on_negative + prelithiation) / cycled if negative.lithium_metal
                      else None)

    # the thickest state over a cycle (DESIGN.md): a lithiated positive is thickest at full
    # charge (lithium plated on a Li-metal or anode-free negative, an alloy negative swollen);
    # a lithium-free positive, assembled charged, when discharged (the negative as built, the
    # positive swollen by its lithiation)
    plated = 0.0
    if negative.lithium_metal and positive.lithiated and design.plated_lithium != "none":
        plated = cap.plated_lithium_thickness_um(
            q if design.plated_lithium == "delivered" else cycled,
            ctx.prop(li_record, "specific_capacity", "Li"), ctx.prop(li_record, "density", "Li"))
    swells = positive if not positive.lithiated else negative
    if swells.state.data_swelling_um is not None:
        swells.state.swelling_um = swells.state.data_swelling_um
    if not positive.lithiated and prelithiated_alloy_swells(ctx, positive, negative,
                                                             prelithiation, cycled):
        pass                            # warned there: the as-built state may be the thickest
    elif swells.state.data_swelling_um is not None:
        which = "discharge (the positive lithiated)" if swells is positive else "full charge"
        ctx.warn(f"{swells.state.layer.key} ({swells.material.id}) swells at {which} by its "
                 f"volume change x its active volume share: +{_fmt_um(swells.state.swelling_um)}"
                 " in the thickest state (from the record's volume_change; state `swelling` to "
                 "override)")

    fill_mass = 0.0 if liquid is None else electrolyte_fill(ctx, liquid, ordered, q)

    # masses and thicknesses of the repeat unit (mg/cm^2, um)
    def total(roles, attribute):
        return sum(getattr(s, attribute) * s.counted for s in ordered if s.layer.role in roles)
    m_cathode = positive.state.areal_mass
    m_electrochemical = total(("anode", "interlayer", "separator", "cathode"), "areal_mass") \
        + fill_mass
    m_stack = m_electrochemical + total(("current_collector",), "areal_mass")
    swell = sum(s.swelling_um for s in ordered)
    t_electrochemical = total(("anode", "interlayer", "separator", "cathode"), "thickness_um") \
        + plated + swell
    t_stack = t_electrochemical + total(("current_collector",), "thickness_um")

    asr_terms = asr_budget(ctx, ordered, T, liquid is not None and
                           liquid.kind == "liquid_electrolyte")
    asr_total = sum(t["value"] for t in asr_terms) + 0.0 * T

    # rate
    if design.has("cell.current_density"):
        j = ctx.value("cell.current_density") + 0.0 * q
    else:
        j = rate.current_density(ctx.value("cell.c_rate"), q)
    dv = rate.voltage_loss(j, asr_total)
    v_rate = rate.voltage_at_rate(voltage, dv)
    if np.any(np.asarray(voltage - dv) <= 0):
        ctx.warn("the ohmic loss at this current exceeds the nominal voltage: no energy at rate"
                 + _count(np.asarray(voltage - dv) <= 0))
    ccd_margin = critical_current_margin(ctx, negative, ordered, q, j, T)

    metrics = {
        "areal_capacity": q,
        "np_ratio": np_ratio,
        "lithium_excess": lithium_excess,
        "nominal_voltage": voltage,
        "areal_energy": e_areal,
        "areal_mass": m_stack,
        "stack_thickness": t_stack,
        "specific_energy_active": energy.specific_energy(e_areal, positive.active_mass),
        "specific_energy_cathode": energy.specific_energy(e_areal, m_cathode),
        "specific_energy_electrochemical": energy.specific_energy(e_areal, m_electrochemical),
        "specific_energy_stack": energy.specific_energy(e_areal, m_stack),
        "energy_density_electrochemical": energy.energy_density(e_areal, t_electrochemical),
        "energy_density_stack": energy.energy_density(e_areal, t_stack),
        "asr_total": asr_total,
        "current_density": j,
        "ccd_margin": ccd_margin,
        "voltage_loss": dv,
        "specific_energy_at_rate": energy.specific_energy(q * v_rate, m_stack),
        "specific_power": energy.specific_power(rate.areal_power(j, v_rate), m_stack),
    }
    components = {}   # repeat-unit areal mass by component, mg/cm^2
    for st in ordered:
        if st.layer.anode_free:
            continue
        label = f"{st.layer.role.replace('_', ' ')} ({st.label})"
        components[label] = components.get(label, 0.0) + st.areal_mass * st.counted
    if liquid is not None:
        components[f"electrolyte fill ({liquid.id})"] = fill_mass
    end = None
    if design.end_electrode == "negative":
        # one more double-sided negative electrode closes the stack: two coatings (inactive
        # outer faces) and a whole negative collector, as built
        collector = ordered[0] if ordered[0].layer.role == "current_collector" else None
        end = (2.0 * negative.state.areal_mass + (collector.areal_mass if collector else 0.0),
               2.0 * negative.state.thickness_um + (collector.thickness_um if collector else 0.0))
    cell, breakdown = cell_metrics(ctx, q, voltage, components, t_stack, end, j, v_rate)
    metrics.update(cell)
    shape = np.broadcast_shapes(*(np.shape(v) for v in metrics.values() if v is not None))
    if shape:   # a batch: every metric gets the batch's shape, even one no input changed
        metrics = {k: None if v is None else np.broadcast_to(v, shape)
                   for k, v in metrics.items()}

    layers = []
    for s in ordered:
        entry = {"role": s.layer.role, "material": s.label, "thickness": s.thickness_um,
                 "areal_mass": s.areal_mass, "counted_fraction": s.counted}
        if s.layer.role != "current_collector":
            entry["porosity"] = s.porosity
            entry["swelling"] = s.swelling_um   # um added at full charge (0 unless swelling)
        entry.update(s.details)
        layers.append(entry)
    layers_extra = {"plated_lithium": plated, "electrolyte_fill": fill_mass,
                    "cell_mass_breakdown": breakdown, "capacity_limited_by": limited_by}
    layers_extra["asr_missing"] = list(ctx.asr_missing)
    design.check_overrides_read({f"material.{'.'.join(what.rsplit(' ', 1))}"
                                 for what in ctx.cited.get("design override", ())})
    return Result(design=design.name, metrics=metrics, layers=layers, asr=asr_terms,
                  warnings=ctx.warnings, cited=ctx.cited, library=ctx.lib,
                  extra=layers_extra)


def critical_current_margin(ctx: Context, negative: Electrode, ordered: list[LayerState], q,
                            j_discharge, temperature_K):
    """ccd_margin = CCD / plating current density, for a Li-metal or anode-free negative:
    the CCD of the interface record between the negative (plated lithium: Li) and the next
    ion-conducting layer, else of the negative's own record; the plating current is the
    charge rate (cell.charge_current_density, or cell.charge_c_rate x delivered capacity),
    by default the discharge current. None without a Li-metal negative, a CCD or a plating
    current."""
    if not negative.lithium_metal:
        return None
    labels = ["Li" if s.layer.anode_free else s.label for s in ordered
              if s.layer.role != "current_collector"]
    record = ctx.lib.interface(labels[0], labels[1]) if len(labels) > 1 else None
    value = record.preferred_ccd() if record is not None else None
    where = f"{labels[0]}|{labels[1]}" if value is not None else None
    if value is None and negative.material is not None:
        value = negative.material.value("critical_current_density")
        where = negative.material.id
    if value is None:
        return None
    ctx.cite(value.source, f"{where} critical current density")
    design = ctx.design
    if design.has("cell.charge_current_density"):
        j = ctx.value("cell.charge_current_density") + 0.0 * q
    elif design.has("cell.charge_c_rate"):
        j = rate.current_density(ctx.value("cell.charge_c_rate"), q)
    else:
        j = j_discharge
    if np.all(np.asarray(j) == 0):
        return None          # no plating current (C-rate 0): no margin to state
    margin = value.value / j     # inf where a design of a batch plates at 0 mA/cm2
    if value.temperature_K and np.any(np.abs(np.asarray(temperature_K) - value.temperature_K)
                                      > 0.5):
        ctx.warn(f"{where}: critical current density measured at "
                 f"{value.temperature_K - 273.15:g} degC, used unchanged at the design "
                 "temperature (it depends strongly on temperature and stack pressure)")
    if value.stack_pressure_MPa and design.has("cell.hardware.stack_pressure") and np.any(
            np.asarray(ctx.value("cell.hardware.stack_pressure")) < value.stack_pressure_MPa):
        ctx.warn(f"{where}: critical current density measured at {value.stack_pressure_MPa:g} "
                 "MPa, above this design's stack pressure")
    low = np.asarray(margin) < 1
    if np.any(low):
        ctx.warn(f"plating at the charge current exceeds the critical current density of "
                 f"{where} ({value.value:g} mA/cm2): lithium may grow through the separator "
                 "(ccd_margin < 1)" + _count(low))
    return margin


# ----------------------------------------------------------------------------- the cell

def cell_metrics(ctx: Context, q, voltage, components: dict, t_stack_um, end=None,
                 j=None, v_rate=None):
    """Cell-level figures when the design gives the electrode area and the unit cells, and
    the cell's mass by component (g); ({metric: None}, {}) otherwise. `components` holds the
    repeat unit's areal masses (mg/cm^2) by component; `end` the (mg/cm^2, um) of an end
    electrode closing the stack, if any; `j` (mA/cm^2) and `v_rate` (V, one repeat unit's
    voltage under that current) give the cell's energy and power at rate:
    E_rate = Q_cell * V_rate,cell and P = I_cell * V_rate,cell, each over the cell mass."""
    d = ctx.design
    nothing = {name: None for name in ("specific_energy_cell", "energy_density_cell",
                                       "specific_energy_at_rate_cell", "specific_power_cell",
                                       "cell_capacity", "cell_voltage", "cell_energy",
                                       "cell_mass", "cell_volume", "cell_width", "cell_height",
                                       "cell_thickness", "hardware_mass")}
    has_area = d.has("cell.electrode_area") or d.has("cell.electrode_width")
    if not (has_area and d.has("cell.unit_cells")):
        if has_area or d.has("cell.unit_cells") or d.has("cell.extra_mass") or d.packaging \
                or d.hardware:
            ctx.warn("cell-level figures need both the electrode area (or width and height) "
                     "and unit_cells")
        return nothing, {}
    um_to_cm = 1e-4
    if d.has("cell.electrode_area"):
        area = ctx.value("cell.electrode_area")
        width = height = np.sqrt(area)
    else:
        width = ctx.value("cell.electrode_width") * um_to_cm
        height = ctx.value("cell.electrode_height") * um_to_cm
        area = width * height
    n = ctx.value("cell.unit_cells")
    bipolar = d.format == "bipolar"
    capacity_mAh = area * q * (1.0 if bipolar else n)
    cell_voltage = voltage * (n if bipolar else 1.0)
    energy_mWh = capacity_mAh * cell_voltage
    stack_cm = n * t_stack_um * um_to_cm
    breakdown = {label: n * area * m * 1e-3 for label, m in components.items()}
    if end is not None:
        breakdown["end electrode (negative)"] = area * end[0] * 1e-3
        stack_cm = stack_cm + end[1] * um_to_cm
    outer_w, outer_h, thickness_cm = width, height, stack_cm
    extra_volume = 0.0
    if d.packaging is not None:
        pk = packaging_values(ctx)
        outer_w, outer_h = cellmod.pouch_footprint(width, height, pk["sealing_margin"])
        breakdown["pouch foils"] = cellmod.pouch_foil_mass(outer_w * outer_h,
                                                           pk["foil_thickness"], pk["foil_density"])
        thickness_cm = stack_cm + 2.0 * pk["foil_thickness"]
        tab = cellmod.tab_volume(pk["tab_length"], pk["tab_width"], pk["tab_thickness"])
        if "tab_protrusion" in pk:     # volume of the bounding box, tabs inside it
            outer_h = outer_h + pk["tab_protrusion"]
        else:
            extra_volume = 2.0 * tab
        breakdown["tabs"] = tab * (pk["tab_density_positive"] + pk["tab_density_negative"])
    hardware_g = 0.0
    if d.hardware is not None:
        hw = d.hardware
        if hw.kind == "custom":
            hardware_g = ctx.value("cell.hardware.mass")
            thickness_cm = thickness_cm + ctx.value("cell.hardware.thickness") * um_to_cm
        else:
            plate_w, plate_h, plate_t, plates_g, rods_g, share = end_plates(
                ctx, width, height, area, outer_w, outer_h, thickness_cm)
            outer_w, outer_h = plate_w, plate_h
            thickness_cm = thickness_cm + 2.0 * plate_t / share
            hardware_g = (plates_g + rods_g) / share
        breakdown["stack-pressure hardware"] = hardware_g
    if d.has("cell.extra_mass"):
        breakdown["extra mass"] = ctx.value("cell.extra_mass")
    mass_g = sum(breakdown.values())
    volume = outer_w * outer_h * thickness_cm + extra_volume
    v_rate = voltage if v_rate is None else v_rate
    j = 0.0 if j is None else j
    cell_v_rate = v_rate * (n if bipolar else 1.0)
    current_mA = area * j * (1.0 if bipolar else n)
    return {
        "specific_energy_cell": energy_mWh / mass_g,       # mW*h/g = W*h/kg
        "energy_density_cell": energy_mWh / volume,       # mW*h/cm^3 = W*h/L
        "specific_energy_at_rate_cell": capacity_mAh * cell_v_rate / mass_g,
        "specific_power_cell": current_mA * cell_v_rate / mass_g,    # mW/g = W/kg
        "cell_capacity": capacity_mAh * 1e-3,
        "cell_voltage": cell_voltage,
        "cell_energy": energy_mWh * 1e-3,
        "cell_mass": mass_g,
        "cell_volume": volume,
        "cell_width": outer_w * 10.0,
        "cell_height": outer_h * 10.0,
        "cell_thickness": thickness_cm * 10.0,
        "hardware_mass": hardware_g,
    }, breakdown


def packaging_values(ctx: Context) -> dict:
    """Pouch numbers in cm, g/cm^3: from the design's [cell.packaging] or a library record."""
    d = ctx.design
    pk = d.packaging
    names = ("foil_thickness", "foil_density", "sealing_margin", "tab_length", "tab_width",
             "tab_thickness")
    out = {}
    if pk.record:
        record = ctx.material(pk.record, "cell.packaging", {"packaging"})
        tabs = record.tab_materials
        for name in names:
            out[name] = ctx.prop(record, name, "cell.packaging")
        if record.value("tab_protrusion") is not None:
            out["tab_protrusion"] = ctx.prop(record, "tab_protrusion", "cell.packaging")
    else:
        tabs = pk.tab_materials
        for name in names:
            out[name] = ctx.value(f"cell.packaging.{name}")
        if d.has("cell.packaging.tab_protrusion"):
            out["tab_protrusion"] = ctx.value("cell.packaging.tab_protrusion")
        if pk.source:
            ctx.cite([pk.source], "packaging")
    for name in out:
        if name != "foil_density":
            out[name] = out[name] * 1e-4   # um -> cm
    for which, tab in zip(("positive", "negative"), tabs):
        material = ctx.material(tab, "cell.packaging.tab_materials", {"current_collector"})
        out[f"tab_density_{which}"] = ctx.prop(material, "density", "cell.packaging.tab_materials")
    return out


def end_plates(ctx: Context, width, height, area, outer_w, outer_h, cell_thickness_cm):
    """Size the end plates and tie rods (cell.py); lengths cm, masses g."""
    material = ctx.material(ctx.design.hardware.material, "cell.hardware.material",
                            {"structural"})
    rho = ctx.prop(material, "density", "cell.hardware.material")
    allowable = ctx.prop(material, "yield_strength", "cell.hardware.material") / \
        ctx.value("cell.hardware.safety_factor", 2.0)
    pressure = ctx.value("cell.hardware.stack_pressure")
    margin = ctx.value("cell.hardware.plate_margin", 1e4) * 1e-4       # default 1 cm
    share = ctx.value("cell.hardware.cells_per_frame", 1.0)
    if ctx.design.has("cell.hardware.plate_thickness"):
        plate_t = ctx.value("cell.hardware.plate_thickness") * 1e-4
    else:
        plate_t = cellmod.end_plate_thickness(pressure, allowable, width, height)
    plate_w, plate_h = outer_w + 2.0 * margin, outer_h + 2.0 * margin
    plates_g = 2.0 * plate_w * plate_h * plate_t * rho
    rod_length = share * cell_thickness_cm + 2.0 * plate_t
    rods_g = cellmod.tie_rod_area_cm2(pressure, area, allowable) * rod_length * rho
    ctx.cite(["Young2012"], "end-plate sizing (Roark)")
    return plate_w, plate_h, plate_t, plates_g, rods_g, share
