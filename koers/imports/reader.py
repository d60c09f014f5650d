"""Reading CSV and Excel files as Dutch CRMs export them, row by row, in bounded memory.

Memory stays bounded whatever the file holds: a CSV cell may hold at most `Limits.cell`
characters (the csv module stops at that size) and a physical line a fixed multiple of
it; an Excel file is refused before it is opened when it would unpack to more than
`Limits.xlsx_bytes` or unpacks suspiciously far (a zip bomb).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from koers.imports.schema import Column
from koers.imports.values import SHOWN, cell_text, shown

DELIMITERS = (";", ",", "\t")
HEADER_LIMIT = 100_000  # characters of the header row; far beyond any real list of columns
# A member of an Excel file that unpacks to more than RATIO times its packed size is refused:
# spreadsheet XML packs about 5 to 20 times, a zip bomb about a thousand times.
RATIO = 100
RATIO_FROM = 1 << 20  # small members (styles, themes) may pack better; they are tiny anyway


@dataclass(frozen=True)
class Limits:
    cell: int = 10_000  # characters in one cell
    xlsx_bytes: int = 100 << 20  # an Excel file's unpacked size


class FileProblem(ValueError):
    """The file cannot be read (further); the message names the row, and the column and
    value where they are known."""

    def __init__(
        self, message: str, row: int | None = None, column: str = "", value: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column
        self.value = value


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


class _LineTooLong(Exception):
    """A physical line longer than any row of cells within the limit can be."""


class _Lines:
    """The lines of a text file, each at most `limit` characters, counted as they are read.

    csv.reader takes whole lines; without a bound, one line of a gigabyte would be read into
    memory before the csv module's own limit on a field could refuse it.
    """

    def __init__(self, text: IO[str], limit: int) -> None:
        self.text, self.limit, self.count = text, limit, 0

    def __iter__(self) -> Iterator[str]:
        while line := self.text.readline(self.limit):
            if len(line) == self.limit and not line.endswith(("\n", "\r")):
                raise _LineTooLong
            self.count += 1
            yield line


def find_long_cell(chunks: Iterable[str], delimiter: str, limit: int) -> tuple[int, str] | None:
    """Position and first characters of the first cell longer than `limit` in one CSV record.

    A small reading of the csv module's default dialect (quotes doubled inside quoted
    cells), to say which column holds the cell the csv module refused, without holding it.
    """
    column, length, head = 0, 0, ""
    quoted = pending_quote = False
    at_start = True
    for chunk in chunks:
        for char in chunk:
            if quoted:
                if pending_quote:
                    pending_quote = False
                    if char != '"':
                        quoted = False  # the closing quote; this character follows it
                elif char == '"':
                    pending_quote = True
                    continue
            if not quoted:
                if char == delimiter:
                    column, length, head, at_start = column + 1, 0, "", True
                    continue
                if char in "\r\n":
                    return None
                if char == '"' and at_start:
                    quoted, at_start = True, False
                    continue
            at_start = False
            length += 1
            if len(head) <= SHOWN:
                head += char
            if length > limit:
                return column, head
    return None


def _read_from_line(path: Path, encoding: str, line: int) -> Iterator[str]:
    """The file's text from the start of physical line `line` (1 is the header), in chunks."""
    with path.open(encoding=encoding, newline="") as text:
        for _ in range(line - 1):
            text.readline()
        while chunk := text.read(1 << 16):
            yield chunk


@dataclass
class _Csv:
    path: Path
    encoding: str
    delimiter: str
    headers: list[str]
    limits: Limits

    def unreadable(self, row: int, line: int, error: Exception) -> FileProblem:
        """The problem that stopped the csv module at `row` (starting at physical `line`)."""
        if isinstance(error, csv.Error) and "field larger" not in str(error):
            return FileProblem(f"deze rij is niet te lezen als CSV: {shown(str(error))}", row)
        chunks = _read_from_line(self.path, self.encoding, line)
        found = find_long_cell(chunks, self.delimiter, self.limits.cell)
        if found is None:
            return FileProblem(
                f"deze rij is te lang: meer dan {self.line_limit} tekens; "
                "het bestand is na de vorige rij niet verder gelezen",
                row,
            )
        position, head = found
        column = self.headers[position] if position < len(self.headers) else f"{position + 1}"
        return FileProblem(
            f"de cel is langer dan {self.limits.cell} tekens, de grens per cel; "
            "het bestand is na de vorige rij niet verder gelezen",
            row,
            column,
            shown(head),
        )

    @property
    def line_limit(self) -> int:
        # Every cell of a full row at the limit, with quotes and separators, and one spare.
        return (len(self.headers) + 1) * (self.limits.cell + 3) + 2

    def rows(self, text: IO[str]) -> Iterator[tuple[int, list[str]]]:
        lines = _Lines(text, self.line_limit)
        csv.field_size_limit(self.limits.cell)
        number, line = 1, 2
        with text:
            try:
                for number, cells in enumerate(csv.reader(lines, delimiter=self.delimiter), 2):
                    line = lines.count + 2  # where the next row starts; the header is line 1
                    if any(cell.strip() for cell in cells):
                        yield number, cells
            except (csv.Error, _LineTooLong) as error:
                raise self.unreadable(number + 1, line, error) from None


