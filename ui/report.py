"""The report of one evaluation, as HTML and as PDF (Qt's own printing: QTextDocument
into QPdfWriter, no extra dependency): the conditions, the cross-section image, every
metric with its unit and basis, the mass, thickness and ASR breakdowns, the cell's mass by
component, the warnings, and the full citation of every source the evaluation used.

`report_html` is the whole text; `report_work` writes either file in steps (figures, HTML,
PDF) for a `worker.Runner`, and `write_report` does the same at once. They use only
reentrant Qt classes (QImage, QTextDocument, QPdfWriter), so the window runs them on a
worker thread with a progress bar and Cancel (views.export_report): measured on the
project's 2-core machine, the image takes about 0.01-0.03 s, the HTML 0.04-0.07 s and the
PDF 0.2-0.6 s (QTextDocument layout and printing), too long for the GUI thread.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSize, QSizeF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from asslb_designer import __version__
from asslb_designer.metrics import METRICS
from asslb_designer.report import describe_conditions

from . import export
from .cross_section import bands_from_result, render_image
from .plots.breakdowns import asr_items, mass_items, thickness_items
from .plots.sweep import pretty_unit

IMAGE_NAME = "cross-section.png"
CSS = """
body { font-family: sans-serif; font-size: 10pt; color: #202020; }
h1 { font-size: 16pt; margin-bottom: 2px; } h2 { font-size: 12.5pt; margin-top: 14px; }
table { border-collapse: collapse; margin: 4px 0; }
th, td { border: 1px solid #a0a0a0; padding: 3px 6px; vertical-align: top; }
th { background: #eef1f5; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
.muted { color: #606060; } .warn { color: #8a3b00; }
"""


def _fmt(x) -> str:
    if x is None:
        return "—"
    v = float(np.asarray(x, dtype=float).ravel()[0])
    if not np.isfinite(v):
        return "n/a"
    return f"{v:.4g}" if abs(v) < 1e5 else f"{v:.4e}"


def cross_section_image(result, size: QSize = QSize(760, 430), log: bool = True) -> QImage:
    """The cross-section for the report (log thickness, so thin interlayers show)."""
    return render_image(bands_from_result(result), size, log,
                        "Repeat unit, thickest state (log thickness)")


def report_html(design, result, image_src: str | None = None) -> str:
    """The report as one HTML text. `image_src`: the cross-section's <img> source (a file
    name for the PDF's resource, a data: URI for a stand-alone HTML file)."""
    e = html.escape
    out = [f"<html><head><meta charset='utf-8'><title>{e(result.design)}</title>"
           f"<style>{CSS}</style></head><body>",
           f"<h1>{e(result.design)}</h1>",
           f"<p class='muted'>{e(describe_conditions(design))}"
           + (f"<br>design file: {e(str(design.file))}" if design.file else "")
           + f"<br>ASSLB Designer {e(__version__)}, "
           f"{_dt.datetime.now().strftime('%Y-%m-%d %H:%M')}</p>"]
    if image_src:
        out.append(f"<h2>Cross-section</h2><p><img src='{e(image_src)}' width='620'></p>"
                   "<p class='muted'>Band heights on a log scale (not to scale) so that thin "
                   "interlayers show; thicknesses in the labels and the table below. Plated "
                   "lithium is the lithium plated at full charge (thickness, no mass).</p>")
    out.append("<h2>Metrics</h2><table><tr><th>metric</th><th>value</th><th>unit</th>"
               "<th>definition and basis</th></tr>")
    for m in METRICS:
        value = result.metrics.get(m.name)
        out.append(f"<tr><td>{e(m.label)}<br><span class='muted'>{e(m.name)}</span></td>"
                   f"<td class='num'>{_fmt(value)}</td><td>{e(pretty_unit(m.unit))}</td>"
                   f"<td>{e(m.description)}<br><span class='muted'>Basis: "
                   f"{e(m.basis)}.</span></td></tr>")
    out.append("</table>")
    if any(result.metrics.get(m.name) is None for m in METRICS):
        out.append("<p class='muted'>—: not available for this design (cell-level figures "
                   "need the electrode area and unit_cells; see each metric's definition).</p>")
    out.append("<h2>Breakdowns of the repeat unit</h2>")
    out.append(_table("Areal mass", ["layer", "mg/cm²"],
                      [[label, _fmt(v)] for label, v in mass_items(result)],
                      total=_fmt(result.metrics["areal_mass"])))
    out.append(_table("Thickness, thickest state", ["band", "µm"],
                      [[label, _fmt(v)] for label, v in thickness_items(result)],
                      total=_fmt(result.metrics["stack_thickness"])))
    sources = {t["where"]: t.get("source") or "" for t in result.asr}
    out.append(_table("ASR at the design temperature", ["term", "kind", "Ω·cm²", "source"],
                      [[label, term + ("" if ok else " (no data: 0)"), _fmt(v),
                        sources.get(label.split(" (")[0], "")]
                       for label, v, term, ok in asr_items(result)],
                      total=_fmt(result.metrics["asr_total"]), total_col=2))
    breakdown = result.extra.get("cell_mass_breakdown") or {}
    if breakdown:
        total = float(np.asarray(result.metrics["cell_mass"]).ravel()[0])
        out.append(_table("Cell mass by component", ["component", "g", "%"],
                          [[label, _fmt(g), f"{float(np.asarray(g).ravel()[0]) / total * 100:.1f}"]
                           for label, g in breakdown.items()], total=_fmt(total)))
    out.append("<h2>Warnings</h2>")
    if result.warnings:
        out.append("<ul>" + "".join(f"<li class='warn'>{e(w)}</li>" for w in result.warnings)
                   + "</ul>")
    else:
        out.append("<p>None.</p>")
    out.append("<h2>Sources of every material value used</h2><table><tr><th>id</th>"
               "<th>citation</th><th>used for</th></tr>")
    for s in result.sources():
        link = s.get("doi") or s.get("url") or ""
        if link and "doi" in s and not link.startswith("http"):
            link = f"doi:{link}"
        out.append(f"<tr><td>{e(s['id'])}</td><td>{e(s['citation'])}"
                   + (f"<br><span class='muted'>{e(link)}</span>" if link else "")
                   + f"</td><td>{e(', '.join(s['used_for']))}</td></tr>")
    out.append("</table></body></html>")
    return "\n".join(out)


def _table(title: str, header: list[str], rows: list[list[str]], total: str | None = None,
           total_col: int = 1) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td{' class=num' if i and c[:1].isdigit() else ''}>"
                                    f"{e(str(c))}</td>" for i, c in enumerate(r)) + "</tr>"
                   for r in rows)
    foot = ""
    if total is not None:
        cells = ["<td><b>total</b></td>"] + ["<td></td>"] * (len(header) - 1)
        cells[total_col] = f"<td class=num><b>{e(total)}</b></td>"
        foot = "<tr>" + "".join(cells) + "</tr>"
    return f"<h3>{e(title)}</h3><table><tr>{head}</tr>{body}{foot}</table>"


def html_document(design, result, image: QImage | None = None) -> str:
    """A stand-alone HTML file: the image embedded as a data: URI."""
    src = None
    if image is not None:
        src = "data:image/png;base64," + base64.b64encode(export.image_png_bytes(image)).decode()
    return report_html(design, result, src)


def pdf_document(design, result, image: QImage | None = None) -> QTextDocument:
    """The report laid out for the PDF: the image as the document's resource."""
    document = QTextDocument()
    if image is not None:
        document.addResource(QTextDocument.ImageResource, QUrl(IMAGE_NAME), image)
    document.setHtml(report_html(design, result, IMAGE_NAME if image is not None else None))
    return document


def print_pdf(document: QTextDocument, title: str) -> bytes:
    """A laid-out report printed to PDF (A4, 15 mm margins) through QPdfWriter."""
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Millimeter))
    writer.setResolution(96)
    writer.setTitle(f"ASSLB Designer report: {title}")
    writer.setCreator(f"ASSLB Designer {__version__}")
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    document.setPageSize(QSizeF(rect.width(), rect.height()))
    document.print_(writer)
    del writer                     # finishes the PDF into the buffer
    buffer.close()
    return bytes(array)


