"""Every file the app's views write goes through `atomic_write`: the bytes go to a
temporary file beside the target, which then replaces it (os.replace), so a crash mid-write
never leaves a half-written file.

Images: PNG by grabbing the widget; SVG with Qt's own QSvgGenerator and `widget.render`
(pyqtgraph's SVGExporter breaks on PySide6 >= 6.11, see ../shared/PLATFORM.md). Data: CSV
with the csv module, the unit of each column in its header.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def atomic_write(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write `data` to `path` atomically (temporary file in the same folder, then replace)."""
    path = Path(path)
    tmp = write_beside(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        discard(tmp)
        raise
    return path


def write_beside(path: str | os.PathLike, data: bytes | str) -> Path:
    """`data` written and flushed to a new temporary file beside `path` (`.NAME.*.tmp`),
    whose `os.replace(tmp, path)` then finishes the write; nothing is left on error."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, _file_mode())       # mkstemp makes 0600; a normal file follows the umask
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        discard(tmp)
        raise
    return Path(tmp)


def discard(tmp: str | os.PathLike) -> None:
    """Remove a temporary file of `write_beside` (gone already: nothing to do)."""
    try:
        os.unlink(tmp)
    except OSError:
        pass


def commit(written) -> list[Path]:
    """Move the temporary files of a finished background write ([(temporary, target)],
    from `write_beside` or `csv_work`) into place (os.replace); returns the targets."""
    try:
        for tmp, target in written:
            os.replace(tmp, target)
    finally:
        discard_all(written)       # any left after a failed replace
    return [Path(target) for _, target in written]


def discard_all(written) -> None:
    """Remove the temporary files of a cancelled or stale background write."""
    for tmp, _ in written or ():
        discard(tmp)


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def png_bytes(widget: QWidget, size: QSize | None = None) -> bytes:
    """The widget rendered as PNG (at its size, or resized to `size` first)."""
    if size is not None:
        widget.resize(size)
    pixmap = widget.grab()
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    pixmap.save(buffer, "PNG")
    return bytes(buffer.data())


def image_png_bytes(image) -> bytes:
    """A QImage as PNG bytes."""
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def svg_bytes(widget: QWidget, title: str = "") -> bytes:
    """The widget rendered as SVG through QSvgGenerator."""
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    size = widget.size()
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle(title or widget.objectName() or "ASSLB Designer")
    generator.setDescription("exported by ASSLB Designer")
    painter = QPainter(generator)
    widget.render(painter)
    painter.end()
    buffer.close()
    return bytes(array)


def painted_svg_bytes(paint, size: QSize, title: str = "") -> bytes:
    """SVG of what `paint(painter)` draws on a canvas of `size` (vector, no widget)."""
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle(title or "ASSLB Designer")
    generator.setDescription("exported by ASSLB Designer")
    painter = QPainter(generator)
    paint(painter)
    painter.end()
    buffer.close()
    return bytes(array)


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """CSV text: a header row (names with units), then the rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def _cell(v):
    if isinstance(v, float):
        return repr(v)
    return v


def csv_work(header: Sequence[str], columns: Sequence, path, step: int = 50_000):
    """A CSV of equal-length float columns as `work(job)` for a `worker.Runner`: written
    to a temporary file beside `path`, `step` rows at a time (the same text as `csv_text`:
    each number in the shortest form that reads back exactly), `job.progress(rows, total)`
    after each step, stopping when `job.stop.requested`. Returns [(temporary, path)] for
    `commit` (None when stopped: nothing is left behind)."""
    path = Path(path)

    def work(job):
        n = len(columns[0])
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            os.chmod(tmp, _file_mode())
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(csv_text(header, []))
                for start in range(0, n, step):
                    if job.stop.requested:
                        break
                    rows = zip(*(np.asarray(c[start:start + step], dtype=float).tolist()
                                 for c in columns))
                    f.write("".join(",".join(map(repr, row)) + "\n" for row in rows))
                    job.progress(min(start + step, n), n)
                f.flush()
                os.fsync(f.fileno())
        except BaseException:
            discard(tmp)
            raise
        if job.stop.requested:
            discard(tmp)
            return None
        return [(Path(tmp), path)]
    return work


def export_png(widget: QWidget, path, size: QSize | None = None) -> Path:
    return atomic_write(path, png_bytes(widget, size))


def export_svg(widget: QWidget, path, title: str = "") -> Path:
    return atomic_write(path, svg_bytes(widget, title))


def export_csv(header: Sequence[str], rows: Iterable[Sequence], path) -> Path:
    return atomic_write(path, csv_text(header, rows))


FILTERS = {"png": "PNG image (*.png)", "svg": "SVG image (*.svg)", "csv": "CSV data (*.csv)"}


def ask_and_export(view: QWidget, kind: str, name: str) -> None:
    """Ask for a path and call `view.export_<kind>(path)`; a failed write is a warning dialog
    naming the file, never an exception out of the button."""
    path, _ = QFileDialog.getSaveFileName(view, f"Export {kind.upper()}", f"{name}.{kind}",
                                          FILTERS[kind])
    if not path:
        return
    try:
        getattr(view, f"export_{kind}")(path)
    except OSError as exc:
        QMessageBox.warning(view, "Export failed", f"{path}: {exc.strerror or exc}")
