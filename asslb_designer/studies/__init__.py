"""Trade-off studies at scale: parameters, sampling, sweeps, Monte Carlo, sensitivity,
inverse design, Pareto fronts, and the same chunked study on a Dask cluster.

Every study evaluates its designs in chunks through the engine's one vectorized path
(`Design.with_values` with arrays, then `evaluate`), so memory stays flat whatever the
number of designs. Optional extras (scipy, SALib, pyarrow, dask, tqdm) are imported only
inside the functions that need them; without them everything else works.
"""
