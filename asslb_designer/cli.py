"""The `asslb-designer` command line.

    asslb-designer evaluate DESIGN.toml [--json | --csv]
    asslb-designer materials list [--kind K] [--json]
    asslb-designer materials show ID [--json]
    asslb-designer materials validate
    asslb-designer validate FILE          (a design, a study or a library file)
    asslb-designer compare A.toml B.toml  (side by side; where the cell Wh/kg goes)
    asslb-designer validation             (published calculations reproduced)
    asslb-designer new OUT.toml [--example NAME] [--force]
    asslb-designer gui [DESIGN] [--screenshot OUT.png [--tab NAME] [--size WxH]]
    asslb-designer params DESIGN [--json] (every number a study may vary)
    asslb-designer sweep DESIGN --vary KEY=START:STOP:N ... -o out.csv|out.parquet
    asslb-designer study STUDY.toml [-o ...]   mc DESIGN   sensitivity DESIGN
    asslb-designer solve DESIGN --vary KEY=LOW:HIGH --target METRIC=VALUE
    asslb-designer pareto DESIGN --vary KEY=LOW:HIGH ... --objectives "max M" "min M"
    asslb-designer --version

Exit status: 0 success, 2 bad input (one line on stderr: file, key, reason), 1 an internal
failure (one line; ASSLB_DESIGNER_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .errors import InputError, one_line


def _warn(text) -> None:
    print(f"warning: {one_line(text)}", file=sys.stderr)


def _write(text: str) -> None:
    """Text output line by line, each line with any control character of the input escaped
    (a name holding ESC cannot drive the terminal)."""
    sys.stdout.write("".join(one_line(line) + "\n" for line in text.splitlines()))


def _dumps(data) -> str:
    """JSON that is valid JSON: a NaN or infinity is a bug, never a token in the output."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)


def _library():
    from .materials import default_library, user_library_problem
    problem = user_library_problem()
    if problem is not None:
        _warn(problem)
    return default_library()


def cmd_evaluate(args) -> int:
    from .design_file import load_design
    from .evaluation import evaluate
    from .report import evaluation_text
    design = load_design(args.design)
    result = evaluate(design, _library())
    if args.json:
        print(_dumps(result.to_dict()))
    elif args.csv:
        sys.stdout.write(result.to_csv())     # data: CSV quotes what it holds
    else:
        _write(evaluation_text(result, design))
    return 0


def cmd_materials_list(args) -> int:
    from .materials import KINDS
    library = _library()
    if args.kind and args.kind not in KINDS:
        from .errors import did_you_mean
        raise InputError(None, "--kind", f"unknown kind {args.kind!r}; one of "
                         f"{', '.join(KINDS)}" + did_you_mean(args.kind, KINDS))
    materials = library.by_kind(args.kind)
    if args.json:
        print(_dumps([{"id": m.id, "name": m.name, "kind": m.kind, "class": m.family,
                       "aliases": list(m.aliases)} for m in materials]))
        return 0
    width = max((len(m.id) for m in materials), default=2)
    kind_width = max((len(m.kind) for m in materials), default=4)
    for m in materials:
        _write(f"{m.id.ljust(width)}  {m.kind.ljust(kind_width)}  {m.name}")
    return 0


def cmd_materials_show(args) -> int:
    from .report import material_dict, material_text
    library = _library()
    m = library.get(args.id, None, "materials show")
    if args.json:
        print(_dumps(material_dict(m)))
    else:
        _write(material_text(m, library.references))
        pairs = [i for i in library.interfaces
                 if m.id.lower() in (i.between[0].lower(), i.between[1].lower())]
        for i in pairs:
            for what, v in (("", i.preferred_asr()), ("critical current density ",
                                                      i.preferred_ccd())):
                if v is not None:
                    _write(f"  interface {i.between[0]}|{i.between[1]}: {what}{v.written}"
                           f"   [{', '.join(v.source)}]")
    return 0


def _print_report(report, what: str) -> int:
    for w in report.warnings:
        _warn(w)
    for e in report.errors:
        print(f"error: {one_line(e)}", file=sys.stderr)
    if report.errors:
        print(f"{what}: {len(report.errors)} error(s), {len(report.warnings)} warning(s)",
              file=sys.stderr)
        return 2
    print(f"{what}: ok ({report.materials} materials, {report.interfaces} interfaces, "
          f"{report.references} references; {len(report.warnings)} warning(s))")
    return 0


def cmd_materials_validate(args) -> int:
    from .library_check import check_builtin
    from .materials import user_library_problem
    report = check_builtin()
    problem = user_library_problem()
    if problem is not None:      # here the user asked for a check: a missing file is an error
        report.errors.append(problem)
    return _print_report(report, "materials library")


