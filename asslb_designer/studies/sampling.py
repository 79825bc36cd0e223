"""How each parameter varies, and the designs a study evaluates, chunk by chunk.

A parameter varies over a grid (start, stop, count, linear or log spacing) or a
distribution (uniform, normal, log-uniform, triangular, or "library": the spread of a
property's cited values). A `Plan` turns the parameters and a sampling method into rows:

- "grid": the full-factorial product of every parameter's grid, the first parameter
  varying slowest (C order); N = product of the counts;
- "random": independent uniform draws u in [0, 1)^d;
- "lhs": Latin hypercube: each parameter's range cut into N equal-probability strata,
  one draw in each, the strata shuffled independently per parameter;
- "sobol": a scrambled Sobol sequence (scipy.stats.qmc; scipy is an optional extra);

and each u is mapped to a value by the distribution's inverse cumulative distribution.
Every chunk is a pure function of (plan, start, stop): the rows do not depend on the chunk
size, the order chunks are computed in, or the machine (the Dask path relies on it), and the
same seed gives the same numbers bit for bit. Values are in the engine's internal units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import NormalDist

import numpy as np

from ..errors import InputError

METHODS = ("grid", "random", "lhs", "sobol")
DISTRIBUTIONS = ("uniform", "normal", "log-uniform", "triangular", "library")
NORMAL_TAIL = 1e-12   # an untruncated normal reaches mean -+ 7.03 std, no further


@dataclass(frozen=True)
class Grid:
    start: float
    stop: float
    count: int
    log: bool = False

    def values(self) -> np.ndarray:
        if self.log:
            return np.geomspace(self.start, self.stop, self.count)
        return np.linspace(self.start, self.stop, self.count)


@dataclass(frozen=True)
class Distribution:
    """A distribution in internal units. `a`, `b`, `c` by name:
    uniform/log-uniform (low, high); normal (mean, std, optionally truncated to
    [low, high]); triangular (low, mode, high); library: log-uniform between the lowest and
    highest cited value (or uniform, `shape`), `values` holding them."""

    name: str
    low: float = math.nan
    high: float = math.nan
    mean: float = math.nan
    std: float = math.nan
    mode: float = math.nan
    shape: str = "log-uniform"
    values: tuple[float, ...] = ()

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """The inverse cumulative distribution at probabilities u (0 <= u < 1)."""
        name = self.name
        if name == "library":
            name = self.shape
        if name == "uniform":
            return self.low + u * (self.high - self.low)
        if name == "log-uniform":
            return np.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        if name == "triangular":
            a, c, b = self.low, self.mode, self.high
            split = (c - a) / (b - a)
            left = a + np.sqrt(u * (b - a) * (c - a))
            right = b - np.sqrt((1 - u) * (b - a) * (b - c))
            return np.where(u < split, left, right)
        if name == "normal":
            dist = NormalDist(self.mean, self.std)
            lo = dist.cdf(self.low) if math.isfinite(self.low) else 0.0
            hi = dist.cdf(self.high) if math.isfinite(self.high) else 1.0
            # u = 0 can be drawn: keep p off 0 and 1, where the quantile is infinite
            p = np.clip(lo + u * (hi - lo), NORMAL_TAIL, 1.0 - NORMAL_TAIL)
            return self.mean + self.std * standard_normal_ppf(p)
        raise ValueError(name)


def standard_normal_ppf(p: np.ndarray) -> np.ndarray:
    """Inverse of the standard normal CDF: scipy.special.ndtri when scipy is installed,
    otherwise the standard library's NormalDist, element by element (slower, same values
    to a few ulp)."""
    p = np.asarray(p, dtype=float)
    try:
        from scipy.special import ndtri
    except ImportError:
        inv = NormalDist().inv_cdf
        flat = [inv(x) if 0.0 < x < 1.0 else (-math.inf if x <= 0 else math.inf)
                for x in p.ravel()]
        return np.asarray(flat, dtype=float).reshape(p.shape)
    return ndtri(p)


@dataclass(frozen=True)
class Varied:
    """One varied parameter: the key as the user wrote it, and how it varies."""

    key: str
    how: Grid | Distribution
    origin: str = ""      # where it was stated: "--vary", "parameter[2]", "library spread"


@dataclass(frozen=True)
class Plan:
    """The rows of a study: `size` designs, produced by `rows(start, stop)`."""

    varied: tuple[Varied, ...]
    method: str = "grid"
    n: int = 0            # sampled methods: the number of designs
    seed: int = 0
    counts: tuple[int, ...] = field(default=(), init=False)

    def __post_init__(self):
        if self.method == "grid":
            object.__setattr__(self, "counts", tuple(v.how.count for v in self.varied))

    @property
    def size(self) -> int:
        if self.method == "grid":
            return math.prod(self.counts) if self.counts else 1
        return self.n

    def rows(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Values of every varied key for rows start..stop-1 (internal units)."""
        stop = min(stop, self.size)
        if self.method == "grid":
            index = np.unravel_index(np.arange(start, stop), self.counts)
            return {v.key: v.how.values()[i] for v, i in zip(self.varied, index)}
        u = unit_sample(self.method, len(self.varied), self.n, self.seed, start, stop)
        return {v.key: v.how.ppf(u[:, j]) for j, v in enumerate(self.varied)}


