"""Ionic conductivity at temperature and the area-specific-resistance (ASR) budget.

Units: conductivity S/cm, thickness um, ASR ohm*cm^2, temperature K, activation energy eV.
Every function takes floats or numpy arrays and broadcasts.

    Arrhenius        sigma(T) = sigma_ref * exp(-Ea/k_B * (1/T - 1/T_ref))
    table            ln(sigma) interpolated linearly in 1/T, the end segments extended
    bulk layer       ASR = t / sigma
    composite        ASR = t / (3 sigma_eff),  sigma_eff = sigma * phi^b  (Bruggeman, b = 1.5)
    interface        ASR(T) = ASR_ref * exp(Ea/k_B * (1/T - 1/T_ref))
"""

from __future__ import annotations

import numpy as np

from .units import BOLTZMANN_EV_PER_K

CM_PER_UM = 1e-4


def arrhenius(sigma_ref, activation_energy_eV, reference_K, temperature_K):
    """sigma(T) = sigma_ref * exp(-Ea/k_B * (1/T - 1/T_ref)); S/cm."""
    return sigma_ref * np.exp(-activation_energy_eV / BOLTZMANN_EV_PER_K
                              * (1.0 / temperature_K - 1.0 / reference_K))


def tabulated(temperatures_K, sigmas, temperature_K):
    """Interpolate ln(sigma) linearly in 1/T between tabulated points; outside them, extend
    the first or last segment with its slope (an Arrhenius extrapolation). S/cm."""
    x = 1.0 / np.asarray(temperatures_K, dtype=float)[::-1]   # ascending 1/T
    y = np.log(np.asarray(sigmas, dtype=float))[::-1]
    xq = 1.0 / np.asarray(temperature_K, dtype=float)
    inside = np.interp(xq, x, y)
    low_slope = (y[1] - y[0]) / (x[1] - x[0])
    high_slope = (y[-1] - y[-2]) / (x[-1] - x[-2])
    ln_sigma = np.where(xq < x[0], y[0] + low_slope * (xq - x[0]),
                        np.where(xq > x[-1], y[-1] + high_slope * (xq - x[-1]), inside))
    return np.exp(ln_sigma)


def bruggeman(sigma, volume_fraction, exponent=1.5):
    """Effective conductivity of a phase of volume fraction phi: sigma * phi^b."""
    return sigma * volume_fraction ** exponent


def bulk_asr(thickness_um, sigma):
    """ASR of a layer conducting through its whole thickness: t / sigma, ohm*cm^2."""
    return thickness_um * CM_PER_UM / sigma


def electrode_ionic_asr(thickness_um, sigma_effective):
    """Ionic ASR of a composite electrode with reaction spread through its thickness:
    t / (3 sigma_eff), ohm*cm^2 (the electrode's ionic resistance t/sigma_eff, divided by 3
    for uniform reaction distribution)."""
    return thickness_um * CM_PER_UM / (3.0 * sigma_effective)


def interface_asr(asr_ref, activation_energy_eV, reference_K, temperature_K):
    """ASR(T) = ASR_ref * exp(Ea/k_B * (1/T - 1/T_ref)), ohm*cm^2; Ea = 0: constant."""
    return asr_ref * np.exp(activation_energy_eV / BOLTZMANN_EV_PER_K
                            * (1.0 / temperature_K - 1.0 / reference_K))