LIBRARY_TABLES = ("material", "interface", "references")


def cmd_validate(args) -> int:
    from . import toml_input
    path = Path(args.file)
    data = toml_input.load(path)
    if is_study(data):
        return validate_study(path)
    if "layer" in data or "cell" in data:
        from .design_file import design_from_dict
        from .evaluation import evaluate
        design = design_from_dict(data, str(path))
        result = evaluate(design, _library())   # resolves every material name
        for w in result.warnings:
            _warn(w)
        print(one_line(f"{path}: ok (design {design.name!r}, {len(design.layers)} layers)"))
        return 0
    if not any(k in data for k in LIBRARY_TABLES):
        raise InputError(str(path), None, "neither a design (it has no [[layer]] or [cell]) "
                         "nor a library file (no [[material]], [[interface]] or [references])"
                         + (": it holds no keys" if not data else ""))
    from .library_check import check_files
    from .materials import builtin_files, builtin_library
    builtin = {p.resolve() for p in builtin_files()}
    if path.resolve() in builtin:
        from .library_check import check_builtin
        return _print_report(check_builtin(include_user=False), str(path))
    report = check_files([path], builtin_library(), require_reference_ids=False)
    return _print_report(report, str(path))


def is_study(data: dict) -> bool:
    """A study file: its schema says so, or it names a design (designs and library files
    have no `design` key)."""
    from .studies.study_file import SCHEMA
    schema = data.get("schema")
    return (isinstance(schema, str) and schema.startswith("asslb-designer/study")) or \
        (schema is None and "design" in data)


def validate_study(path: Path) -> int:
    """Check a study file and the design it names as `study` would, without running it:
    every problem one InputError line (exit 2)."""
    from .studies.study_file import load_study
    from .studies.sweep import check_ranges
    from .evaluation import evaluate
    study = load_study(path, _library())
    check_ranges(study)
    for w in evaluate(study.design, study.library).warnings:
        _warn(w)
    if study.sensitivity is not None:
        spec = study.sensitivity
        if spec.sobol_n:
            from .studies.sensitivity import need_salib
            need_salib(str(path), "sensitivity.sobol")
        what = (f"sensitivity of {len(study.metrics)} metric(s) to "
                + ("every input" if spec.keys is None else f"{len(spec.keys)} input(s)")
                + (f", Sobol indices of the top {spec.sobol_top}" if spec.sobol_n else ""))
    else:
        what = (f"{study.plan.method} of {study.plan.size:,} designs over "
                f"{len(study.keys)} parameter(s)")
    print(one_line(f"{path}: ok (study {study.name!r}: {what}; design "
                   f"{study.design.name!r}, {os.path.normpath(study.design.file)})"))
    return 0


def cmd_compare(args) -> int:
    from .compare import comparison_text
    from .design_file import load_design
    from .evaluation import evaluate
    library = _library()
    a = evaluate(load_design(args.a), library)
    b = evaluate(load_design(args.b), library)
    _write(comparison_text(a, b))
    return 0


def cmd_validation(args) -> int:
    from .published import check, load_cases, validation_text
    if args.json:
        rows = []
        for case in load_cases():
            found, _ = check(case, _library())
            rows += [{"case": r.case, "source": r.source, "metric": r.metric, "unit": r.unit,
                      "published": r.published, "printed": r.printed, "ours": r.ours,
                      "difference": r.difference, "ok": r.ok} for r in found]
        print(_dumps(rows))
    else:
        _write(validation_text(_library()))
    return 0


def examples_dir() -> Path | None:
    """The example designs of a checkout (examples/ beside the package)."""
    here = Path(__file__).resolve().parent.parent / "examples"
    return here if here.is_dir() else None


def cmd_new(args) -> int:
    from .design_file import load_design, save_design
    from .edits import new_design
    out = Path(args.out)
    if out.exists() and not args.force:
        raise InputError(str(out), None, "exists already (use --force to replace it)")
    if args.example:
        folder = examples_dir()
        names = sorted(p.stem for p in folder.glob("*.toml")) if folder else []
        if args.example not in names:
            from .errors import did_you_mean
            raise InputError(None, "--example", f"no example {args.example!r}; one of "
                             f"{', '.join(names) or '(none in this installation)'}"
                             + did_you_mean(args.example, names))
        design = load_design(folder / f"{args.example}.toml")
    else:
        design = new_design()
    save_design(design, out)
    print(f"{out}: written ({design.name!r}, {len(design.layers)} layers)")
    return 0