CHUNK_RNG = 1 << 16   # rows per generator block of the random method (a fixed size, so
                      # rows never depend on the chunk size a run uses)


def unit_sample(method: str, d: int, n: int, seed: int, start: int, stop: int) -> np.ndarray:
    """Rows start..stop-1 of an (n, d) sample of [0, 1)^d, reproducible from the seed."""
    if method == "random":
        return _uniform_rows(d, n, seed, 1, start, stop)
    if method == "lhs":
        # the stratum of each row, plus where in its stratum the row falls
        return (_lhs_strata(d, n, seed)[start:stop]
                + _uniform_rows(d, n, seed, 2, start, stop)) / n
    if method == "sobol":
        try:
            from scipy.stats import qmc
        except ImportError:
            raise InputError(None, "sampling", "the Sobol sequence needs scipy (pip install "
                             "'asslb-designer[studies]'); or use lhs or random") from None
        import warnings
        engine = qmc.Sobol(d, scramble=True, seed=seed)
        if start:
            engine.fast_forward(start)
        with warnings.catch_warnings():   # balance wants n a power of 2: said in the README
            warnings.simplefilter("ignore", UserWarning)
            return engine.random(stop - start)
    raise ValueError(method)


def _uniform_rows(d: int, n: int, seed: int, stream: int, start: int, stop: int) -> np.ndarray:
    """Rows start..stop-1 of n independent uniform draws in [0, 1)^d, generated in fixed
    blocks of CHUNK_RNG rows, each block from its own generator seeded (seed, stream, block)."""
    parts = []
    for b in range(start // CHUNK_RNG, (stop - 1) // CHUNK_RNG + 1):
        rng = np.random.default_rng([seed, stream, b])
        block = rng.random((min(CHUNK_RNG, n - b * CHUNK_RNG), d))
        parts.append(block[max(start - b * CHUNK_RNG, 0):min(stop - b * CHUNK_RNG, CHUNK_RNG)])
    return np.concatenate(parts) if parts else np.empty((0, d))


@lru_cache(maxsize=2)
def _lhs_strata(d: int, n: int, seed: int) -> np.ndarray:
    """The stratum index of every row and parameter: one permutation of 0..n-1 per
    parameter (held in memory: 8 bytes x n x d; for more than ~10^7 designs use random
    or sobol)."""
    rng = np.random.default_rng([seed, 0])
    strata = np.empty((n, d))
    for j in range(d):
        strata[:, j] = rng.permutation(n)
    strata.flags.writeable = False
    return strata


def check_method(method, key: str, file: str | None) -> str:
    if method not in METHODS:
        from ..errors import did_you_mean
        raise InputError(file, key, f"unknown sampling {method!r}; one of "
                         f"{', '.join(METHODS)}" + did_you_mean(str(method), METHODS))
    return method
