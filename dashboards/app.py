"""Throughline dashboards: the router. Pages live in dashboards/views/ and only lay out."""

from pathlib import Path

import streamlit as st

VIEWS = Path(__file__).parent / "views"

st.set_page_config(page_title="Throughline", page_icon=":material/insights:", layout="wide")
st.navigation(
    [
        st.Page(
            VIEWS / "channel_roi.py", title="Channel ROI", icon=":material/paid:", default=True
        ),
        st.Page(VIEWS / "funnel.py", title="Funnel", icon=":material/filter_alt:"),
        st.Page(
            VIEWS / "model_comparison.py",
            title="Model comparison",
            icon=":material/compare_arrows:",
        ),
    ]
).run()
