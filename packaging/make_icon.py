"""Draw the app icon: a cell's cross-section (collectors, lithium, a 2D interlayer, the solid
electrolyte, the composite cathode) on a rounded tile.

    .venv/bin/python packaging/make_icon.py     # rewrites packaging/icon/* (committed)

One geometry, written twice: as SVG text and painted with Qt (PNG at every size, then packed
into .ico for Windows and .icns for macOS; both containers hold plain PNG images, which
every supported Windows and macOS version reads).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "icon"
NAME = "asslb-designer"

# (y, height, colour) of each band on a 256 x 256 canvas, negative collector at the top
TILE = (16, 16, 224, 224, 40)          # x, y, width, height, corner radius
BANDS = [
    (44, 18, "#b87333"),   # Cu collector
    (62, 34, "#c9d1d9"),   # lithium metal
    (96, 10, "#2d6cdf"),   # the 2D interlayer
    (106, 46, "#f2c14e"),  # solid electrolyte
    (152, 50, "#3a3f47"),  # composite cathode
    (202, 14, "#9aa4ae"),  # Al collector
]
BAND_X, BAND_W = 40, 176
BACKGROUND = "#ffffff"
BORDER = "#1f2a37"


def svg() -> str:
    x, y, w, h, r = TILE
    rows = [f'<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" '
            f'viewBox="0 0 256 256">',
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{r}" fill="{BACKGROUND}" '
            f'stroke="{BORDER}" stroke-width="8"/>']
    rows += [f'<rect x="{BAND_X}" y="{by}" width="{BAND_W}" height="{bh}" fill="{c}"/>'
             for by, bh, c in BANDS]
    rows.append("</svg>")
    return "\n".join(rows) + "\n"


def paint(size: int):
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter, QPen
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)
    x, y, w, h, r = TILE
    p.setPen(QPen(QColor(BORDER), 8))
    p.setBrush(QColor(BACKGROUND))
    p.drawRoundedRect(QRectF(x, y, w, h), r, r)
    p.setPen(Qt.PenStyle.NoPen)
    for by, bh, colour in BANDS:
        p.setBrush(QColor(colour))
        p.drawRect(QRectF(BAND_X, by, BAND_W, bh))
    p.end()
    return image


def png_bytes(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    paint(size).save(buffer, "PNG")
    return bytes(data)


def ico(images: dict[int, bytes]) -> bytes:
    """ICONDIR + one ICONDIRENTRY per image + the PNG data (sizes up to 256)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, data in sorted(images.items()):
        side = 0 if size >= 256 else size      # 0 means 256 in the ICO format
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        blobs += data
    return header + entries + blobs


def icns(images: dict[int, bytes]) -> bytes:
    """'icns' + total length, then (type, length, PNG) chunks: ic07 128, ic08 256, ic09 512."""
    kinds = {128: b"ic07", 256: b"ic08", 512: b"ic09"}
    body = b"".join(kinds[s] + struct.pack(">I", 8 + len(d)) + d
                    for s, d in sorted(images.items()) if s in kinds)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    HERE.mkdir(exist_ok=True)
    images = {s: png_bytes(s) for s in (16, 24, 32, 48, 64, 128, 256, 512)}
    (HERE / f"{NAME}.svg").write_text(svg(), encoding="utf-8")
    (HERE / f"{NAME}.png").write_bytes(images[256])
    (HERE / f"{NAME}.ico").write_bytes(ico({s: d for s, d in images.items() if s <= 256}))
    (HERE / f"{NAME}.icns").write_bytes(icns(images))
    for p in sorted(HERE.iterdir()):
        print(f"{p.relative_to(HERE.parent.parent)}  {p.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
