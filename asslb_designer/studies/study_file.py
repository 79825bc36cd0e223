"""Study files (TOML) and the command line's --vary / --dist specs, read into a Study.

```toml
schema = "asslb-designer/study@1"
name = "separator and loading"
design = "../examples/nmc811-lpscl-li-pouch-hbn.toml"   # relative to this file
metrics = ["specific_energy_cell", "voltage_loss"]       # default: every metric it gives
constraints = ["specific_energy_cell >= 400 W*h/kg", "voltage_loss <= 50 mV"]

[sampling]
method = "grid"          # grid (full factorial) | lhs | sobol | random
# n = 10000              # designs, for lhs | sobol | random
seed = 0
# library_spread = true  # also vary every property with several cited values
# chunk = 50000          # designs per evaluated chunk

[[parameter]]
key = "separator.thickness"                  # any key `asslb-designer params` lists
start = "10 um"
stop = "100 um"
count = 10
# scale = "log"                              # default linear

[[parameter]]                                # sampled studies: a distribution
key = "material.Li6PS5Cl.ionic_conductivity"
distribution = "log-uniform"                 # uniform | normal | log-uniform | triangular | library
low = "1e-3 S/cm"
high = "5e-3 S/cm"
# normal: mean, std (and optional low, high to truncate); triangular: low, mode, high;
# library: the spread of the property's cited values (shape = "log-uniform" | "uniform")

[pareto]                                     # optional: the front of these objectives
objectives = ["max specific_energy_cell", "min voltage_loss"]
```

A sensitivity study has a `[sensitivity]` table instead of parameters and sampling: the
local elasticities at the design's values, optionally Sobol indices of the top inputs.

```toml
[sensitivity]
keys = "all"             # or a list of keys; default "all" (every key `params` lists)
step = 0.01              # h: each input times e^+h and e^-h (about +-1 %)
top = 15                 # inputs shown per metric
sobol = { top = 6, n = 1024, seed = 0, range = 0.1 }   # optional; needs SALib
```

Every problem is one InputError line naming the file, the key and the reason.
"""

from __future__ import annotations

import math
from pathlib import Path

from ..design import Design
from ..errors import InputError, did_you_mean
from ..materials import Library, default_library
from ..units import KINDS, UnitProblem, split_number, to_internal
from . import params
from .constraints import parse_constraint
from .sampling import DISTRIBUTIONS, METHODS, Distribution, Grid, Plan, Varied
from .sweep import DEFAULT_CHUNK, Study, check_metrics

SCHEMA = "asslb-designer/study@1"
TOP_KEYS = {"schema", "name", "description", "design", "metrics", "constraints", "sampling",
            "parameter", "pareto", "sensitivity"}
SAMPLING_KEYS = {"method", "n", "seed", "library_spread", "chunk"}
GRID_KEYS = {"key", "start", "stop", "count", "scale"}
DIST_FIELDS = {"uniform": ("low", "high"), "log-uniform": ("low", "high"),
               "normal": ("mean", "std"), "triangular": ("low", "mode", "high"),
               "library": ()}
DIST_OPTIONAL = {"normal": ("low", "high"), "library": ("shape",)}
SENSITIVITY_KEYS = {"metrics", "keys", "step", "top", "sobol"}
SOBOL_KEYS = {"n", "top", "seed", "range"}


def value_of(text, design: Design, key: str, file: str | None, where: str,
             difference: bool = False) -> float:
    """A value of `key` ("10 um", "25 degC", 0.3) in its internal unit. `difference`: a
    spread such as a standard deviation ("5 K" or "5 degC" both mean 5 kelvin)."""
    kind = params.kind_of(design, key)
    try:
        if isinstance(text, bool) or not isinstance(text, (str, int, float)):
            raise UnitProblem(f"expected a value such as {KINDS[kind].example!r}, got {text!r}")
        value = to_internal(text, kind)
        if difference:   # subtract the unit's zero: 5 degC as a spread is 5 K
            unit = split_number(text)[1] if isinstance(text, str) else ""
            value -= to_internal(f"0 {unit}" if unit else 0, kind)
    except UnitProblem as exc:
        raise InputError(file, where, f"{key}: {exc}") from None
    if not math.isfinite(value):
        raise InputError(file, where, f"{key}: must be a finite number")
    return value


def check_grid(grid: Grid, file, where) -> Grid:
    if grid.count < 1:
        raise InputError(file, where, "count must be a whole number >= 1")
    if grid.log and (grid.start <= 0 or grid.stop <= 0):
        raise InputError(file, where, "a log grid needs positive start and stop")
    return grid


