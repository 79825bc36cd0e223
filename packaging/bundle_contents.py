"""What goes into the bundle and what stays out; used by asslb-designer.spec.

(A plain module beside the spec, imported by it with this folder on sys.path; named so it
cannot be mistaken for anything on PyPI.)
"""

from __future__ import annotations

import shutil
import sys
import sysconfig
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "asslb-designer"

# Python modules the app never imports. PyInstaller follows every import it can see, and a
# few libraries mention these as optional.
EXCLUDES = [
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "pydoc_data", "lib2to3",
    "unittest", "doctest", "pytest", "_pytest", "pytestqt", "hypothesis", "numpy.testing",
    "numpy.f2py", "numpy.distutils", "setuptools", "pkg_resources", "pip", "distutils",
    "IPython", "jupyter_client", "matplotlib", "scipy", "pandas", "h5py", "cupy", "OpenGL",
    # the optional extras of the studies (pyproject's `studies`): each feature that needs
    # one says so with an InputError; together they would triple the bundle
    "SALib", "pyarrow", "dask", "distributed", "tqdm", "multiprocess", "cloudpickle",
    "fsspec", "psutil", "numba", "llvmlite", "sklearn", "sympy", "PIL",
    # an optional import of numpy (show_config)
    "yaml",
    "PyQt5", "PyQt6", "PySide2",
    # no network: ssl and OpenSSL's hashes (hashlib falls back to its built-in ones)
    "ssl", "_ssl", "_hashlib", "readline",
    # the studies extra (installed in dev, imported only inside the features that need it):
    # the app's bundle goes without it, and those features say they need it
    "SALib", "pyarrow", "dask", "distributed", "tqdm", "multiprocess", "cloudpickle",
    "tornado", "msgpack", "zict", "tblib", "sortedcontainers", "toolz", "partd", "locket",
    "fsspec",
    # Qt modules the app does not use (PySide6-Essentials ships them; never bundle them)
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel", "PySide6.QtWebSockets", "PySide6.Qt3DCore", "PySide6.Qt3DRender",
    "PySide6.Qt3DExtras", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2", "PySide6.QtNetwork", "PySide6.QtSql", "PySide6.QtDesigner",
    "PySide6.QtHelp", "PySide6.QtUiTools", "PySide6.QtXml", "PySide6.QtConcurrent",
    "PySide6.QtDBus", "PySide6.QtMultimedia", "PySide6.QtPdf", "PySide6.QtCharts",
    "PySide6.QtDataVisualization", "PySide6.QtBluetooth", "PySide6.QtPositioning",
    "PySide6.QtSerialPort", "PySide6.QtRemoteObjects", "PySide6.QtScxml", "PySide6.QtSensors",
    "PySide6.QtStateMachine", "PySide6.QtTextToSpeech", "PySide6.QtNfc", "PySide6.QtHttpServer",
]

# Qt plugin folders the app needs; every other plugin folder is dropped. platforms: the
# window system (xcb, wayland, cocoa, windows; offscreen for the self-test); the rest
# draw icons and images, integrate GL with X11/Wayland, the desktop theme and input methods.
QT_PLUGIN_DIRS_KEPT = {
    "platforms", "platformthemes", "platforminputcontexts", "imageformats", "iconengines",
    "styles", "xcbglintegrations", "wayland-decoration-client", "wayland-graphics-integration-client",
    "wayland-shell-integration",
}
# platform plugins for embedded screens and remote framebuffers: not a desktop's
QT_PLATFORMS_DROPPED = ("qvnc", "qlinuxfb", "qeglfs", "qvkkhrdisplay", "qminimalegl",
                        "qdirect2d", "qvnc", "qwebgl")
# Qt's GTK3 theme plugin: it would drag in pango, cairo, gdk-pixbuf and atk from the build
# machine while loading the user's GTK (a mix of versions); without it Qt draws its own
# style and still uses the desktop's file dialogs through the xdg-desktop-portal plugin.
QT_PLUGINS_DROPPED = ("libqgtk3",)
# system libraries collected only for what is dropped: Kerberos for QtNetwork, the GTK
# stack for the GTK3 theme plugin
SYSTEM_LIBRARIES_DROPPED = (
    "libgssapi_krb5.", "libkrb5.", "libkrb5support.", "libk5crypto.", "libkeyutils.",
    "libcom_err.", "libgtk-3.", "libgdk-3.", "libgdk_pixbuf-2.0.", "libpango-1.0.",
    "libpangocairo-1.0.", "libpangoft2-1.0.", "libcairo.", "libcairo-gobject.", "libatk-1.0.",
    "libatk-bridge-2.0.", "libepoxy.", "libpixman-1.", "libthai.", "libdatrie.", "libfribidi.",
    "libgraphite2.", "libharfbuzz.", "libssl.", "libcrypto.", "libreadline.", "libtinfo.")
# Qt libraries that only the dropped parts need
QT_LIBRARIES_DROPPED = ("qt6quick", "qt6qml", "qt6network", "qt6pdf", "qt6virtualkeyboard",
                        "qt6webengine", "qt6sql", "qt6designer", "qt6eglfs", "qt63d", "qt6multimedia")


# the import name of each folder of the checkout, as pyproject.toml's package-dir maps them
PACKAGE_DIRS = {"asslb_designer": "asslb_designer", "asslb_designer/ui": "ui",
                "asslb_designer/materials_db": "materials_db",
                "asslb_designer/published_cases": "validation"}


