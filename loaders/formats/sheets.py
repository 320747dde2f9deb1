"""Spreadsheets: XLSX (openpyxl), Excel 97-2003 ``.xls`` / WPS ``.et`` (xlrd), and CSV/TSV (the csv module).
One block per non-empty row, the cells as the sheet shows them (:func:`loaders.blocks.cell_text`); a
merged cell only in its first row.
"""
from __future__ import annotations

import io
import re
import zipfile

from core.errors import LoadError

from ..blocks import Block, cell_text, row_block
from ..limits import SheetBudget, check_office_zip

__all__ = ["read_xlsx", "read_xls", "read_delimited"]


def _row(values: list[str], n: int) -> Block | None:
    """A sheet's row: a table row when it has two cells or more (an empty cell between two kept ones
    remembered, as a pipe row's), a paragraph (the title above the table) when it has one."""
    b = row_block(values, n)
    if b is not None and len(b.cells) == 1:
        b = Block(b.cells, n)
    return b


def _shown(sheets, visible) -> list:
    """The sheets a person sees: a 台账 template's hidden sheets hold its drop-down lists (units, 已完成/推进中),
    no rows of the plan. All of them when none is shown (a workbook saved oddly)."""
    sheets = list(sheets)
    return [s for s in sheets if visible(s)] or sheets


def read_xlsx(data: bytes, name="") -> list[Block]:
    """An XLSX workbook's rows, sheet after sheet, within the sheet budget (:class:`loaders.limits.SheetBudget`)."""
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        check_office_zip(zf, name)   # sizes and DOCTYPEs before openpyxl parses a part
    budget = SheetBudget(name)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    blocks: list[Block] = []
    n = 0
    for ws in _shown(wb.worksheets, lambda ws: getattr(ws, "sheet_state", "visible") == "visible"):
        # The cells there are, not the range the file declares: an A1:XFD1048576 <dimension> would pad
        # every row to 16,384 cells (and count them against the budget).
        ws.reset_dimensions()
        covered = _covered(data, getattr(ws, "_worksheet_path", ""))
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            budget.take(len(row))
            b = _row([cell_text(v) if v is not None else "" for c, v in enumerate(row, 1) if (r, c) not in covered], n + 1)
            if b is not None:
                n += 1
                blocks.append(b)
    wb.close()
    return blocks


_MERGE = re.compile(r'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')


def _covered(data: bytes, path: str) -> set[tuple[int, int]]:
    """The (row, column) cells a merged cell spanning rows covers below its first row: the sheet prints
    its text once, on its first row, and the rows below print nothing there (not an empty cell), as a
    web page's rowspan cell printed as text leaves them out (a row's 牵头单位 merged with the one above).

    The merged ranges are read from the sheet's XML (openpyxl's read-only sheets do not give them), within
    the zip's checked sizes; a range over more than 10,000 cells is left alone."""
    if not path:
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read(path.lstrip("/")).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return set()
    out: set[tuple[int, int]] = set()
    for c1, r1, c2, r2 in _MERGE.findall(xml):
        a, b, top, bottom = _column(c1), _column(c2), int(r1), int(r2)
        if bottom > top and (bottom - top + 1) * (b - a + 1) <= 10_000:
            out.update((r, c) for r in range(top + 1, bottom + 1) for c in range(a, b + 1))
    return out


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def read_xls(data: bytes, name: str) -> list[Block] | None:
    """An Excel 97-2003 workbook's rows, as the XLSX reader gives them (a merged cell only in its first
    row, dates as 2021年11月20日); None when xlrd is missing or does not know the file (some .et), which
    LibreOffice then converts to XLSX (:mod:`loaders.read`)."""
    try:
        import xlrd
    except ImportError:
        return None
    try:   # (formatting_info: the merged ranges too, see _covered; a file it cannot give them for, read without)
        book = xlrd.open_workbook(file_contents=data, on_demand=True, formatting_info=True)
    except Exception:
        try:
            book = xlrd.open_workbook(file_contents=data, on_demand=True)
        except Exception:  # xlrd.XLRDError and struct errors on a file it does not know
            return None
    blocks = []
    n = 0
    try:
        shown = _shown(range(book.nsheets), lambda i: book.sheet_by_index(i).visibility == 0)
        for i in shown:
            sheet = book.sheet_by_index(i)
            covered = {(r, c) for r1, r2, c1, c2 in getattr(sheet, "merged_cells", ())
                       if r2 - r1 > 1 and (r2 - r1) * (c2 - c1) <= 10_000 for r in range(r1 + 1, r2) for c in range(c1, c2)}
            for r in range(sheet.nrows):
                cells = []
                for c, cell in enumerate(sheet.row(r)):
                    if (r, c) in covered:
                        continue   # (a merged cell's rows below its first print nothing there, as in read_xlsx)
                    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        cells.append("")
                        continue
                    value = cell.value
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                            pass
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        value = bool(value)
                    cells.append(cell_text(value))
                b = _row(cells, n + 1)
                if b is not None:
                    n += 1
                    blocks.append(b)
            book.unload_sheet(i)
    finally:
        book.release_resources()
    return blocks


def read_delimited(data: bytes, name: str = "") -> list[Block]:
    """A CSV or TSV file (a 台账 saved from a spreadsheet): its rows as a sheet's, the delimiter (comma,
    tab, semicolon) found by the csv module's sniffer, a comma when it cannot tell."""
    import csv

    from ..charset import decode

    text = decode(data, name)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel_tab if name.lower().endswith(".tsv") else csv.excel
    budget = SheetBudget(name)
    blocks: list[Block] = []
    n = 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            budget.take(len(row))
            b = _row([cell_text(v) for v in row], n + 1)
            if b is not None:
                n += 1
                blocks.append(b)
    except csv.Error as err:   # a NUL byte, a cell past the module's field limit
        raise LoadError(name, f"damaged CSV file ({err})") from err
    return blocks
