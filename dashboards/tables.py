"""A table with its downloads: every page shows tables the same way."""

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dashboards import exports, metrics
from dashboards.i18n import language, t


def table_with_download(
    table: pd.DataFrame,
    columns: Mapping[str, Any],
    key: str,
    file_stem: str,
    column_order: Sequence[str] | None = None,
) -> None:
    """The table, then "CSV" and "Excel (XLSX)" buttons for exactly what it shows. The files
    are built only when a button is clicked."""
    order = list(column_order if column_order is not None else columns)
    st.dataframe(
        table,
        hide_index=True,
        column_order=order,
        column_config=columns,
        placeholder=metrics.EMPTY,
        key=key,
    )
    frame, number_formats = exports.shown(table, columns, order)
    lang = language()
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            t("download.csv"),
            data=lambda: exports.to_csv(frame, lang),
            file_name=f"{file_stem}.csv",
            mime=exports.CSV_MIME,
            icon=":material/download:",
            help=t("download.help"),
            on_click="ignore",
            key=f"{key}_csv",
        )
        st.download_button(
            t("download.xlsx"),
            data=lambda: exports.to_xlsx(frame, file_stem, number_formats),
            file_name=f"{file_stem}.xlsx",
            mime=exports.XLSX_MIME,
            icon=":material/table_view:",
            help=t("download.help"),
            on_click="ignore",
            key=f"{key}_xlsx",
        )