def cmd_gui(args) -> int:
    # Qt is imported here only, so every other command starts without it
    from .ui.app import run
    return run(args.design, screenshot=args.screenshot, tab=args.tab, size=args.size)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asslb-designer",
        description="Cell design and energy density of all-solid-state lithium batteries.")
    parser.add_argument("--version", action="version", version=f"asslb-designer {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("evaluate", help="evaluate a design file")
    p.add_argument("design", help="design file (TOML)")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print the result as JSON")
    fmt.add_argument("--csv", action="store_true", help="print the metrics as CSV")
    p.set_defaults(func=cmd_evaluate)

    m = sub.add_parser("materials", help="browse and check the materials library")
    msub = m.add_subparsers(dest="materials_command", required=True)
    p = msub.add_parser("list", help="list materials")
    p.add_argument("--kind", help="only this kind (e.g. solid_electrolyte)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_materials_list)
    p = msub.add_parser("show", help="show one material with values, units and sources")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_materials_show)
    p = msub.add_parser("validate", help="check the whole library (and the user library)")
    p.set_defaults(func=cmd_materials_validate)

    p = sub.add_parser("validate", help="check a design, study or library file")
    p.add_argument("file")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("compare", help="two designs side by side")
    p.add_argument("a", help="design A (TOML)")
    p.add_argument("b", help="design B (TOML)")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("new", help="write a new design file (a starting design, or an example)")
    p.add_argument("out", help="the design file to write (TOML)")
    p.add_argument("--example", help="start from this example (e.g. nmc811-lpscl-li-pouch-hbn)")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("gui", help="open the desktop app")
    p.add_argument("design", nargs="?", help="design file to open")
    p.add_argument("--screenshot", metavar="OUT.png",
                   help="render the window offscreen to a PNG and exit")
    p.add_argument("--tab", help="the tab to show (with --screenshot), e.g. Stack")
    p.add_argument("--size", default="1280x800", help="window size WxH (default 1280x800)")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("validation", help="reproduce the published cell calculations")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_validation)
    for register in STUDY_COMMANDS:
        register(sub)
    return parser


# ------------------------------------------------------------------ trade-off studies
# (asslb_designer/studies; the commands' code is in studies/commands.py)

def _study(name: str):
    def run(args):
        from .studies import commands
        return getattr(commands, f"cmd_{name}")(args)
    return run


def _run_options(p, output_required: bool) -> None:
    p.add_argument("-o", "--output", required=output_required,
                   help="write one row per design: a .csv, or a .parquet file (needs pyarrow)")
    p.add_argument("--workers", type=int, help="evaluate on N local worker processes "
                   "(a local Dask cluster when dask is installed)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="evaluate on an existing Dask cluster, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--chunk", type=int, default=None,
                   help="designs per evaluated chunk (default 50000)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="a progress bar on stderr (default: when stderr is a terminal)")


def register_params(sub) -> None:
    p = sub.add_parser("params", help="every number of a design a study may vary")
    p.add_argument("design", help="design file (TOML)")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=_study("params"))


def register_sweep(sub) -> None:
    p = sub.add_parser("sweep", help="a full-factorial grid of designs, streamed to a file")
    p.add_argument("design", help="design file (TOML)")
    p.add_argument("--vary", action="append", required=True, metavar="KEY=START:STOP:N",
                   help='e.g. "separator.thickness=10 um:100 um:10" (repeat for more keys)')
    p.add_argument("--log", action="append", metavar="KEY", help="space KEY's grid in log")
    p.add_argument("--metrics", nargs="+", metavar="M", help="metrics to keep (default: all)")
    p.add_argument("--constraint", action="append", metavar="'M >= V UNIT'",
                   help='e.g. "voltage_loss <= 50 mV": adds a meets_constraints column')
    _run_options(p, output_required=True)
    p.set_defaults(func=_study("sweep"))


def register_study(sub) -> None:
    p = sub.add_parser("study", help="run a study file (grid or sampled)")
    p.add_argument("study", help="study file (TOML)")
    _run_options(p, output_required=False)
    p.add_argument("--summary", action="store_true",
                   help="print percentiles and constraint probabilities (sampled: always; "
                   "holds the metrics of every design in memory)")
    p.add_argument("--front", metavar="FILE", help="write the Pareto front (.csv) when the "
                   "study has [pareto] objectives")
    p.set_defaults(func=_study("study"))