def check_distribution(d: Distribution, file, where) -> Distribution:
    n = d.name if d.name != "library" else d.shape
    if n in ("uniform", "log-uniform", "triangular") and not d.low < d.high:
        raise InputError(file, where, f"{d.name}: low must be below high")
    if n == "log-uniform" and d.low <= 0:
        raise InputError(file, where, f"{d.name}: a log-uniform range must be positive")
    if n == "triangular" and not d.low <= d.mode <= d.high:
        raise InputError(file, where, "triangular: the mode must lie between low and high")
    if n == "normal":
        if not d.std > 0:
            raise InputError(file, where, "normal: std must be positive")
        if d.low >= d.high:
            raise InputError(file, where, "normal: low must be below high")
    return d


def library_distribution(design: Design, library: Library, key: str, file, where,
                         shape: str = "log-uniform") -> Distribution:
    """The spread of a property's cited values (params.comparable_spread) as a distribution:
    log-uniform (default) or uniform between the lowest and the highest."""
    canonical = params.resolve(design, key)
    found = next((p for p in params.parameters(design, library) if p.key == canonical), None)
    if found is None or not found.spread or min(found.spread) == max(found.spread):
        raise InputError(file, where, f"{key}: the library holds no spread of cited values for "
                         "it (`asslb-designer params DESIGN` shows which values have one)")
    if shape not in ("log-uniform", "uniform"):
        raise InputError(file, where, f"shape {shape!r}: log-uniform or uniform")
    if shape == "log-uniform" and min(found.spread) <= 0:
        shape = "uniform"
    return Distribution("library", low=min(found.spread), high=max(found.spread), shape=shape,
                        values=found.spread)


def library_spread(design: Design, library: Library, exclude=()) -> list[Varied]:
    """Every property and interface of this design whose library record holds several
    comparable cited values, varied over that spread (the Monte Carlo default)."""
    taken = {params.resolve(design, k) for k in exclude}
    out = []
    for p in params.parameters(design, library):
        if p.spread and p.key not in taken and min(p.spread) < max(p.spread):
            out.append(Varied(p.key, library_distribution(design, library, p.key, None, p.key),
                              "library spread"))
    return out


# ------------------------------------------------------------------ command-line specs

def grid_from_spec(design: Design, spec: str, logs=(), where: str = "--vary",
                   need_count: bool = True) -> Varied:
    """`KEY=START:STOP:N` (or `KEY=LOW:HIGH` where no count is needed) as a grid."""
    key, sep, rest = spec.partition("=")
    key = key.strip()
    parts = [p.strip() for p in rest.split(":")]
    if not sep or not key or len(parts) not in ((3,) if need_count else (2, 3)):
        form = "KEY=START:STOP:N" if need_count else "KEY=LOW:HIGH"
        raise InputError(None, where, f"{spec!r}: write {form}, e.g. "
                         "'separator.thickness=10 um:100 um" + (":10'" if need_count else "'"))
    params.kind_of(design, key)   # the key exists
    start = value_of(parts[0], design, key, None, where)
    stop = value_of(parts[1], design, key, None, where)
    count = 2
    if len(parts) == 3:
        try:
            count = int(parts[2])
        except ValueError:
            raise InputError(None, where, f"{spec!r}: N must be a whole number, got "
                             f"{parts[2]!r}") from None
    return Varied(key, check_grid(Grid(start, stop, count, key in logs), None, where), where)


def distribution_from_spec(design: Design, library: Library, spec: str,
                           where: str = "--dist") -> Varied:
    """`KEY=uniform:LOW:HIGH`, `KEY=log-uniform:LOW:HIGH`, `KEY=normal:MEAN:STD[:LOW:HIGH]`,
    `KEY=triangular:LOW:MODE:HIGH` or `KEY=library`."""
    key, sep, rest = spec.partition("=")
    key = key.strip()
    parts = [p.strip() for p in rest.split(":")]
    name = parts[0].lower().replace("loguniform", "log-uniform")
    if not sep or not key or name not in DISTRIBUTIONS:
        raise InputError(None, where, f"{spec!r}: write KEY=DIST:..., DIST one of "
                         f"{', '.join(DISTRIBUTIONS)}" + (did_you_mean(name, DISTRIBUTIONS)
                                                          if name else ""))
    params.kind_of(design, key)
    if name == "library":
        return Varied(key, library_distribution(design, library, key, None, where), where)
    names = DIST_FIELDS[name] + DIST_OPTIONAL.get(name, ())
    given = parts[1:]
    if len(given) not in (len(DIST_FIELDS[name]), len(names)):
        raise InputError(None, where, f"{spec!r}: {name} takes {':'.join(DIST_FIELDS[name])}"
                         + (f"[:{':'.join(DIST_OPTIONAL[name])}]" if name in DIST_OPTIONAL else ""))
    fields = {f: value_of(v, design, key, None, where, difference=(f == "std"))
              for f, v in zip(names, given)}
    return Varied(key, check_distribution(Distribution(name, **fields), None, where), where)


