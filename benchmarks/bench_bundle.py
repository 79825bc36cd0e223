"""Start-up of the installed app: prints its figures; not a test.

    python benchmarks/bench_bundle.py [--app dist/asslb-designer/asslb-designer] [--repeat 5]
    python benchmarks/bench_bundle.py --build          # runs packaging/build.py first
    python benchmarks/bench_bundle.py --cold           # drops the page cache first (root)

Seconds from starting the built executable with `--smoke` to its `window shown` line (the
main window on screen, offscreen platform, with the example design evaluated), goal under
3 s. The first run is the first after the build; with --cold (root on Linux) the page cache
is dropped before it, so the bundle's 180 MB come from disk as after a reboot. Then the median of the warm runs, and the
size of the unpacked app.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_APP = ROOT / "dist" / "asslb-designer" / "asslb-designer"


def drop_page_cache() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def time_to_window(exe: Path, workdir: Path) -> float:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "LANG": "C.UTF-8",
           "XDG_CONFIG_HOME": str(workdir / "config"), "TMPDIR": str(workdir)}
    if sys.platform == "win32":
        env = {**os.environ, "HOME": str(workdir)}
    started = time.perf_counter()
    proc = subprocess.Popen([str(exe), "--smoke", str(workdir / "smoke.png")], cwd=workdir,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    shown = None
    for line in proc.stdout:
        if line.startswith("window shown") and shown is None:
            shown = time.perf_counter() - started
    err = proc.stderr.read()
    if proc.wait() != 0 or shown is None:
        raise SystemExit(f"bench_bundle: {exe} --smoke failed:\n{err}")
    return shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", type=Path, default=DEFAULT_APP, help="the built executable")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs after the first")
    parser.add_argument("--build", action="store_true", help="run packaging/build.py first")
    parser.add_argument("--cold", action="store_true",
                        help="drop the page cache before the first run (Linux, root)")
    args = parser.parse_args()
    if args.build:
        subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--no-installers"],
                       check=True)
    exe = args.app
    if not exe.is_file():
        raise SystemExit(f"bench_bundle: no app at {exe}; build it (packaging/build.py) or "
                         "pass --build")
    folder = exe.parent
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cold = args.cold and drop_page_cache()
        first = time_to_window(exe, work)
        warm = [time_to_window(exe, work) for _ in range(args.repeat)]
    print(f"app: {folder} ({size / 1e6:.1f} MB unpacked, goal under 200 MB)")
    print(f"start to a shown window, {'cold (page cache dropped)' if cold else 'first run'}: "
          f"{first:.2f} s (goal under 3 s)")
    if warm:
        print(f"start to a shown window, warm: median {statistics.median(warm):.2f} s "
              f"over {len(warm)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
