"""Reading CSV and Excel files as Dutch CRMs export them, row by row, in bounded memory."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from koers.imports.schema import Column
from koers.imports.values import cell_text

DELIMITERS = (";", ",", "\t")


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message names the row where it can."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass
class Source:
    headers: list[str]
    columns: dict[int, Column]  # position in the row -> column it fills
    rows: Iterator[tuple[int, list[str]]]  # (spreadsheet row number, cells)
    size: int
    progress: Callable[[], int]  # bytes (or rows for Excel) read so far


class _Counting(io.RawIOBase):
    """A binary file that counts what has been read, for the progress bar."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; undecodable bytes name their row."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        row = 1
        try:
            with path.open("rb") as raw:
                while chunk := raw.read(1 << 20):
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError as error:
                        row += chunk[: error.start].count(b"\n")
                        raise
                    row += chunk.count(b"\n")
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            failed_row = row
    raise FileProblem(
        "het bestand bevat tekens die niet te lezen zijn als UTF-8 of Windows-1252; "
        "sla het op als UTF-8 (CSV UTF-8 in Excel)",
        failed_row,
    )


def match_headers(
    headers: list[str], schema: tuple[Column, ...], mapping: dict[str, str]
) -> dict[int, Column]:
    by_name = {name: column for column in schema for name in column.names}
    by_field = {column.field: column for column in schema}
    wanted = {k.strip().lower(): v for k, v in mapping.items()}
    found: dict[int, Column] = {}
    for position, header in enumerate(headers):
        key = header.strip().lower()
        column = by_field.get(wanted[key]) if key in wanted else by_name.get(key)
        if column is not None and column not in found.values():
            found[position] = column
    return found


def open_csv(path: Path, schema: tuple[Column, ...], mapping: dict[str, str]) -> Source:
    encoding = detect_encoding(path)
    raw = _Counting(path.open("rb"))
    text = io.TextIOWrapper(io.BufferedReader(raw, 1 << 20), encoding=encoding, newline="")
    first = text.readline()
    if not first.strip():
        raise FileProblem("het bestand is leeg: er staat geen kopregel in", 1)
    delimiter = max(
        DELIMITERS,
        key=lambda d: len(match_headers(next(csv.reader([first], delimiter=d)), schema, mapping)),
    )
    headers = next(csv.reader([first], delimiter=delimiter))
    columns = match_headers(headers, schema, mapping)
    if not columns:
        raise FileProblem(
            "de kolomkoppen zijn niet te herkennen; gebruik een puntkomma (;) of een komma (,) "
            f"als scheidingsteken en kolomnamen als {', '.join(c.names[-1] for c in schema[:4])}",
            1,
        )

    def rows() -> Iterator[tuple[int, list[str]]]:
        with text:
            for number, cells in enumerate(csv.reader(text, delimiter=delimiter), start=2):
                if any(cell.strip() for cell in cells):
                    yield number, cells

    return Source(headers, columns, rows(), path.stat().st_size, lambda: raw.count)


def open_xlsx(path: Path, schema: tuple[Column, ...], mapping: dict[str, str]) -> Source:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(f"het Excel-bestand is niet te openen: {error}") from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    first = next(values, None)
    if first is None or not any(cell is not None for cell in first):
        raise FileProblem("het bestand is leeg: er staat geen kopregel in", 1)
    headers = [cell_text(cell) for cell in first]
    columns = match_headers(headers, schema, mapping)
    if not columns:
        raise FileProblem("de kolomkoppen in de eerste rij zijn niet te herkennen", 1)
    counter = [0]

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, row in enumerate(values, start=2):
            counter[0] = number
            cells = [cell_text(cell) for cell in row]
            if any(cells):
                yield number, cells
        book.close()

    return Source(headers, columns, rows(), sheet.max_row or 0, lambda: counter[0])


def open_source(path: Path, schema: tuple[Column, ...], mapping: dict[str, str]) -> Source:
    if not path.exists():
        raise FileProblem(f"bestand niet gevonden: {path}")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return open_xlsx(path, schema, mapping)
    return open_csv(path, schema, mapping)
