"""The study commands of the command line (registered in cli.py): params, sweep, study,
mc, sensitivity, solve, pareto. Each reads its arguments, runs the engine's study code and
prints; bad input is an InputError (one line, exit 2)."""

from __future__ import annotations

import json
import sys
import time

from ..errors import InputError


def _library():
    from ..materials import default_library
    return default_library()


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def cmd_params(args) -> int:
    from ..design_file import load_design
    from .params import parameters, parameters_text
    design = load_design(args.design)
    found = parameters(design, _library())
    if args.json:
        print(json.dumps([p.to_dict() for p in found], indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(parameters_text(found))
    return 0


def _run_to_file(study, out, workers, scheduler, progress, on_chunk=None):
    """Run a study into the file `out` (None: no file); the exit status and the report."""
    from .cluster import executor_for
    from .sweep import run
    from .writers import open_writer, output_format
    from .sweep import check_ranges
    if out is not None:
        output_format(out)
    check_ranges(study)
    executor = executor_for(workers, scheduler)
    if executor is not None:
        _say(f"evaluating on {executor.describe()}")
    writer = open_writer(out, study.columns(), study.column_types()) if out else None
    started = time.perf_counter()
    try:
        report = run(study, writer, executor, on_chunk, progress)
    finally:
        if executor is not None:
            executor.close()
    seconds = time.perf_counter() - started
    for w in report.warnings:
        _say(f"warning: {w}")
    where = f" to {out}" if out else ""
    if report.interrupted:
        _say(f"interrupted: {report.rows:,} of {report.total:,} designs written{where}")
        return 130, report
    _say(f"{report.rows:,} designs evaluated{where} in {seconds:.1f} s")
    return 0, report


def _chunk(n):
    if n is not None and n < 1:
        raise InputError(None, "--chunk", f"must be a whole number >= 1, got {n}")
    return n


def _add_constraints(study, texts):
    from .constraints import parse_constraint
    for i, text in enumerate(texts or ()):
        c = parse_constraint(text, None, "--constraint")
        study.constraints.append(c)
        if c.metric not in study.metrics:
            study.metrics.append(c.metric)


def cmd_sweep(args) -> int:
    from ..design_file import load_design
    from .sampling import Plan
    from .study_file import grid_from_spec
    from .sweep import DEFAULT_CHUNK, Study, check_metrics
    design = load_design(args.design)
    library = design.library(_library())
    logs = set(args.log or ())
    varied = [grid_from_spec(design, spec, logs) for spec in args.vary]
    unknown = logs - {v.key for v in varied}
    if unknown:
        raise InputError(None, "--log", f"{sorted(unknown)[0]} is not one of the --vary keys")
    metrics = check_metrics(args.metrics, design, library, None, "--metrics")
    study = Study(design, library, Plan(tuple(varied), "grid"), metrics,
                  chunk=_chunk(args.chunk) or DEFAULT_CHUNK)
    _add_constraints(study, args.constraint)
    status, _ = _run_to_file(study, args.output, args.workers, args.scheduler, args.progress)
    return status


def cmd_study(args) -> int:
    from .study_file import load_study
    study = load_study(args.study, _library())
    if study.sensitivity is not None:
        return _sensitivity_study(study, args)
    if args.chunk:
        study.chunk = _chunk(args.chunk)
    keep = study.plan.method != "grid" or study.objectives or args.summary
    if not keep and not args.output:
        raise InputError(args.study, None, "a grid study writes its rows: give -o FILE "
                         "(.csv or .parquet), or --summary")
    collected = Collector(study) if keep else None
    status, report = _run_to_file(study, args.output, args.workers, args.scheduler,
                                  args.progress, collected.add if collected else None)
    if collected is not None and report.rows:
        from .montecarlo import summary_text, summarize
        table = collected.table()
        print(summary_text(summarize(study, table)))
        if study.objectives:
            _show_front(study, table, args.front)
    return status


def cmd_mc(args) -> int:
    from ..design_file import load_design
    from .constraints import parse_constraint
    from .montecarlo import monte_carlo_study, run_monte_carlo, summary_text
    from .sampling import check_method
    from .study_file import distribution_from_spec
    design = load_design(args.design)
    library = design.library(_library())
    if args.n < 1:
        raise InputError(None, "--n", f"must be a whole number >= 1, got {args.n}")
    method = check_method(args.sampling, "--sampling", None)
    if method == "grid":
        raise InputError(None, "--sampling", "Monte Carlo samples: lhs, sobol or random")
    varied = [distribution_from_spec(design, library, spec) for spec in args.dist or ()]
    constraints = [parse_constraint(c, None, "--constraint") for c in args.constraint or ()]
    study = monte_carlo_study(design, library, varied, args.n, args.seed, method,
                              args.metrics or (), constraints, not args.no_library_spread,
                              _chunk(args.chunk))
    if args.samples:
        from .writers import output_format
        output_format(args.samples)
    summary, interrupted = run_monte_carlo(study, args.samples, args.workers, args.scheduler,
                                           args.progress)
    for w in summary.warnings:
        _say(f"warning: {w}")
    if args.json:
        print(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(summary_text(summary))
    if interrupted:
        _say(f"interrupted: the summary covers the {summary.samples:,} designs done")
        return 130
    return 0


def sampled_ranges(design, library, ranges, logs, dists):
    """--vary KEY=LOW:HIGH (uniform, log-uniform with --log KEY) and --dist specs."""
    from .sampling import Distribution, Varied
    from .study_file import check_distribution, distribution_from_spec, grid_from_spec
    varied = []
    for spec in ranges or ():
        grid = grid_from_spec(design, spec, logs, need_count=False)
        name = "log-uniform" if grid.how.log else "uniform"
        low, high = sorted((grid.how.start, grid.how.stop))
        varied.append(Varied(grid.key, check_distribution(Distribution(name, low=low, high=high),
                                                          None, "--vary"), "--vary"))
    varied += [distribution_from_spec(design, library, spec) for spec in dists or ()]
    if not varied:
        raise InputError(None, "--vary", "give the ranges to sample: --vary KEY=LOW:HIGH")
    return varied


def cmd_pareto(args) -> int:
    from ..design_file import load_design
    from .sampling import Plan, check_method
    from .study_file import parse_objectives
    from .sweep import Study, check_metrics
    design = load_design(args.design)
    library = design.library(_library())
    method = check_method(args.sampling, "--sampling", None)
    if method == "grid":
        raise InputError(None, "--sampling", "the front is found over samples: lhs, sobol or "
                         "random")
    varied = sampled_ranges(design, library, args.vary, set(args.log or ()), args.dist)
    objectives = parse_objectives(args.objectives, None, "--objectives")
    metrics = check_metrics([m for _, m in objectives], design, library, None, "--objectives")
    study = Study(design, library, Plan(tuple(varied), method, args.n, args.seed), metrics,
                  objectives=objectives)
    _add_constraints(study, args.constraint)
    collected = Collector(study)
    status, report = _run_to_file(study, None, args.workers, args.scheduler, args.progress,
                                  collected.add)
    if report.rows:
        _show_front(study, collected.table(), args.output)
    return status


def _show_front(study, table, path) -> None:
    """Print the study's Pareto front; with `path`, write its designs as CSV too."""
    from .pareto import front_of_study, front_text
    front = front_of_study(study, table)
    print(front_text(front))
    if path:
        front.write(path)


def cmd_sensitivity(args) -> int:
    from ..design_file import load_design
    from .sensitivity import Sensitivity, run_sensitivity
    design = load_design(args.design)
    library = design.library(_library())
    if args.sobol is not None and args.sobol < 2:
        raise InputError(None, "--sobol", f"N must be a whole number >= 2, got {args.sobol}")
    spec = Sensitivity(tuple(args.metrics or ()), tuple(args.keys) if args.keys else None,
                       args.step, args.top, args.sobol or 0, args.sobol_top, args.seed,
                       args.range)
    el, found = run_sensitivity(design, library, spec)
    _print_sensitivity(el, found, spec.top, args.json)
    return 0


def _sensitivity_study(study, args) -> int:
    """A study of [sensitivity]: the ranked elasticities (and Sobol indices) printed; with
    -o FILE.csv also the whole ranked table."""
    from .sensitivity import run_sensitivity, write_elasticities
    if args.output is not None and not str(args.output).lower().endswith(".csv"):
        raise InputError(None, "-o", f"{args.output!r}: a sensitivity study writes its "
                         "elasticities table as a .csv file")
    el, found = run_sensitivity(study.design, study.library, study.sensitivity, study.file,
                                "sensitivity.sobol")
    _print_sensitivity(el, found, study.sensitivity.top, False)
    if args.output is not None:
        write_elasticities(el, args.output)
        _say(f"{len(el.keys)} inputs x {len(el.metrics)} metrics written to {args.output}")
    return 0


def _print_sensitivity(el, found, top: int, as_json: bool) -> None:
    from .sensitivity import elasticities_text, sobol_text
    if as_json:
        out = {"elasticities": el.to_dict(top)}
        if found is not None:
            out["sobol"] = found
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return
    sys.stdout.write(elasticities_text(el, top))
    if found is not None:
        print()
        sys.stdout.write(sobol_text(found))


def cmd_solve(args) -> int:
    from ..design_file import load_design
    from .inverse import parse_target, solve
    from .study_file import grid_from_spec
    design = load_design(args.design)
    library = design.library(_library())
    rng = grid_from_spec(design, args.vary, need_count=False)
    metric, target = parse_target(args.target)
    low, high = sorted((rng.how.start, rng.how.stop))
    found = solve(design, library, rng.key, metric, target, low, high, args.points,
                  args.method)
    if args.json:
        print(json.dumps({"key": found.key, "unit": found.unit, "metric": metric,
                          "target": target, "solutions": found.roots,
                          "achieved": found.achieved, "method": found.method}, indent=2))
    else:
        sys.stdout.write(found.text())
    return 0


class Collector:
    """Keeps the columns of every chunk that summaries and fronts need (the metrics and the
    constraint flag; every column when there is a front to write): memory grows as
    8 bytes x designs x those columns."""

    def __init__(self, study):
        from .params import metric_column
        from .sweep import FLAG
        self.study = study
        self.parts = []
        self.keep = None if study.objectives else \
            {metric_column(m) for m in study.metrics} | {FLAG}

    def add(self, table):
        if self.keep is not None:
            table = {c: v for c, v in table.items() if c in self.keep}
        self.parts.append(table)

    def table(self):
        import numpy as np
        if not self.parts:
            return {}
        return {c: np.concatenate([p[c] for p in self.parts]) for c in self.parts[0]}