def pdf_bytes(design, result, image: QImage | None = None) -> bytes:
    """The report printed to PDF (A4, 15 mm margins) through QTextDocument and QPdfWriter."""
    return print_pdf(pdf_document(design, result, image), result.design)


def report_work(design, result, html_path=None, pdf_path=None):
    """The report as `work(job)` for a `worker.Runner`, in steps: render the figures, write
    the HTML, print the PDF (when `pdf_path`), each announced through `job.say` and counted
    through `job.progress`. Between steps it stops when `job.stop.requested` (returning
    None). Each file goes to a temporary file beside its target; the work returns the
    [(temporary, target)] pairs, which `commit` moves into place (on the GUI thread, so a
    Cancel pressed meanwhile still wins) or `discard` removes: a cancelled or failed report
    leaves no file, whole or half-written."""
    steps = ["rendering the figures", "writing the HTML"] + (
        ["printing the PDF"] if pdf_path is not None else [])

    def work(job):
        written: list[tuple[Path, Path]] = []
        try:
            job.say(steps[0])
            image = cross_section_image(result)
            for done, step in enumerate(steps[1:], start=1):
                job.progress(done, len(steps))
                if job.stop.requested:
                    discard(written)
                    return None
                job.say(step)
                if step == "writing the HTML":
                    if html_path is not None:
                        text = html_document(design, result, image)
                        written.append((export.write_beside(html_path, text), Path(html_path)))
                    if pdf_path is not None:
                        document = pdf_document(design, result, image)
                else:
                    data = print_pdf(document, result.design)
                    written.append((export.write_beside(pdf_path, data), Path(pdf_path)))
            job.progress(len(steps), len(steps))
            if job.stop.requested:     # e.g. the window closed meanwhile: clean up here
                discard(written)
                return None
        except BaseException:
            discard(written)
            raise
        return written
    return work


commit = export.commit              # move a finished report's files into place
discard = export.discard_all        # remove a cancelled or stale report's files


class _AtOnce:
    """The job of a report written on the calling thread: never stopped, nobody told."""

    class stop:
        requested = False

    def progress(self, done, total):
        pass

    def say(self, text):
        pass


def write_report(design, result, html_path=None, pdf_path=None) -> list[Path]:
    """Write the HTML and/or the PDF report (each atomically) on this thread; returns the
    paths written."""
    return commit(report_work(design, result, html_path, pdf_path)(_AtOnce()))
