"""Build the installed app for the platform this runs on, then its installers.

    .venv/bin/python packaging/build.py            # dist/asslb-designer/ + the installers
    .venv/bin/python packaging/build.py --no-installers
    .venv/bin/python packaging/build.py --dist OUT --work TMP

Linux:   dist/asslb-designer/ (one folder), asslb-designer-VERSION-linux-ARCH.tar.gz (with a
         launcher, a .desktop file and a script that adds the menu entry) and
         asslb-designer_VERSION_ARCH.deb (dpkg-deb; installs under /opt/asslb-designer,
         menu entry, `asslb-designer` on the path through /usr/bin).
Windows: dist/asslb-designer/, a portable .zip, and asslb-designer-VERSION-windows-x64-setup.exe
         when Inno Setup's ISCC.exe is installed (packaging/windows/asslb-designer.iss).
macOS:   dist/ASSLB Designer.app and asslb-designer-VERSION-macos-ARCH.dmg (hdiutil).

Prints the size of the unpacked app and of each installer. Run it as a file (it is not a
module: the folder `packaging` must not shadow PyPI's `packaging`).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import struct
import subprocess
import sys
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
APP = "asslb-designer"
TITLE = "ASSLB Designer"
SPEC = HERE / f"{APP}.spec"
DEB_DEPENDS = [
    # what the bundle leaves to the system: libc, OpenGL/EGL, and the X11/Wayland libraries
    # Qt's window-system plugins load (the same list as Qt's own deployment notes)
    "libc6 (>= 2.31)", "libegl1", "libgl1", "libfontconfig1", "libfreetype6", "libx11-6",
    "libx11-xcb1", "libxcb1", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0",
    "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0",
    "libxcb-xinerama0", "libxcb-xkb1", "libxkbcommon0", "libxkbcommon-x11-0",
    "libwayland-client0", "libwayland-cursor0", "libwayland-egl1", "libdbus-1-3",
    "libglib2.0-0 | libglib2.0-0t64",
]


def say(text: str) -> None:
    print(f"build: {text}", flush=True)


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def arch() -> str:
    machine = platform.machine().lower()
    return {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}.get(
        machine, machine)


def run_pyinstaller(dist: Path, work: Path) -> None:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm",
                    "--log-level", "WARN", "--distpath", str(dist), "--workpath", str(work),
                    str(SPEC)], check=True, cwd=work.parent)


def elf_sections(path: Path) -> set[str]:
    """Section names of a 64-bit little-endian ELF file (empty for anything else)."""
    with path.open("rb") as f:
        head = f.read(64)
        if len(head) < 64 or head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            return set()
        shoff, = struct.unpack_from("<Q", head, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", head, 0x3A)
        if not shoff or not shnum or shstrndx >= shnum:
            return set()
        f.seek(shoff)
        table = f.read(shentsize * shnum)
        if len(table) < shentsize * shnum:
            return set()
        headers = [struct.unpack_from("<IIQQQQ", table, i * shentsize) for i in range(shnum)]
        _, _, _, _, str_offset, str_size = headers[shstrndx]
        f.seek(str_offset)
        names = f.read(str_size)
    return {names[h[0]:names.index(b"\0", h[0])].decode("ascii", "replace") for h in headers}


def strip_debug_info(app: Path) -> None:
    """Drop the debug sections of binaries that carry them (a self-built libpython: 15 MB).
    Only those, and never the libraries of manylinux wheels (numpy.libs/...): stripping
    the patched ones breaks them ("ELF load command address/offset not page-aligned")."""
    strip = shutil.which("strip")
    if strip is None:
        return
    for path in app.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        if any(part.endswith(".libs") for part in path.parts):
            continue
        if ".debug_info" in elf_sections(path):
            subprocess.run([strip, "--strip-debug", str(path)], check=True)


def desktop_entry(exec_path: str, icon: str) -> str:
    return "\n".join([
        "[Desktop Entry]", "Type=Application", f"Name={TITLE}",
        "GenericName=Battery cell designer",
        "Comment=Cell design and energy density of all-solid-state lithium batteries",
        f"Exec={exec_path} %f", f"Icon={icon}", "Terminal=false", f"StartupWMClass={APP}",
        "Categories=Science;Education;Engineering;", "MimeType=application/toml;",
        "Keywords=battery;cell;energy density;solid-state;lithium;", ""])


LAUNCHER = """#!/bin/sh
# Starts ASSLB Designer from wherever this folder was unpacked.
here="$(dirname "$(readlink -f "$0")")"
exec "$here/app/asslb-designer" "$@"
"""

INSTALL_MENU_ENTRY = """#!/bin/sh
# Adds ASSLB Designer to your applications menu (for you only; nothing needs root).
set -e
here="$(dirname "$(readlink -f "$0")")"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
mkdir -p "$apps" "$icons"
cp "$here/asslb-designer.png" "$icons/asslb-designer.png"
sed "s|^Exec=.*|Exec=\\"$here/asslb-designer\\" %f|" "$here/asslb-designer.desktop" \\
    > "$apps/asslb-designer.desktop"
echo "ASSLB Designer is in your applications menu now (remove: rm $apps/asslb-designer.desktop)"
"""

README_TXT = """ASSLB Designer {version}