def _header_line(text: IO[str]) -> str:
    first = text.readline(HEADER_LIMIT)
    if len(first) == HEADER_LIMIT and not first.endswith(("\n", "\r")):
        raise FileProblem(f"de kopregel is langer dan {HEADER_LIMIT} tekens", 1)
    if not first.strip():
        raise FileProblem("het bestand is leeg: er staat geen kopregel in", 1)
    return first


def open_csv(
    path: Path, schema: tuple[Column, ...], mapping: dict[str, str], limits: Limits
) -> Source:
    encoding = detect_encoding(path)
    raw = _Counting(path.open("rb"))
    text = io.TextIOWrapper(io.BufferedReader(raw, 1 << 20), encoding=encoding, newline="")
    first = _header_line(text)
    csv.field_size_limit(HEADER_LIMIT)
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
    reader = _Csv(path, encoding, delimiter, headers, limits)
    return Source(headers, columns, reader.rows(text), path.stat().st_size, lambda: raw.count)


def check_workbook(path: Path, limits: Limits) -> None:
    """Refuse an Excel file that would unpack too large, before openpyxl unpacks anything.

    The sizes are the ones the zip file declares; Python's zipfile never unpacks a member
    beyond its declared size (and then fails on its checksum), so they cannot lie.
    """
    if path.stat().st_size > limits.xlsx_bytes:
        raise FileProblem(_too_large("", path.stat().st_size, limits))
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise FileProblem(
            "het Excel-bestand is niet te openen: het is geen .xlsx-bestand of het is beschadigd"
        ) from None
    total = sum(member.file_size for member in members)
    if total > limits.xlsx_bytes:
        raise FileProblem(_too_large("uitgepakt ", total, limits))
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > RATIO_FROM and ratio > RATIO:
            raise FileProblem(
                f"het Excel-bestand wordt uitgepakt {ratio} keer zo groot ({member.filename}); "
                "dat doet een echt Excel-bestand niet, dit bestand wordt niet geopend"
            )


def _too_large(how: str, size: int, limits: Limits) -> str:
    return (
        f"het Excel-bestand is {how}{_mb(size)} MB groot, hoogstens {_mb(limits.xlsx_bytes)} MB "
        "(KOERS_IMPORT_MAX_XLSX_MB); sla het op als CSV, dat heeft geen grens"
    )


def _mb(size: int) -> str:
    return f"{-(-size // (1 << 20))}"


def open_xlsx(
    path: Path, schema: tuple[Column, ...], mapping: dict[str, str], limits: Limits
) -> Source:
    from openpyxl import load_workbook

    check_workbook(path, limits)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        first = next(sheet.iter_rows(max_row=1, values_only=True), None)
    except MemoryError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(f"het Excel-bestand is niet te openen: {shown(str(error))}") from None
    if first is None or not any(cell is not None for cell in first):
        raise FileProblem("het bestand is leeg: er staat geen kopregel in", 1)
    headers = [cell_text(cell) for cell in first]
    while headers and not headers[-1]:  # a sheet may claim more columns than it fills
        headers.pop()
    columns = match_headers(headers, schema, mapping)
    if not columns:
        raise FileProblem("de kolomkoppen in de eerste rij zijn niet te herkennen", 1)
    counter = [1]
    # Cells right of the last header belong to no column; not asking for them keeps a sheet
    # that claims 16,384 columns from padding every row to that width.
    values = sheet.iter_rows(min_row=2, max_col=len(headers), values_only=True)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(values, start=2):
                counter[0] = number
                cells = [cell_text(cell) for cell in row]
                if any(cells):
                    yield number, cells
        except MemoryError:
            raise
        except Exception as error:  # a sheet cut off or damaged halfway
            raise FileProblem(
                f"het Excel-bestand is beschadigd: na rij {counter[0]} is het werkblad niet "
                f"verder te lezen ({shown(str(error))})",
                counter[0] + 1,
            ) from None
        finally:
            book.close()

    return Source(headers, columns, rows(), sheet.max_row or 0, lambda: counter[0])


def open_source(
    path: Path, schema: tuple[Column, ...], mapping: dict[str, str], limits: Limits
) -> Source:
    if not path.exists():
        raise FileProblem(f"bestand niet gevonden: {path}")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return open_xlsx(path, schema, mapping, limits)
    return open_csv(path, schema, mapping, limits)