# ------------------------------------------------------------------------ study files

def load_study(path: str | Path, library: Library | None = None) -> Study:
    """Read and check a study file; the design it names is read relative to it."""
    from ..toml_input import load
    path = Path(path)
    return study_from_dict(load(path), str(path), path.parent, library)


def study_from_dict(data: dict, file: str | None, base: Path | None = None,
                    library: Library | None = None) -> Study:
    from ..design_file import load_design
    for k in data:
        if k not in TOP_KEYS:
            raise InputError(file, k, "unknown key" + did_you_mean(k, TOP_KEYS))
    if data.get("schema", SCHEMA) != SCHEMA:
        raise InputError(file, "schema", f"expected {SCHEMA!r}, got {data['schema']!r}")
    name = data.get("name", "")
    if not isinstance(name, str):
        raise InputError(file, "name", "must be a string")
    design_path = data.get("design")
    if not isinstance(design_path, str) or not design_path:
        raise InputError(file, "design", "name the design file: design = \"my-cell.toml\"")
    design_file = (base or Path(".")) / design_path
    if not design_file.is_file():
        raise InputError(file, "design", f"no design file {str(design_file)!r}")
    design = load_design(design_file)
    library = design.library(library if library is not None else default_library())

    if "sensitivity" in data:
        return _sensitivity_study(data, design, library, file, name)
    sampling = data.get("sampling", {})
    if not isinstance(sampling, dict):
        raise InputError(file, "sampling", "is a table: [sampling]")
    for k in sampling:
        if k not in SAMPLING_KEYS:
            raise InputError(file, f"sampling.{k}", "unknown key" + did_you_mean(k, SAMPLING_KEYS))
    method = sampling.get("method", "grid")
    if method not in METHODS:
        raise InputError(file, "sampling.method", f"unknown method {method!r}; one of "
                         f"{', '.join(METHODS)}" + did_you_mean(str(method), METHODS))
    seed = _whole(sampling.get("seed", 0), file, "sampling.seed", 0)
    chunk = _whole(sampling.get("chunk", DEFAULT_CHUNK), file, "sampling.chunk", 1)
    n = 0
    if method != "grid":
        if "n" not in sampling:
            raise InputError(file, "sampling.n", f"a {method} study needs n, the number of "
                             "designs")
        n = _whole(sampling["n"], file, "sampling.n", 1)
    elif "n" in sampling:
        raise InputError(file, "sampling.n", "a grid study's size is the product of the "
                         "counts; n is for lhs, sobol or random")
    spread = sampling.get("library_spread", False)
    if not isinstance(spread, bool):
        raise InputError(file, "sampling.library_spread", "must be true or false")

    nodes = data.get("parameter", [])
    if not isinstance(nodes, list) or not all(isinstance(p, dict) for p in nodes):
        raise InputError(file, "parameter", "give each parameter as a [[parameter]] table")
    varied = []
    for i, node in enumerate(nodes):
        varied.append(_parameter(node, design, library, method, file, f"parameter[{i + 1}]"))
    keys = [params.resolve(design, v.key) for v in varied]
    for i, k in enumerate(keys):
        if k in keys[:i]:
            raise InputError(file, f"parameter[{i + 1}].key", f"{varied[i].key} is varied twice")
    if spread:
        if method == "grid":
            raise InputError(file, "sampling.library_spread", "needs a sampled method (lhs, "
                             "sobol or random)")
        varied += library_spread(design, library, exclude=[v.key for v in varied])
    if not varied:
        raise InputError(file, "parameter", "vary at least one parameter ([[parameter]], or "
                         "sampling.library_spread = true)")

    metrics = _metrics(data, design, library, file)
    constraints_node = data.get("constraints", [])
    if not isinstance(constraints_node, list):
        raise InputError(file, "constraints", "a list such as [\"voltage_loss <= 50 mV\"]")
    constraints = [parse_constraint(c, file, f"constraints[{i + 1}]")
                   for i, c in enumerate(constraints_node)]
    for c in constraints:
        if c.metric not in metrics:
            metrics.append(c.metric)
    objectives = []
    pareto = data.get("pareto")
    if pareto is not None:
        if not isinstance(pareto, dict) or set(pareto) - {"objectives"}:
            raise InputError(file, "pareto", "a table with objectives = [\"max METRIC\", "
                             "\"min METRIC\"]")
        objectives = parse_objectives(pareto.get("objectives"), file, "pareto.objectives")
        for _, m in objectives:
            if m not in metrics:
                metrics.append(m)
        metrics = check_metrics(metrics, design, library, file, "pareto.objectives")
    plan = Plan(tuple(varied), method, n, seed)
    return Study(design, library, plan, metrics, constraints, chunk, name, file, objectives)


