"""A shown table as a downloadable file (CSV or XLSX), pure (no Streamlit).

The file holds what the page shows: the shown columns in their order, headed by their display
labels (in the page's language), with the raw values (numbers stay numbers; a NULL ratio is an
empty cell). Russian CSV uses ``;`` and a decimal comma, as Excel in a Russian locale expects;
both CSVs start with a UTF-8 byte-order mark so Excel reads Cyrillic headers.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_DIALECT = {"en": {"sep": ",", "decimal": "."}, "ru": {"sep": ";", "decimal": ","}}
# st.column_config number formats → Excel number formats
EXCEL_FORMATS = {"percent": "0.0%", "%,.0f": "#,##0", "%+.1f": "+0.0;-0.0;0.0"}
MAX_SHEET_NAME = 31
MAX_COLUMN_WIDTH = 50


def _label(name: str, config: Any) -> str:
    if isinstance(config, str):
        return config
    if isinstance(config, Mapping) and config.get("label"):
        return str(config["label"])
    return name


def _number_format(config: Any) -> str | None:
    if not isinstance(config, Mapping):
        return None
    return EXCEL_FORMATS.get((config.get("type_config") or {}).get("format"))


def shown(
    table: pd.DataFrame, columns: Mapping[str, Any], column_order: Sequence[str] | None = None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The shown columns under their labels, and the Excel number format of each label."""
    order = [c for c in (column_order if column_order is not None else columns) if c in table]
    labels = {c: _label(c, columns.get(c)) for c in order}
    number_formats = {
        labels[c]: fmt for c in order if (fmt := _number_format(columns.get(c))) is not None
    }
    return table[order].rename(columns=labels), number_formats


def to_csv(frame: pd.DataFrame, lang: str = "en") -> bytes:
    text = frame.to_csv(index=False, **CSV_DIALECT.get(lang, CSV_DIALECT["en"]))
    return text.encode("utf-8-sig")


def to_xlsx(
    frame: pd.DataFrame, sheet: str, number_formats: Mapping[str, str] | None = None
) -> bytes:
    """One sheet: a bold frozen header, the values, number formats per column label."""
    buffer = io.BytesIO()
    sheet = sheet[:MAX_SHEET_NAME] or "Sheet1"
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet, index=False, freeze_panes=(1, 0))
        ws = writer.sheets[sheet]
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, label in enumerate(frame.columns, start=1):
            letter = get_column_letter(i)
            width = max([len(str(label)), *(len(str(v)) for v in frame.iloc[:, i - 1])], default=8)
            ws.column_dimensions[letter].width = min(width + 2, MAX_COLUMN_WIDTH)
            fmt = (number_formats or {}).get(label)
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = fmt
    return buffer.getvalue()
