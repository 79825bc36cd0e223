"""Streamed table output: rows arrive chunk by chunk and are written as they come.

CSV always (pyarrow's writer when it is installed, which is faster, else the standard
library's csv module; both write every float in its shortest form that reads back exactly,
so the text may differ between the two but the numbers do not); Parquet with pyarrow (an
optional extra), one row group per chunk. Each chunk is written whole, so a file closed
after any chunk is a valid table of the rows done.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from ..errors import InputError

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def output_format(path: str | Path) -> str:
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(None, "-o", f"{str(path)!r}: the output is a .csv or a .parquet file")
    return fmt


class CSVWriter:
    """One header line of column names, then one line per row."""

    def __init__(self, path: str | Path, columns: list[str], use_pyarrow: bool | None = None):
        self.columns = list(columns)
        self.path = Path(path)
        self._arrow = None
        if use_pyarrow is not False:
            try:
                import pyarrow.csv
                self._arrow = pyarrow
            except ImportError:
                if use_pyarrow:
                    raise
        self._file = _open(self.path, "w")
        writer = csv.writer(self._file, lineterminator="\n")
        writer.writerow(self.columns)
        self._file.flush()
        self._csv = writer

    def write(self, table: dict[str, np.ndarray]) -> None:
        if self._arrow is not None:
            import pyarrow.csv as pacsv
            buffer = self._arrow.BufferOutputStream()
            pacsv.write_csv(self._arrow.table({c: table[c] for c in self.columns}), buffer,
                            pacsv.WriteOptions(include_header=False, quoting_style="none"))
            self._file.write(buffer.getvalue().to_pybytes().decode())
        else:
            self._csv.writerows(zip(*(np.asarray(table[c]).tolist() for c in self.columns)))
        self._file.flush()

    def close(self) -> None:
        self._file.close()


class ParquetWriter:
    """A Parquet file of float64 (and uint8 flag) columns, one row group per chunk."""

    def __init__(self, path: str | Path, columns: list[str], types: dict[str, str] | None = None):
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError(None, "-o", "Parquet output needs pyarrow (pip install "
                             "'asslb-designer[studies]'); write a .csv instead") from None
        self.columns = list(columns)
        self._pa = pa
        types = types or {}
        schema = pa.schema([(c, pa.uint8() if types.get(c) == "flag" else pa.float64())
                            for c in self.columns])
        self.path = Path(path)
        try:
            self._writer = pq.ParquetWriter(str(self.path), schema)
        except OSError as exc:
            raise InputError(str(path), None, f"cannot write: {exc}") from None
        self._schema = schema

    def write(self, table: dict[str, np.ndarray]) -> None:
        self._writer.write_table(self._pa.table({c: table[c] for c in self.columns},
                                                schema=self._schema))

    def close(self) -> None:
        self._writer.close()


def open_writer(path: str | Path, columns: list[str], types: dict[str, str] | None = None):
    if output_format(path) == "parquet":
        return ParquetWriter(path, columns, types)
    return CSVWriter(path, columns)


def _open(path: Path, mode: str):
    try:
        return open(path, mode, encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(str(path), None, f"cannot write: {exc.strerror or exc}") from None


def read_table(path: str | Path) -> dict[str, np.ndarray]:
    """Read back a study's output (CSV or Parquet) as columns of floats, for tests and
    scripts."""
    if output_format(path) == "parquet":
        import pyarrow.parquet as pq
        table = pq.read_table(str(path))
        return {c: table.column(c).to_numpy().astype(float) for c in table.column_names}
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return {c: np.array([float(r[i]) for r in body]) for i, c in enumerate(header)}