def _metrics(data: dict, design: Design, library: Library, file) -> list[str]:
    metrics = data.get("metrics", [])
    if not isinstance(metrics, list) or not all(isinstance(m, str) for m in metrics):
        raise InputError(file, "metrics", "a list of metric names")
    return check_metrics(metrics, design, library, file, "metrics")


def _sensitivity_study(data: dict, design: Design, library: Library, file, name) -> Study:
    """A study of `[sensitivity]`: no parameters, no sampling; the elasticities (and Sobol
    indices) of the study's metrics, or the table's own `metrics`."""
    from .sensitivity import Sensitivity
    node = data["sensitivity"]
    if not isinstance(node, dict):
        raise InputError(file, "sensitivity", "is a table: [sensitivity]")
    for k in ("parameter", "sampling", "pareto", "constraints"):
        if k in data:
            raise InputError(file, k, "a [sensitivity] study perturbs the design's own values "
                             f"and takes no {k}: put that in a study file of its own")
    for k in node:
        if k not in SENSITIVITY_KEYS:
            raise InputError(file, f"sensitivity.{k}", "unknown key"
                             + did_you_mean(k, SENSITIVITY_KEYS))
    if "metrics" in node:
        if "metrics" in data:
            raise InputError(file, "sensitivity.metrics", "the metrics are given twice (also "
                             "at the top of the file): keep one")
        metrics = _metrics({"metrics": node["metrics"]}, design, library, file)
    else:
        metrics = _metrics(data, design, library, file)
    keys = node.get("keys", "all")
    if keys == "all":
        keys = None
    elif isinstance(keys, list) and keys and all(isinstance(k, str) for k in keys):
        for i, key in enumerate(keys):
            where = f"sensitivity.keys[{i + 1}]"
            try:
                params.kind_of(design, key)
            except InputError as exc:
                raise InputError(file, where, f"{key}: {exc.reason}") from None
            if params.resolve(design, key) in [params.resolve(design, k) for k in keys[:i]]:
                raise InputError(file, where, f"{key} is named twice")
        keys = tuple(keys)
    else:
        raise InputError(file, "sensitivity.keys", f"\"all\" or a list of keys such as "
                         f"[\"separator.thickness\"], got {keys!r}")
    step = node.get("step", 0.01)
    if isinstance(step, bool) or not isinstance(step, (int, float)) or not 0 < step <= 1:
        raise InputError(file, "sensitivity.step", "h, the step in ln(input), is a number "
                         f"above 0 and at most 1 (0.01: each input x e^+-0.01), got {step!r}")
    top = _whole(node.get("top", 15), file, "sensitivity.top", 1)
    sobol = node.get("sobol")
    extra = {}
    if sobol is not None:
        if not isinstance(sobol, dict):
            raise InputError(file, "sensitivity.sobol", "a table such as { top = 6, n = 1024, "
                             "seed = 0 }")
        for k in sobol:
            if k not in SOBOL_KEYS:
                raise InputError(file, f"sensitivity.sobol.{k}", "unknown key"
                                 + did_you_mean(k, SOBOL_KEYS))
        spread = sobol.get("range", 0.1)
        if isinstance(spread, bool) or not isinstance(spread, (int, float)) \
                or not 0 < spread < 1:
            raise InputError(file, "sensitivity.sobol.range", "the range value x (1 -+ range) "
                             f"of an input without a library spread: above 0 and below 1, got "
                             f"{spread!r}")
        extra = {"sobol_n": _whole(sobol.get("n", 1024), file, "sensitivity.sobol.n", 2),
                 "sobol_top": _whole(sobol.get("top", 6), file, "sensitivity.sobol.top", 1),
                 "sobol_seed": _whole(sobol.get("seed", 0), file, "sensitivity.sobol.seed", 0),
                 "sobol_range": float(spread)}
    spec = Sensitivity(tuple(metrics), keys, float(step), top, **extra)
    return Study(design, library, Plan((), "grid"), metrics, [], 1, name, file,
                 sensitivity=spec)


