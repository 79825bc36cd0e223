"""Study throughput: prints its figures; not a test (timings belong here, not in pytest).

    python benchmarks/bench_sweep.py [--n 10000000] [--chunk 50000] [--design FILE]
                                     [--skip-dask] [--out DIR]

A random study of N designs (five inputs: Li, interlayer and separator thickness, cathode
loading, temperature), every metric the design gives, run through the study engine
(asslb_designer.studies.sweep.run) and measured as:

1. designs/s evaluated (no output);
2. designs/s written to Parquet, and the Parquet writer alone writing tables of the same
   shape and values (the limit: goal within 1.5x of it);
3. the same for CSV;
4. peak memory (max resident set) of the process after those runs (goal < 500 MB
   whatever N: one chunk in memory at a time);
5. the same study on a local Dask cluster of 2 worker processes, evaluated and written to
   Parquet.

"The writer alone" writes the study's first chunks (evaluated beforehand, held in memory)
over and over until it has written N rows, so it sees the same columns and values without
the evaluation.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from asslb_designer import load_design  # noqa: E402
from asslb_designer.materials import default_library  # noqa: E402
from asslb_designer.studies.sampling import Distribution, Plan, Varied  # noqa: E402
from asslb_designer.studies.sweep import Study, available_metrics, evaluate_rows, run  # noqa: E402
from asslb_designer.studies.writers import CSVWriter, ParquetWriter  # noqa: E402

DEFAULT_DESIGN = ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"
INPUTS = [  # key, low, high (internal units)
    ("anode.thickness", 5.0, 50.0),            # um
    ("interlayer.thickness", 0.1, 5.0),        # um
    ("separator.thickness", 10.0, 100.0),      # um
    ("cathode.loading", 5.0, 40.0),            # mg/cm^2
    ("cell.temperature", 273.15, 353.15),      # K
]


def make_study(n: int, chunk: int, design_path: Path) -> Study:
    design = load_design(design_path)
    library = design.library(default_library())
    varied = tuple(Varied(k, Distribution("uniform", low=lo, high=hi)) for k, lo, hi in INPUTS)
    return Study(design, library, Plan(varied, "random", n, seed=0),
                 available_metrics(design, library), chunk=chunk)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def writer_alone(make_writer, tables: list[dict], n: int) -> float:
    """Seconds for the writer to write n rows from `tables` (cycled), nothing else."""
    writer = make_writer()
    start = time.perf_counter()
    done, i = 0, 0
    while done < n:
        table = tables[i % len(tables)]
        rows = min(len(next(iter(table.values()))), n - done)
        if rows < len(next(iter(table.values()))):
            table = {c: v[:rows] for c, v in table.items()}
        writer.write(table)
        done += rows
        i += 1
    writer.close()
    return time.perf_counter() - start


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:>12,.0f} designs/s ({seconds:.2f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000_000)
    parser.add_argument("--chunk", type=int, default=50_000)
    parser.add_argument("--design", type=Path, default=DEFAULT_DESIGN)
    parser.add_argument("--skip-dask", action="store_true", help="leave out the Dask figure")
    parser.add_argument("--out", type=Path, default=None, help="folder for the output files "
                        "(default: a temporary folder, removed after)")
    args = parser.parse_args()

    study = make_study(args.n, args.chunk, args.design)
    columns = study.columns()
    evaluate_rows(study, 0, min(args.chunk, args.n))   # warm: library, unit conversions
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        print(f"design: {args.design.name}; {args.n:,} designs, {len(columns)} columns "
              f"({len(study.metrics)} metrics), chunks of {args.chunk:,}")

        t_eval = timed(lambda: run(study, None, progress=False))
        print(f"evaluated:                 {rate(args.n, t_eval)}")

        have_arrow = True
        try:   # imported before timing: the import is not the writer's speed
            import pyarrow.csv  # noqa: F401
            import pyarrow.parquet  # noqa: F401
        except ImportError:
            have_arrow = False
        if have_arrow:
            pq_path = out / "study.parquet"
            t_pq = timed(lambda: run(study, ParquetWriter(pq_path, columns, study.column_types()),
                                     progress=False))
            print(f"evaluated + Parquet:       {rate(args.n, t_pq)}   "
                  f"{pq_path.stat().st_size / 1e6:,.0f} MB")
        csv_path = out / "study.csv"
        t_csv = timed(lambda: run(study, CSVWriter(csv_path, columns), progress=False))
        print(f"evaluated + CSV:           {rate(args.n, t_csv)}   "
              f"{csv_path.stat().st_size / 1e6:,.0f} MB")
        print(f"peak memory (max RSS) after the study runs: {peak_mb():,.0f} MB (goal < 500 MB)")

        # the writers alone on tables of the same shape and values
        tables = [evaluate_rows(study, s, e)[0] for s, e in study.chunks()[:4]]
        if have_arrow:
            w_pq = writer_alone(lambda: ParquetWriter(out / "alone.parquet", columns,
                                                      study.column_types()), tables, args.n)
            print(f"Parquet writer alone:      {rate(args.n, w_pq)}   study/writer = "
                  f"{t_pq / w_pq:.2f}x (goal within 1.5x)")
        w_csv = writer_alone(lambda: CSVWriter(out / "alone.csv", columns), tables, args.n)
        print(f"CSV writer alone:          {rate(args.n, w_csv)}   study/writer = "
              f"{t_csv / w_csv:.2f}x (goal within 1.5x)")
        del tables

        if args.skip_dask:
            return
        try:
            from asslb_designer.studies.cluster import DaskExecutor
            import distributed  # noqa: F401
        except ImportError:
            print("Dask: not installed (pip install 'asslb-designer[studies]')")
            return
        start = time.perf_counter()
        executor = DaskExecutor(workers=2)
        t_start = time.perf_counter() - start
        try:
            t_dask = timed(lambda: run(study, None, executor, progress=False))
            print(f"local Dask cluster, 2 workers, evaluated:           "
                  f"{rate(args.n, t_dask)}  (cluster start {t_start:.1f} s)")
            if have_arrow:
                t_dask_pq = timed(lambda: run(
                    study, ParquetWriter(out / "dask.parquet", columns, study.column_types()),
                    executor, progress=False))
                print(f"local Dask cluster, 2 workers, evaluated + Parquet: "
                      f"{rate(args.n, t_dask_pq)}")
        finally:
            executor.close()


if __name__ == "__main__":
    main()
