"""A table with its download button: every page shows tables the same way."""

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dashboards import metrics


def table_with_download(
    table: pd.DataFrame,
    columns: Mapping[str, Any],
    key: str,
    file_stem: str,
    column_order: Sequence[str] | None = None,
) -> None:
    st.dataframe(
        table,
        hide_index=True,
        column_order=list(column_order if column_order is not None else columns),
        column_config=columns,
        placeholder=metrics.EMPTY,
        key=key,
    )
    st.download_button(
        "Download CSV",
        data=table.to_csv(index=False),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
