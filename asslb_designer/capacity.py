"""Electrode geometry, mass and capacity, for composites and metal foils.

Units (per unit electrode area): thickness um, areal mass mg/cm^2, density g/cm^3,
specific volume cm^3/g, specific capacity mA*h/g, areal capacity mA*h/cm^2.
Every function takes floats or numpy arrays and broadcasts.

A composite electrode of active loading L (active mass per area), mass fractions w_i and
solid densities rho_i, with porosity e, has

    composite mass   M = L / w_active
    thickness        t = M * sum(w_i / rho_i) / (1 - e)
    areal capacity   Q = L * q_active

A coating density D (mass of the coating / its volume) gives the porosity
e = 1 - D * sum(w_i / rho_i).
"""

from __future__ import annotations

import numpy as np

# 1 mg/cm^2 * 1 cm^3/g = 1e-3 cm = 10 um
UM_PER_MG_CM3_PER_G_CM2 = 10.0


def specific_volume(fractions, densities) -> float:
    """sum(w_i / rho_i) in cm^3/g: the solid volume of one gram of composite."""
    return sum(w / rho for w, rho in zip(fractions, densities))


def porosity_from_coating_density(coating_density, solid_specific_volume):
    """e = 1 - D * sum(w_i/rho_i); D in g/cm^3 (coating mass over coating volume)."""
    return 1.0 - coating_density * solid_specific_volume


def composite_mass(loading, active_fraction):
    """M = L / w_active, mg/cm^2."""
    return loading / active_fraction


def composite_thickness_um(mass, solid_specific_volume, porosity):
    """t = M * sum(w_i/rho_i) / (1 - e), in um for M in mg/cm^2."""
    return UM_PER_MG_CM3_PER_G_CM2 * mass * solid_specific_volume / (1.0 - porosity)


def composite_mass_from_thickness(thickness_um, solid_specific_volume, porosity):
    """The inverse of composite_thickness_um: M = t (1 - e) / sum(w_i/rho_i), mg/cm^2."""
    return thickness_um * (1.0 - porosity) / (UM_PER_MG_CM3_PER_G_CM2 * solid_specific_volume)


def areal_capacity(loading, specific_capacity):
    """Q = L * q: mg/cm^2 * mA*h/g * 1e-3 g/mg = mA*h/cm^2."""
    return loading * specific_capacity * 1e-3


def loading_for_capacity(capacity, specific_capacity):
    """L = Q / q, mg/cm^2 for Q in mA*h/cm^2 and q in mA*h/g."""
    return capacity / specific_capacity * 1e3


def volume_fraction(mass, mass_fraction, density, thickness_um):
    """Volume of one component over the whole layer (pores included):
    phi = M * w / rho / t, dimensionless (M mg/cm^2, rho g/cm^3, t um)."""
    return UM_PER_MG_CM3_PER_G_CM2 * mass * mass_fraction / density / thickness_um


def sheet_areal_mass(thickness_um, density, porosity=0.0):
    """Areal mass of a dense or porous sheet: t * rho * (1 - e), mg/cm^2."""
    return thickness_um * density * (1.0 - porosity) / UM_PER_MG_CM3_PER_G_CM2


def sheet_thickness_um(areal_mass, density, porosity=0.0):
    """The inverse of sheet_areal_mass, um."""
    return UM_PER_MG_CM3_PER_G_CM2 * areal_mass / (density * (1.0 - porosity))


def plated_lithium_thickness_um(capacity, lithium_specific_capacity, lithium_density):
    """Thickness of lithium plated by a capacity Q: Q / (q_Li * rho_Li).

    mA*h/cm^2 / (mA*h/g * g/cm^3) = cm; with 3861 mA*h/g and 0.534 g/cm^3 this is
    4.85 um per mA*h/cm^2.
    """
    return capacity / (lithium_specific_capacity * lithium_density) * 1e4


def lithium_available(positive, positive_lithiated: bool, lithium_on_negative, prelithiation):
    """Lithium the cell can cycle, as an areal capacity (mA*h/cm^2):

        Q_Li = Q_pos (if the positive is lithiated as made, else 0)
               + lithium-metal foil on the negative + stated prelithiation
    """
    return (positive if positive_lithiated else 0.0) + lithium_on_negative + prelithiation


def cell_capacity(positive, negative, negative_limits, lithium=None):
    """Areal capacity the cell cycles (before formation loss):

        Q = min(Q_pos, Q_Li[, Q_neg])

    The lithium inventory Q_Li (lithium_available) bounds it: a Li-metal or anode-free
    negative never limits a lithiated positive, but a lithium-free positive (S, MoS2, ...)
    cycles only the lithium of the foil and prelithiation. An intercalation or alloy negative
    (`negative_limits`) bounds it by its own capacity Q_neg.
    """
    q = positive if lithium is None else np.minimum(positive, lithium)
    return np.minimum(q, negative) if negative_limits else q


LIMITING_SIDES = ("positive", "negative", "lithium inventory")


def limiting_side(cycled, positive, negative, negative_limits):
    """Which side sets the cycled capacity, as an index into LIMITING_SIDES (0 positive,
    1 negative, 2 lithium inventory): an int, or an int array for a batch."""
    cycled = np.asarray(cycled)
    at_positive = cycled >= np.asarray(positive) * (1 - 1e-12)
    at_negative = negative_limits & (cycled >= np.asarray(negative) * (1 - 1e-12))
    side = np.where(at_positive, 0, np.where(at_negative, 1, 2)).astype(np.int8)
    return int(side) if side.ndim == 0 else side


def swelling_from_volume_change_um(thickness_um, active_volume_fraction, volume_change):
    """Extra thickness of an electrode whose active material changes volume by dV/V on
    (de)lithiation, the layer growing in thickness only (its area is fixed):

        delta t = t * phi_active * dV/V

    phi_active = the active material's volume / the whole layer (pores included); 1 for a
    dense foil. Full utilisation is assumed, so this is the upper bound of the swing.
    """
    return thickness_um * active_volume_fraction * volume_change


def delivered(capacity, formation_loss):
    """Capacity after formation: built x (1 - loss)."""
    return capacity * (1.0 - formation_loss)