def parse_objectives(node, file, key) -> list[tuple[str, str]]:
    """["max specific_energy_cell", "min voltage_loss"] (2 or 3) as (sense, metric)."""
    from ..metrics import BY_NAME
    if not isinstance(node, list) or not 2 <= len(node) <= 3:
        raise InputError(file, key, "give 2 or 3 objectives, e.g. [\"max specific_energy_cell\", "
                         "\"min voltage_loss\"]")
    out = []
    for i, text in enumerate(node):
        parts = str(text).replace(":", " ").split()
        if len(parts) != 2 or parts[0] not in ("max", "min"):
            raise InputError(file, f"{key}[{i + 1}]", f"{text!r}: write 'max METRIC' or "
                             "'min METRIC'")
        if parts[1] not in BY_NAME:
            raise InputError(file, f"{key}[{i + 1}]", f"unknown metric {parts[1]!r}"
                             + did_you_mean(parts[1], BY_NAME))
        out.append((parts[0], parts[1]))
    return out


def _whole(value, file, key, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(file, key, f"must be a whole number >= {minimum}, got {value!r}")
    return value


def parameter_of(node: dict, design: Design, library: Library, method: str = "lhs",
                 file=None, where: str = "parameter") -> Varied:
    """One [[parameter]] table (key, start/stop/count or distribution and its fields, values
    as text with units) as a Varied, checked as a study file's are (the app's panels build
    theirs through here, so a saved study reads back to the same numbers)."""
    return _parameter(node, design, library, method, file, where)


def _parameter(node: dict, design: Design, library: Library, method: str, file, where) -> Varied:
    key = node.get("key")
    if not isinstance(key, str) or not key:
        raise InputError(file, f"{where}.key", "name the value to vary, e.g. "
                         "key = \"separator.thickness\"")
    try:
        params.kind_of(design, key)
    except InputError as exc:
        raise InputError(file, f"{where}.key", f"{key}: {exc.reason}") from None
    if "distribution" in node:
        name = node["distribution"]
        if name not in DISTRIBUTIONS:
            raise InputError(file, f"{where}.distribution", f"unknown distribution {name!r}; "
                             f"one of {', '.join(DISTRIBUTIONS)}"
                             + did_you_mean(str(name), DISTRIBUTIONS))
        if method == "grid":
            raise InputError(file, f"{where}.distribution", "a grid study varies parameters "
                             "over grids (start, stop, count); for distributions set "
                             "sampling.method to lhs, sobol or random")
        allowed = {"key", "distribution", *DIST_FIELDS[name], *DIST_OPTIONAL.get(name, ())}
        for k in node:
            if k not in allowed:
                raise InputError(file, f"{where}.{k}", f"not a field of a {name} distribution"
                                 + did_you_mean(k, allowed))
        if name == "library":
            shape = node.get("shape", "log-uniform")
            return Varied(key, library_distribution(design, library, key, file, where, shape),
                          where)
        fields = {}
        for f in DIST_FIELDS[name] + DIST_OPTIONAL.get(name, ()):
            if f in node:
                fields[f] = value_of(node[f], design, key, file, f"{where}.{f}",
                                     difference=(f == "std"))
            elif f in DIST_FIELDS[name]:
                raise InputError(file, f"{where}.{f}", f"a {name} distribution needs {f}")
        return Varied(key, check_distribution(Distribution(name, **fields), file, where), where)
    for k in node:
        if k not in GRID_KEYS:
            raise InputError(file, f"{where}.{k}", "unknown key" + did_you_mean(
                k, GRID_KEYS | {"distribution"}))
    if method != "grid":
        raise InputError(file, where, f"a {method} study draws every parameter from a "
                         "distribution: give distribution = \"uniform\", low, high (...)")
    for f in ("start", "stop", "count"):
        if f not in node:
            raise InputError(file, f"{where}.{f}", "a grid needs start, stop and count")
    scale = node.get("scale", "linear")
    if scale not in ("linear", "log"):
        raise InputError(file, f"{where}.scale", f"linear or log, got {scale!r}")
    count = _whole(node["count"], file, f"{where}.count", 1)
    grid = Grid(value_of(node["start"], design, key, file, f"{where}.start"),
                value_of(node["stop"], design, key, file, f"{where}.stop"), count, scale == "log")
    return Varied(key, check_grid(grid, file, where), where)
