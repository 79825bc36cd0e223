"""The main window: the Stack tab (editor, cross-section slot, live metrics, warnings,
sources), the views other modules add as tabs, files, undo/redo, preferences, recovery.

Contract with the views (ui/README.md): a view is a QWidget with
``show_state(design, result)``; `add_view(title, widget)` adds it as a tab and the window
calls it after each valid evaluation (coalesced, off the keystroke: see `flush_views`).
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QFileDialog, QGroupBox, QLabel, QMainWindow,
                               QMessageBox, QScrollArea, QSplitter, QTabWidget, QVBoxLayout,
                               QWidget)

from asslb_designer import InputError, load_design
from asslb_designer.design import Design
from asslb_designer.design_file import save_design
from asslb_designer.edits import SetValues, new_design
from asslb_designer.materials import Library

from . import recovery, settings
from .cell_settings import CellSettings
from .document import DesignDocument, reason_of
from .metrics_panel import MetricsPanel, SourcesList, WarningsList
from .preferences import PreferencesDialog, apply_theme
from .progress import ProgressPanel
from .stack_editor import StackEditor

APP_NAME = "ASSLB Designer"
AUTOSAVE_MS = 15_000          # unsaved work reaches the recovery file within 15 s
VIEW_DELAY_MS = 0             # views redraw once per pass of the event loop (a burst of edits: once)


def standard_keys(standard: QKeySequence.StandardKey, fallback: str) -> list[QKeySequence]:
    """The platform's keys for a standard action, or `fallback` where the platform has
    none (Linux without a desktop theme binds neither Quit nor Preferences)."""
    return QKeySequence.keyBindings(standard) or [QKeySequence(fallback)]


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


class MainWindow(QMainWindow):
    """`MainWindow()` (a new design), then `open_design(path)`; or `MainWindow(path=...)`
    to start with a file (`views=False`: add the views later with `install_views()`). Emits `evaluated(design, result)` after
    every valid evaluation shown."""

    evaluated = Signal(object, object)
    views_updated = Signal()
    VIEW_DELAY_MS = VIEW_DELAY_MS

    def __init__(self, library: Library | None = None, parent=None, *, path=None,
                 views: bool = True):
        super().__init__(parent)
        self.setObjectName("main_window")
        self.units = settings.display_units()
        self.theme = settings.theme()
        self.document = DesignDocument(library, self)
        self.library = self.document.library
        self.views: list[QWidget] = []
        self.cross_section: QWidget | None = None
        self.recovery = recovery.Recovery()
        self._view_timer = QTimer(self)
        self._view_timer.setSingleShot(True)
        self._view_timer.setInterval(VIEW_DELAY_MS)
        self._view_timer.timeout.connect(self._update_visible_views)
        self._stale_views: set[int] = set()
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self.autosave)
        self._autosave_timer.start()
        self.last_update_s = 0.0          # time of the last metrics update (benchmarks)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("tabs")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self._build_stack_tab()
        self._build_actions()
        self.statusBar().setObjectName("status")
        # long work (a big sweep, the report): a progress bar and Cancel per kind of work
        self.progress = ProgressPanel(self)
        self.statusBar().addPermanentWidget(self.progress)

        self.document.changed.connect(self._on_changed)
        self.document.rejected.connect(self._on_rejected)
        self.document.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.resize(1280, 800)
        # the design first, so each view is built with it once (a start with a file does
        # not evaluate and draw the new design as well)
        if path is None or not self.open_design(path, ask=False):
            self.new_design(ask=False)
        self.views_installed = False
        if views:
            self.install_views()

    def install_views(self) -> None:
        """Add the views of ui/views.py (the cross-section, plots, materials browser).
        `asslb-designer gui` shows the window first and adds them right after, so the
        window appears before the plotting modules are loaded."""
        if self.views_installed:
            return
        self.views_installed = True
        from . import views
        views.install(self)

    # ------------------------------------------------------------------ layout
    def _build_stack_tab(self) -> None:
        tab = QWidget()
        tab.setObjectName("stack_tab")
        outer = QVBoxLayout(tab)
        outer.setContentsMargins(4, 4, 4, 4)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, tab)
        self.splitter.setObjectName("stack_splitter")
        outer.addWidget(self.splitter)

        # left: the layers and the forms
        left = QSplitter(Qt.Orientation.Vertical)
        self.editor = StackEditor(self.library, self.units)
        box = QGroupBox("Stack: negative collector (top) to positive collector")
        v = QVBoxLayout(box)
        v.setContentsMargins(4, 4, 4, 4)
        v.addWidget(self.editor)
        left.addWidget(box)
        self.editor_tabs = QTabWidget()
        self.editor_tabs.setObjectName("editor_tabs")
        self.editor_tabs.addTab(_scroll(self.editor.form_stack), "Selected layer")
        self.cell_settings = CellSettings(self.library, self.units)
        self.editor_tabs.addTab(_scroll(self.cell_settings), "Cell")
        left.addWidget(self.editor_tabs)
        left.setSizes([300, 460])
        self.splitter.addWidget(left)

        # middle: the cross-section (added by its module), warnings and sources
        middle = QSplitter(Qt.Orientation.Vertical)
        self.cross_section_area = QWidget()
        self.cross_section_area.setObjectName("cross_section_area")
        self._cross_layout = QVBoxLayout(self.cross_section_area)
        self._cross_layout.setContentsMargins(0, 0, 0, 0)
        self._cross_placeholder = QLabel("Cross-section of the repeat unit")
        self._cross_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._cross_placeholder.setStyleSheet("color: palette(mid);")
        self._cross_layout.addWidget(self._cross_placeholder)
        middle.addWidget(self.cross_section_area)
        self.warnings = WarningsList()
        wbox = QGroupBox("Warnings")
        QVBoxLayout(wbox).addWidget(self.warnings)
        middle.addWidget(wbox)
        self.sources = SourcesList()
        sbox = QGroupBox("Sources of the values used")
        QVBoxLayout(sbox).addWidget(self.sources)
        middle.addWidget(sbox)
        middle.setSizes([380, 200, 180])
        self.splitter.addWidget(middle)

        # right: the metrics
        self.metrics = MetricsPanel(self.units)
        metrics_area = _scroll(self.metrics)
        metrics_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        metrics_area.setMinimumWidth(self.metrics.minimumSizeHint().width() + 24)
        self.splitter.addWidget(metrics_area)
        self.splitter.setSizes([430, 400, 450])
        self.splitter.setStretchFactor(1, 1)
        self.tabs.addTab(tab, "Stack")

        self.editor.edit_requested.connect(self.apply_edit)
        self.cell_settings.edit_requested.connect(self.apply_edit)

    def _action(self, name: str, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        act = QAction(text, self)
        act.setObjectName(f"action:{name}")
        if isinstance(shortcut, list):
            act.setShortcuts(shortcut)
        elif shortcut is not None:
            act.setShortcut(shortcut)
        if tip:
            act.setStatusTip(tip)
        act.triggered.connect(slot)
        self.addAction(act)
        self.actions_by_name[name] = act
        return act

    def _build_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        K = QKeySequence.StandardKey
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self._action("new", "&New", lambda: self.new_design(), K.New))
        file_menu.addAction(self._action("open", "&Open…", lambda: self.open_dialog(), K.Open))
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.setObjectName("menu:recent")
        self.examples_menu = file_menu.addMenu("Open &example")
        self.examples_menu.setObjectName("menu:examples")
        folder = settings.examples_dir()
        for path in sorted(folder.glob("*.toml")) if folder else []:
            act = QAction(path.stem, self.examples_menu)
            act.triggered.connect(lambda checked=False, p=str(path): self.open_example(p))
            self.examples_menu.addAction(act)
        self.examples_menu.setEnabled(bool(self.examples_menu.actions()))
        file_menu.addSeparator()
        file_menu.addAction(self._action("save", "&Save", lambda: self.save(), K.Save))
        file_menu.addAction(self._action("save_as", "Save &as…", lambda: self.save_as(), K.SaveAs))
        file_menu.addSeparator()
        file_menu.addAction(self._action("preferences", "&Preferences…",
                                         lambda: self.preferences(),
                                         standard_keys(K.Preferences, "Ctrl+,")))
        file_menu.addSeparator()
        file_menu.addAction(self._action("quit", "&Quit", self.close,
                                         standard_keys(K.Quit, "Ctrl+Q")))
        edit_menu = self.menuBar().addMenu("&Edit")
        undo = self._action("undo", "&Undo", self.document.undo_stack.undo, K.Undo)
        redo = self._action("redo", "&Redo", self.document.undo_stack.redo,
                            [QKeySequence(K.Redo), QKeySequence("Ctrl+Y")][0])
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.document.undo_stack.canUndoChanged.connect(undo.setEnabled)
        self.document.undo_stack.canRedoChanged.connect(redo.setEnabled)
        self.document.undo_stack.undoTextChanged.connect(self._on_undo_text)
        self.document.undo_stack.redoTextChanged.connect(self._on_redo_text)
        undo.setEnabled(False)
        redo.setEnabled(False)
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        for role in ("interlayer", "separator"):
            edit_menu.addAction(self._action(
                f"add_{role}", f"Add {role}", lambda checked=False, r=role: self.editor.add_layer(r),
                QKeySequence("Ctrl+I") if role == "interlayer" else None))
        edit_menu.addAction(self._action("duplicate_layer", "Duplicate layer",
                                         lambda: self.editor._on_selected(self.editor.duplicate_layer),
                                         QKeySequence("Ctrl+D")))
        remove = self._action("remove_layer", "Remove layer",
                              lambda: self.editor._on_selected(self.editor.remove_layer),
                              [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)])
        # Delete removes a layer only from the layer list: in a field it deletes a character
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.removeAction(remove)
        self.editor.table.addAction(remove)
        edit_menu.addAction(remove)
        edit_menu.addAction(self._action(
            "move_up", "Move layer up",
            lambda: self.editor._on_selected(lambda i: self.editor.move_layer(i, i - 1)),
            QKeySequence("Alt+Up")))
        edit_menu.addAction(self._action(
            "move_down", "Move layer down",
            lambda: self.editor._on_selected(lambda i: self.editor.move_layer(i, i + 1)),
            QKeySequence("Alt+Down")))
        from .about import add_to_help_menu
        add_to_help_menu(self)        # Help > About: version, licenses, materials sources
        self._update_recent_menu()

    def _on_undo_text(self, text: str) -> None:
        self.actions_by_name["undo"].setText(f"&Undo {text}".strip())

    def _on_redo_text(self, text: str) -> None:
        self.actions_by_name["redo"].setText(f"&Redo {text}".strip())

    # ------------------------------------------------------------------ views
    def add_view(self, title: str, widget: QWidget) -> QWidget:
        """Add a view as a tab; it gets `show_state(design, result)` after each valid
        evaluation (and at once, if a design is shown)."""
        self.tabs.addTab(widget, title)
        self.register_view(widget)
        return widget

    def register_view(self, widget: QWidget) -> None:
        self.views.append(widget)
        if self.document.result is not None:
            widget.show_state(self.document.design, self.document.result)

    def set_cross_section(self, widget: QWidget) -> QWidget:
        """Put the cross-section on the Stack tab; its `layer_selected(int)` (1-based)
        selects that layer in the editor."""
        if self._cross_placeholder is not None:
            self._cross_layout.removeWidget(self._cross_placeholder)
            self._cross_placeholder.setParent(None)
            self._cross_placeholder = None
        self._cross_layout.addWidget(widget)
        self.cross_section = widget
        if hasattr(widget, "layer_selected"):
            widget.layer_selected.connect(self.editor.select_layer)
        self.register_view(widget)
        return widget

    def tab(self, title: str) -> QWidget | None:
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i).replace("&", "").lower() == title.lower():
                return self.tabs.widget(i)
        return None

    def show_tab(self, title: str) -> bool:
        w = self.tab(title)
        if w is not None:
            self.tabs.setCurrentWidget(w)
        return w is not None

    def flush_views(self) -> None:
        """Call every registered view with the current state now."""
        self._view_timer.stop()
        d, r = self.document.design, self.document.result
        if r is None:
            return
        for view in self.views:
            view.show_state(d, r)
        self._stale_views.clear()
        self.views_updated.emit()

    def _update_visible_views(self) -> None:
        """After a burst of edits: redraw the views on screen; the others are marked and
        redrawn when their tab is shown (a hidden plot costs nothing per keystroke)."""
        d, r = self.document.design, self.document.result
        if r is None:
            return
        for view in self.views:
            if view.isVisible():
                view.show_state(d, r)
                self._stale_views.discard(id(view))
            else:
                self._stale_views.add(id(view))
        self.views_updated.emit()

    def _tab_changed(self, index: int) -> None:
        if self._stale_views and self.document.result is not None:
            self._update_visible_views()

    # ------------------------------------------------------------------ state
    def _on_changed(self, design: Design, result, why: str) -> None:
        self.editor.show_state(design, result, why)
        self.cell_settings.show_state(design, result, why)
        self.metrics.show_state(design, result)
        self.warnings.show_state(design, result)
        self.sources.show_state(design, result)
        self.last_update_s = time.perf_counter()
        self._update_title()
        self.statusBar().showMessage(
            f"{design.name}: {len(design.layers)} layers evaluated"
            + (f", {len(result.warnings)} warning(s)" if result.warnings else ""), 4000)
        self.evaluated.emit(design, result)
        self._view_timer.start()

    def _on_rejected(self, key: str, reason: str) -> None:
        self.statusBar().showMessage(reason)
        self._last_reason = reason

    def apply_edit(self, edit, widget=None) -> bool:
        """Apply an edit; if refused, mark `widget` with the engine's reason."""
        self._last_reason = ""
        ok = self.document.apply(edit)
        if not ok and widget is not None and hasattr(widget, "set_error"):
            widget.set_error(self._last_reason)
        elif ok and widget is not None and hasattr(widget, "set_error"):
            widget.set_error(None)
        if ok and isinstance(edit, SetValues):
            for key in edit.updates:          # e.g. all four fractions of one composite
                f = self.field(key)
                if f is not None and f.error is not None:
                    f.show_value(self.document.design, self.units, force=True)
        return ok

    def field(self, key: str):
        """The quantity field (QLineEdit) of a design key, e.g. 'layer[4].thickness'."""
        from PySide6.QtWidgets import QLineEdit
        return self.findChild(QLineEdit, f"field:{key}")

    def _on_clean_changed(self, clean: bool) -> None:
        self._update_title()

    def _update_title(self) -> None:
        d = self.document.design
        name = Path(self.document.path).name if self.document.path else "unsaved"
        self.setWindowTitle(f"{d.name if d else ''} ({name})[*] — {APP_NAME}")
        self.setWindowModified(self.document.modified)

    # ------------------------------------------------------------------ files
    def _ask_unsaved(self) -> bool:
        """True if it is all right to drop the current design (saved, discarded)."""
        if not self.document.modified:
            return True
        answer = QMessageBox.question(
            self, APP_NAME, f"Save the changes to {self.document.design.name!r}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_design(self, ask: bool = True) -> bool:
        if ask and not self._ask_unsaved():
            return False
        self.document.load(new_design(), None)
        return True

    def open_design(self, path, *, ask: bool = True, remember: bool = True) -> bool:
        """Open a design file. A file that cannot be read or evaluated opens an error
        dialog with the engine's reason and changes nothing."""
        if ask and not self._ask_unsaved():
            return False
        try:
            design = load_design(path)
            self.document.load(design, str(path))
        except InputError as exc:
            QMessageBox.critical(self, f"Cannot open {Path(path).name}", exc.message)
            self.statusBar().showMessage(exc.message)
            return False
        if remember:
            settings.add_recent(str(path))
            self._update_recent_menu()
        self.recovery.discard()
        return True

    def open_example(self, path: str) -> bool:
        """An example opens as a new, unsaved design (Save asks where), so the shipped
        file is never overwritten."""
        if not self.open_design(path, remember=False):
            return False
        self.document.path = None
        self._update_title()
        return True

    def open_dialog(self) -> bool:
        if not self._ask_unsaved():
            return False
        path, _ = QFileDialog.getOpenFileName(self, "Open design", "", "Design files (*.toml)")
        return self.open_design(path, ask=False) if path else False

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        start = self.document.path or f"{self.document.design.name}.toml"
        path, _ = QFileDialog.getSaveFileName(self, "Save design as", start,
                                              "Design files (*.toml)")
        return self.save_to(path) if path else False

    def save_to(self, path) -> bool:
        try:
            save_design(self.document.design, path)
        except (InputError, OSError) as exc:
            message = exc.message if isinstance(exc, InputError) else f"{path}: {exc}"
            QMessageBox.critical(self, "Cannot save", message)
            return False
        self.document.path = str(path)
        self.document.undo_stack.setClean()
        settings.add_recent(str(path))
        self._update_recent_menu()
        self.recovery.discard()
        self._update_title()
        self.statusBar().showMessage(f"saved {path}", 4000)
        return True

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in settings.recent_files():
            act = QAction(path, self.recent_menu)
            act.triggered.connect(lambda checked=False, p=path: self.open_design(p))
            self.recent_menu.addAction(act)
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    # ------------------------------------------------------------------ recovery
    def autosave(self) -> Path | None:
        """Write unsaved work to this window's recovery file (nothing if saved)."""
        if not self.document.modified or self.document.design is None:
            return None
        try:
            return self.recovery.write(self.document.design, self.document.path)
        except (InputError, OSError) as exc:
            self.statusBar().showMessage(f"autosave failed: {exc}")
            return None

    def offer_recovery(self) -> bool:
        """Offer back unsaved work of a window that did not close normally."""
        for found in recovery.stale():
            where = found.original or "a new design"
            answer = QMessageBox.question(
                self, APP_NAME, f"Unsaved changes to {where} were recovered "
                f"(autosaved {found.saved_at}). Restore them?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes)
            if answer == QMessageBox.StandardButton.Yes:
                try:
                    design = load_design(found.design_file)
                    from dataclasses import replace
                    design = replace(design, file=found.original)
                    self.document.load(design, found.original, clean=False)
                except InputError as exc:
                    aside = found.set_aside()        # never offered again at each start
                    QMessageBox.critical(self, "Cannot recover",
                                         f"{exc.message}\n\nThe file is kept as {aside}.")
                    continue
                found.discard()
                self.autosave()
                return True
            found.discard()
        return False

    def closeEvent(self, event) -> None:
        if not self._ask_unsaved():
            event.ignore()
            return
        self.progress.cancel_all()        # a long sweep or a report stops between its steps
        self.recovery.close()
        event.accept()

    # ------------------------------------------------------------------ preferences
    def preferences(self) -> None:
        dialog = PreferencesDialog(self.units, self.theme, self)
        if dialog.exec():
            units, theme = dialog.chosen()
            self.set_preferences(units, theme)

    def set_preferences(self, units, theme: str) -> None:
        self.units = units
        self.theme = theme
        settings.save_display_units(units)
        settings.save_theme(theme)
        apply_theme(theme, QApplication.instance())
        for w in (self.editor, self.cell_settings, self.metrics):
            w.units = units
        self.editor._structure = None        # forms rebuilt with the new units
        self.cell_settings._structure = None
        if self.document.result is not None:
            self._on_changed(self.document.design, self.document.result, "open")
