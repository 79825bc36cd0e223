"""Help > About: the app's version, the licenses of the components it carries (Qt and
PySide6 under the LGPL, with where to get their source) and the sources of the materials
data.

The component list is data (`licenses/components.toml` beside this module), shared with
the installer build, which copies the license texts into the bundle's `licenses/` folder.
"""

from __future__ import annotations

import html
import sys
import tomllib
from importlib import metadata, resources
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout

from asslb_designer import __version__

REVIEW = "Ma2022"      # the review the library is built on; named first among the sources


def components() -> list[dict]:
    """The bundled components, each with `version` (None when it is not installed here)."""
    text = (resources.files("asslb_designer.ui") / "licenses" / "components.toml").read_text(
        encoding="utf-8")
    out = []
    for c in tomllib.loads(text)["component"]:
        c = dict(c)
        if c.get("bundle_only") and not getattr(sys, "frozen", False):
            continue     # the PyInstaller bootloader starts only the installed app
        c["version"] = _version(c)
        if c.get("optional") and c["version"] is None:
            continue     # an optional library this installation does not have
        out.append(c)
    return out


def source_of_version(component: dict) -> str:
    """The address of the source of exactly the shipped version (Qt's archive)."""
    version = component["version"]
    major_minor = ".".join(version.split(".")[:2])
    return component["source_of_version"].format(version=version, major_minor=major_minor)


def build_versions() -> dict:
    """Versions recorded when the bundle was built (what has no metadata at run time)."""
    path = license_folder() / "versions.toml"
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _version(component: dict) -> str | None:
    if component["name"] == "Qt":
        from PySide6.QtCore import qVersion
        return qVersion()
    if component["name"] == "Python":
        return sys.version.split()[0]
    for dist in component["distributions"][:1]:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return build_versions().get(dist)
    return None


def license_folder() -> Path:
    """Where the license texts are: the bundle's licenses/ folder, or the ones in the source."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "licenses"
    return Path(str(resources.files("asslb_designer.ui") / "licenses"))


def about_html() -> str:
    """The dialog's text: version, components and their licenses, materials sources."""
    from asslb_designer.materials import builtin_library
    e = html.escape
    parts = [f"<h2>ASSLB Designer {e(__version__)}</h2>",
             "<p>Cell design and energy density of all-solid-state lithium batteries with "
             "2D-material interlayers. ASSLB Designer is free software under the MIT "
             "license.</p>",
             "<h3>Components and their licenses</h3>",
             "<table cellspacing='0' cellpadding='3' border='1'>"
             "<tr><th>component</th><th>version</th><th>license</th><th>source</th></tr>"]
    notes = []
    for c in components():
        link = f"<a href='{e(c['source'])}'>{e(c['source'])}</a>"
        if c.get("source_of_version") and c["version"]:
            exact = source_of_version(c)
            link += f"<br>this version: <a href='{e(exact)}'>{e(exact)}</a>"
        parts.append(f"<tr><td>{e(c['name'])}</td><td>{e(c['version'] or '')}</td>"
                     f"<td>{e(c['license'])}</td><td>{link}</td></tr>")
        if c.get("note"):
            notes.append(f"<p><b>{e(c['name'])}</b>: {e(c['note'])}</p>")
    parts.append("</table>")
    parts += notes
    folder = license_folder()
    parts.append(f"<p>The full license texts are in <a href='{folder.as_uri()}'>"
                 f"{e(str(folder))}</a>.</p>")

    library = builtin_library()
    refs = library.references
    parts.append("<h3>Sources of the materials data</h3>"
                 f"<p>The built-in library holds {len(list(library))} materials; every value "
                 f"carries its unit and one of these {len(refs)} sources (the materials "
                 "browser and <tt>asslb-designer materials show ID</tt> name the source of "
                 "each value). The 2D-material data follow the review first below, read "
                 "critically: where it misprinted a unit, the record's note says so.</p><ol>")
    for ref_id in sorted(refs, key=lambda r: (r != REVIEW, r.lower())):
        ref = refs[ref_id]
        link = ref.link
        href = f"https://doi.org/{ref.doi}" if ref.doi and not ref.doi.startswith("http") else link
        tail = f" <a href='{e(href)}'>{e(link)}</a>" if link else ""
        via = f" (via {e(ref.via)})" if ref.via else ""
        parts.append(f"<li>[{e(ref_id)}] {e(ref.citation)}{via}{tail}</li>")
    parts.append("</ol>")
    return "\n".join(parts)


class AboutDialog(QDialog):
    """Version, licenses and materials sources, in one scrollable page."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("dialog:about")
        self.setWindowTitle("About ASSLB Designer")
        self.resize(760, 620)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>ASSLB Designer</b> version {html.escape(__version__)}")
        title.setObjectName("about:version")
        layout.addWidget(title)
        self.text = QTextBrowser()
        self.text.setObjectName("about:text")
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(about_html())
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def add_to_help_menu(window) -> QAction:
    """Put Help > About ASSLB Designer (object name `action:about`) into a QMainWindow."""
    menu = next((a.menu() for a in window.menuBar().actions()
                 if a.menu() is not None and a.text().replace("&", "") == "Help"), None)
    if menu is None:
        menu = window.menuBar().addMenu("&Help")
    action = QAction("&About ASSLB Designer", window)
    action.setObjectName("action:about")
    action.setMenuRole(QAction.MenuRole.AboutRole)
    action.triggered.connect(lambda: AboutDialog(window).exec())
    menu.addAction(action)
    window.addAction(action)
    if isinstance(getattr(window, "actions_by_name", None), dict):
        window.actions_by_name["about"] = action      # the main window's action registry
    return action


__all__ = ["AboutDialog", "about_html", "add_to_help_menu", "components", "license_folder",
           "source_of_version"]

if __name__ == "__main__":     # a look at the dialog: python -m asslb_designer.ui.about
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv)
    AboutDialog().exec()
