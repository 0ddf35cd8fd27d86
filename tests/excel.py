"""Workbooks compared as a reader sees them."""

import io

from openpyxl import load_workbook

STYLE = ("font", "fill", "border", "alignment", "protection", "number_format")


def describe(data: bytes) -> dict:
    """Everything a clerk or a reader of the workbook could tell apart, sheet by sheet."""
    workbook = load_workbook(io.BytesIO(data))
    found = {"sheets": workbook.sheetnames, "print_titles": []}
    for sheet in workbook.worksheets:
        cells = {
            cell.coordinate: (
                cell.value,
                cell.data_type,
                *(repr(getattr(cell, a)) for a in STYLE),
            )
            for row in sheet.iter_rows()
            for cell in row
        }
        validations = [
            (str(v.sqref), v.type, v.operator, v.formula1, v.formula2, v.allow_blank)
            + (v.showErrorMessage, v.error, v.errorTitle, v.showInputMessage, v.prompt)
            for v in sheet.data_validations.dataValidation
        ]
        found[sheet.title] = {
            "state": sheet.sheet_state,
            "dimensions": sheet.dimensions,
            "cells": cells,
            "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
            "validations": validations,
            "protection": repr(sheet.protection),
            "freeze": sheet.freeze_panes,
            "print_titles": sheet.print_title_rows,
            "page": (repr(sheet.page_setup), repr(sheet.page_margins), repr(sheet.print_options)),
            "columns": {k: (v.width, v.customWidth) for k, v in sheet.column_dimensions.items()},
            "rows": {k: v.height for k, v in sheet.row_dimensions.items() if v.height},
            "properties": repr(sheet.sheet_properties),
        }
    return found
