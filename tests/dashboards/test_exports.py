"""Table downloads: the shown columns under their labels, as CSV and as XLSX bytes."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import openpyxl
import pandas as pd
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboards import exports

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"

TABLE = pd.DataFrame(
    {
        "channel": ["Paid Search", "Paid Social", "Organic Search"],
        "impressions": [63000, 60000, 0],  # not shown on the page: not in the file
        "cost": [6150.0, 600.0, 0.0],
        "leads": [105.0, 0.0, 45.0],
        "roi": [16350 / 6150, -1.0, float("nan")],
    }
)
COLUMNS = {
    "channel": st.column_config.TextColumn("Канал", pinned=True),
    "cost": st.column_config.NumberColumn("Расход, RUB", format="%,.0f"),
    "leads": st.column_config.NumberColumn("Лиды", format="localized"),
    "roi": st.column_config.NumberColumn("ROI", format="percent"),
}


def test_shown_columns_under_their_labels():
    frame, number_formats = exports.shown(TABLE, COLUMNS)
    assert list(frame.columns) == ["Канал", "Расход, RUB", "Лиды", "ROI"]
    assert number_formats == {"Расход, RUB": "#,##0", "ROI": "0.0%"}
    frame, _ = exports.shown(TABLE, COLUMNS, column_order=["roi", "channel", "missing"])
    assert list(frame.columns) == ["ROI", "Канал"]


def test_csv_per_language():
    frame, _ = exports.shown(TABLE, COLUMNS)
    ru = exports.to_csv(frame, "ru")
    assert ru.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the Cyrillic headers
    lines = ru.decode("utf-8-sig").splitlines()
    assert lines[0] == "Канал;Расход, RUB;Лиды;ROI"
    assert lines[1].startswith("Paid Search;6150,0;105,0;2,658")
    assert lines[3] == "Organic Search;0,0;45,0;"  # an undefined ratio is an empty cell
    en = exports.to_csv(frame, "en").decode("utf-8-sig").splitlines()
    assert en[1].startswith("Paid Search,6150.0,105.0,2.658")
    assert en[0] == 'Канал,"Расход, RUB",Лиды,ROI'


def test_xlsx_bytes_open_with_openpyxl():
    frame, number_formats = exports.shown(TABLE, COLUMNS)
    data = exports.to_xlsx(
        frame, "channel_roi_first_touch_20250102_20250131_channel", number_formats
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    [sheet] = book.worksheets
    assert sheet.title == "channel_roi_first_touch_2025010"  # Excel's 31 characters
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Канал", "Расход, RUB", "Лиды", "ROI")
    assert rows[1][:3] == ("Paid Search", 6150, 105)
    assert math.isclose(rows[1][3], 16350 / 6150)
    assert rows[2] == ("Paid Social", 600, 0, -1)
    assert rows[3] == ("Organic Search", 0, 45, None)  # "—" on screen, an empty cell here
    assert sheet["B2"].number_format == "#,##0"
    assert sheet["D2"].number_format == "0.0%"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold


def test_the_page_offers_both_files_for_its_table(serving_path):
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("views/channel_roi.py").run()
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["CSV", "Excel (XLSX)"]
    assert all(b.proto.help for b in buttons)
    # what the XLSX button would hand over: the page's own table and headers
    [grid] = at.dataframe
    config = json.loads(grid.proto.columns)
    frame, formats = exports.shown(grid.value, config, list(grid.proto.column_order))
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(frame, "roi", formats)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Channel", "Cost, RUB", "Visits", "Leads", "Won")
    assert rows[1][:2] == ("Paid Search", 6150)
    assert [r[0] for r in rows[1:]] == ["Paid Search", "Paid Social", "Organic Search", "(none)"]