def register_mc(sub) -> None:
    p = sub.add_parser("mc", help="Monte Carlo: percentiles of every metric over the "
                       "uncertain inputs (by default the library's spread of cited values)")
    p.add_argument("design", help="design file (TOML)")
    p.add_argument("--dist", action="append", metavar="KEY=DIST:...",
                   help='e.g. "material.LLZO.ionic_conductivity=log-uniform:1e-4 S/cm:1e-3 S/cm"; '
                   "DIST: uniform:LOW:HIGH, log-uniform:LOW:HIGH, normal:MEAN:STD[:LOW:HIGH], "
                   "triangular:LOW:MODE:HIGH, library")
    p.add_argument("--no-library-spread", action="store_true",
                   help="vary only the --dist keys, not every property with cited spread")
    p.add_argument("--n", type=int, default=10_000, help="designs to sample (default 10000)")
    p.add_argument("--seed", type=int, default=0, help="the same seed gives the same numbers")
    p.add_argument("--sampling", default="lhs", help="lhs (default), sobol or random")
    p.add_argument("--metrics", nargs="+", metavar="M", help="metrics to keep (default: all)")
    p.add_argument("--constraint", action="append", metavar="'M >= V UNIT'",
                   help="print the probability of meeting it")
    p.add_argument("--samples", metavar="FILE", help="also write every sample (.csv, .parquet)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--workers", type=int, help="evaluate on N local worker processes")
    p.add_argument("--scheduler", metavar="ADDRESS", help="evaluate on a Dask cluster")
    p.add_argument("--chunk", type=int, default=None, help="designs per evaluated chunk")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)
    p.set_defaults(func=_study("mc"))


def register_pareto(sub) -> None:
    p = sub.add_parser("pareto", help="the Pareto front of 2-3 metrics over sampled designs")
    p.add_argument("design", help="design file (TOML)")
    p.add_argument("--vary", action="append", metavar="KEY=LOW:HIGH",
                   help='a range sampled uniformly, e.g. "cathode.loading=10 mg/cm^2:35 mg/cm^2"')
    p.add_argument("--log", action="append", metavar="KEY", help="sample KEY's range in log")
    p.add_argument("--dist", action="append", metavar="KEY=DIST:...", help="as for mc")
    p.add_argument("--objectives", nargs="+", required=True, metavar="'max|min METRIC'",
                   help='2 or 3, e.g. "max specific_energy_cell" "min voltage_loss"')
    p.add_argument("--constraint", action="append", metavar="'M >= V UNIT'")
    p.add_argument("--n", type=int, default=4096, help="designs to sample (default 4096)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--sampling", default="lhs", help="lhs (default), sobol or random")
    p.add_argument("-o", "--output", help="write the front's designs (.csv)")
    p.add_argument("--workers", type=int)
    p.add_argument("--scheduler", metavar="ADDRESS")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)
    p.set_defaults(func=_study("pareto"))


def register_sensitivity(sub) -> None:
    p = sub.add_parser("sensitivity", help="elasticities of every metric to every input "
                       "(tornado data); Sobol indices of the top inputs with --sobol")
    p.add_argument("design", help="design file (TOML)")
    p.add_argument("--metrics", nargs="+", metavar="M", help="metrics (default: all)")
    p.add_argument("--keys", nargs="+", metavar="KEY", help="inputs (default: every one "
                   "`params` lists)")
    p.add_argument("--step", type=float, default=0.01,
                   help="h of the central differences in ln(input) (default 0.01)")
    p.add_argument("--top", type=int, default=15, help="inputs shown per metric (default 15)")
    p.add_argument("--sobol", type=int, metavar="N", help="also global Sobol indices "
                   "(SALib) from N base samples, N (k + 2) designs")
    p.add_argument("--sobol-top", type=int, default=6, metavar="K",
                   help="the K inputs of largest elasticity go into the Sobol analysis")
    p.add_argument("--range", type=float, default=0.1, help="Sobol ranges: the library "
                   "spread, else value x (1 -+ RANGE) (default 0.1)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_study("sensitivity"))


def register_solve(sub) -> None:
    p = sub.add_parser("solve", help="inverse design: the value of one input that meets a "
                       "target")
    p.add_argument("design", help="design file (TOML)")
    p.add_argument("--vary", required=True, metavar="KEY=LOW:HIGH",
                   help='the input and its allowed range, e.g. "cathode.loading=5 mg/cm^2:60 '
                   'mg/cm^2"')
    p.add_argument("--target", required=True, metavar="METRIC=VALUE",
                   help='e.g. "specific_energy_cell=400 W*h/kg"')
    p.add_argument("--points", type=int, default=64, help="scan points (default 64)")
    p.add_argument("--method", choices=["brentq", "bisection"],
                   help="brentq (needs scipy; the default when installed) or bisection")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_study("solve"))


STUDY_COMMANDS = [register_params, register_sweep, register_study, register_mc,
                  register_pareto, register_sensitivity, register_solve]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an internal failure: one line, never a traceback by default
        if os.environ.get("ASSLB_DESIGNER_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {one_line(str(exc)[:500])} (set "
              "ASSLB_DESIGNER_DEBUG=1 for the traceback; please report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