Start it: double-click "asslb-designer" in this folder (or run ./asslb-designer).
Menu entry: run ./install-menu-entry.sh once.
Command line: ./asslb-designer evaluate DESIGN.toml (./asslb-designer --help lists commands).
Example designs: app/_internal/asslb_designer/examples/. Licenses: app/_internal/licenses/.
"""


def linux_tarball(app: Path, out: Path, version: str) -> Path:
    top = f"{APP}-{version}-linux-{arch()}"
    target = out / f"{top}.tar.gz"
    stage = out / top
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir()
    shutil.copytree(app, stage / "app", symlinks=True)
    (stage / APP).write_text(LAUNCHER)
    (stage / "install-menu-entry.sh").write_text(INSTALL_MENU_ENTRY)
    for script in (stage / APP, stage / "install-menu-entry.sh"):
        script.chmod(0o755)
    (stage / f"{APP}.desktop").write_text(desktop_entry(APP, APP))
    shutil.copy(HERE / "icon" / f"{APP}.png", stage / f"{APP}.png")
    (stage / "README.txt").write_text(README_TXT.format(version=version))
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(stage, arcname=top)
    shutil.rmtree(stage)
    return target


def linux_deb(app: Path, out: Path, version: str) -> Path:
    deb_arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    root = out / "deb-root"
    if root.exists():
        shutil.rmtree(root)
    opt = root / "opt" / APP
    shutil.copytree(app, opt, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    # relative, so it also works in a tree unpacked with dpkg-deb -x somewhere else
    (root / "usr" / "bin" / APP).symlink_to(f"../../opt/{APP}/{APP}")
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / f"{APP}.desktop").write_text(desktop_entry(f"/opt/{APP}/{APP}", APP))
    for size_dir, name in (("256x256", f"{APP}.png"), ("scalable", f"{APP}.svg")):
        icons = root / "usr" / "share" / "icons" / "hicolor" / size_dir / "apps"
        icons.mkdir(parents=True)
        shutil.copy(HERE / "icon" / name, icons / name)
    doc = root / "usr" / "share" / "doc" / APP
    doc.mkdir(parents=True)
    shutil.copy(app / "_internal" / "licenses" / "THIRD-PARTY-NOTICES.txt", doc / "copyright")
    control = root / "DEBIAN"
    control.mkdir()
    (control / "control").write_text("\n".join([
        f"Package: {APP}", f"Version: {version}", f"Architecture: {deb_arch}",
        "Maintainer: ASSLB Designer developers <asslb-designer@users.noreply.github.com>",
        f"Installed-Size: {tree_size(root) // 1024}", "Section: science", "Priority: optional",
        f"Depends: {', '.join(DEB_DEPENDS)}",
        f"Description: {TITLE}: all-solid-state lithium battery cell design",
        " Stack current collectors, anodes, 2D-material interlayers, solid electrolytes and",
        " composite cathodes from a sourced materials library and see areal capacity, N/P,",
        " energy density (Wh/kg, Wh/L), the area-specific resistance budget and cell-level",
        " figures. Self-contained: the app and its Python runtime live in /opt/asslb-designer.",
        ""]))
    target = out / f"{APP}_{version}_{deb_arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", str(root),
                    str(target)], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(root)
    return target


def windows_installers(app: Path, out: Path, version: str) -> list[Path]:
    made = [Path(shutil.make_archive(str(out / f"{APP}-{version}-windows-x64-portable"), "zip",
                                     app.parent, app.name))]
    iscc = shutil.which("iscc") or next(
        (str(p) for p in (Path(os.environ.get("ProgramFiles(x86)", "C:/Program Files (x86)")) /
                          "Inno Setup 6" / "ISCC.exe",) if p.is_file()), None)
    if iscc is None:
        say("Inno Setup (ISCC.exe) not found: install it (choco install innosetup) for the "
            "setup.exe; the portable .zip is built")
        return made
    subprocess.run([iscc, f"/DAppVersion={version}", f"/DAppSource={app}", f"/O{out}",
                    str(HERE / "windows" / f"{APP}.iss")], check=True)
    made.append(out / f"{APP}-{version}-windows-x64-setup.exe")
    return made


def macos_dmg(dist: Path, out: Path, version: str) -> Path:
    bundle = dist / f"{TITLE}.app"
    stage = out / "dmg-root"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir()
    shutil.copytree(bundle, stage / bundle.name, symlinks=True)
    (stage / "Applications").symlink_to("/Applications")
    target = out / f"{APP}-{version}-macos-{arch()}.dmg"
    target.unlink(missing_ok=True)
    command = ["hdiutil", "create", "-volname", f"{TITLE} {version}", "-srcfolder", str(stage),
               "-ov", "-format", "UDZO", str(target)]
    for attempt in range(3):     # hdiutil now and then fails with "Resource busy"
        if subprocess.run(command).returncode == 0:
            break
        time.sleep(5)
    else:
        raise SystemExit("build: hdiutil create failed three times")
    shutil.rmtree(stage)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder")
    parser.add_argument("--no-installers", action="store_true",
                        help="only the one-folder app, no .tar.gz/.deb/.dmg/setup.exe")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    dist.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    version = metadata.version(APP)

    started = time.perf_counter()
    say(f"{TITLE} {version} for {sys.platform}-{arch()}: PyInstaller ...")
    run_pyinstaller(dist, work)
    app = dist / APP
    if sys.platform.startswith("linux"):
        strip_debug_info(app)
    say(f"app: {app} ({mb(tree_size(app))} unpacked; goal under 200 MB) "
        f"in {time.perf_counter() - started:.0f} s")

    made: list[Path] = []
    if not args.no_installers:
        if sys.platform.startswith("linux"):
            # the two compress the same 180 MB: side by side on two cores (zlib frees the GIL)
            with ThreadPoolExecutor(2) as pool:
                jobs = [pool.submit(make, app, dist, version) for make in (linux_tarball, linux_deb)]
                made += [job.result() for job in jobs]
        elif sys.platform == "win32":
            made += windows_installers(app, dist, version)
        elif sys.platform == "darwin":
            made.append(macos_dmg(dist, dist, version))
    for path in made:
        say(f"installer: {path} ({mb(path.stat().st_size)})")
    say(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