def stage_package(target: Path) -> Path:
    """Copy the checkout's folders into the wheel's layout under `target`; return it."""
    if target.exists():
        shutil.rmtree(target)
    for dest, folder in PACKAGE_DIRS.items():
        shutil.copytree(ROOT / folder, target / dest,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


def modules(package: Path) -> list[str]:
    """Every module of the staged package, so lazily imported ones are bundled too."""
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def _qt_relative(dest: str) -> str | None:
    """The path below PySide6/Qt/ (or PySide6/ on Windows wheels), else None."""
    dest = dest.replace("\\", "/")
    for prefix in ("PySide6/Qt/", "PySide6/"):
        if dest.startswith(prefix):
            return dest[len(prefix):]
    return None


def keep(dest: str) -> bool:
    """Whether a file PyInstaller collected (by its destination in the bundle) stays."""
    name = dest.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if any(lib in name for lib in QT_LIBRARIES_DROPPED):
        return False                 # also PyInstaller's top-level links to such libraries
    if "/" not in dest.replace("\\", "/") and name.startswith(SYSTEM_LIBRARIES_DROPPED):
        return False
    rel = _qt_relative(dest)
    if rel is None:
        return True
    if rel.startswith("translations/"):
        return False                 # the app is in English; Qt's .qm files are 20+ MB
    if rel.startswith(("qml/", "resources/qtwebengine", "libexec/")):
        return False
    if rel.startswith("plugins/"):
        parts = rel.split("/")
        if len(parts) > 2 and parts[1] not in QT_PLUGIN_DIRS_KEPT:
            return False
        if len(parts) > 2 and parts[1] == "platforms" and any(
                p in parts[2] for p in QT_PLATFORMS_DROPPED):
            return False
        if len(parts) > 2 and parts[2].lower().startswith(QT_PLUGINS_DROPPED):
            return False
    return True


def components() -> list[dict]:
    path = ROOT / "ui" / "licenses" / "components.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))["component"]


def _license_files(dist: metadata.Distribution) -> list[tuple[Path, str]]:
    """(file, name below the distribution's folder) of every license file it installed."""
    out = []
    for f in dist.files or []:
        s = str(f).replace("\\", "/")
        name = s.rsplit("/", 1)[-1].upper()
        if ".dist-info/" in s and any(k in name for k in ("LICEN", "COPYING", "NOTICE", "AUTHORS")):
            below = s.split(".dist-info/", 1)[1]
            out.append((Path(str(dist.locate_file(f))), below))
    return out


def stage_licenses(target: Path) -> Path:
    """Write the bundle's licenses/ folder: this app's license, every component's license
    texts (from its installed metadata, or the committed texts where a wheel has none) and
    THIRD-PARTY-NOTICES.txt saying which is which and where the sources are."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy(ROOT / "LICENSE", target / "ASSLB-Designer-LICENSE.txt")
    committed = ROOT / "ui" / "licenses"
    for text in committed.glob("*.txt"):
        shutil.copy(text, target / text.name)
    python_license = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    if python_license.is_file():
        shutil.copy(python_license, target / "Python-LICENSE.txt")

    lines = [f"ASSLB Designer {metadata.version(APP)}: third-party components", "",
             "ASSLB Designer is under the MIT license (ASSLB-Designer-LICENSE.txt). It carries",
             "the components below; each one's license texts are in this folder.", ""]
    for c in components():
        versions, files = [], []
        for name in c["distributions"]:
            try:
                dist = metadata.distribution(name)
            except metadata.PackageNotFoundError:
                continue
            versions.append(f"{dist.metadata['Name']} {dist.version}")
            for src, below in _license_files(dist):
                dest = target / dist.metadata["Name"] / below
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(src, dest)
                files.append(str(dest.relative_to(target)).replace("\\", "/"))
        if c["distributions"] and not versions:
            continue                                  # not installed, so not bundled
        files += [f for f in c.get("license_files", []) if (target / f).is_file()]
        if c["name"] == "Python":
            versions.append(f"Python {sys.version.split()[0]}")
        lines += [f"{c['name']} ({', '.join(versions)})", f"  license: {c['license']}",
                  f"  source:  {c['source']}"]
        if c.get("source_of_version"):
            version = metadata.version(c["distributions"][0])
            lines.append("  source of this version: " + c["source_of_version"].format(
                version=version, major_minor=".".join(version.split(".")[:2])))
        if files:
            lines.append(f"  texts:   {', '.join(sorted(set(files)))}")
        if c.get("note"):
            lines.append(f"  {c['note']}")
        lines.append("")
    (target / "THIRD-PARTY-NOTICES.txt").write_text("\n".join(lines), encoding="utf-8")
    # for the About dialog: versions of what carries no metadata into the bundle
    recorded = {}
    for c in components():
        for name in c["distributions"]:
            try:
                recorded[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                pass
    (target / "versions.toml").write_text(
        "# versions at build time, for Help > About\n"
        + "".join(f'"{k}" = "{v}"\n' for k, v in sorted(recorded.items())), encoding="utf-8")
    return target


def runtime_distributions() -> list[str]:
    """Distributions whose metadata the app reads at run time (versions in About, pint)."""
    names = [APP]
    for c in components():
        for name in c["distributions"]:
            if name.lower() == "pyinstaller":
                continue
            try:
                metadata.distribution(name)
            except metadata.PackageNotFoundError:
                continue
            names.append(name)
    return list(dict.fromkeys(names))
