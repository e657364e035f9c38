"""Throughline dashboards: the router. Pages live in dashboards/views/ and only lay out.

The RU/EN switch is drawn here, before the pages, so it sits at the top of every page's sidebar
and the page titles below are in the language it picks.
"""

from pathlib import Path

import streamlit as st

from dashboards import auth, data, health_banner
from dashboards.i18n import language_switch, t

VIEWS = Path(__file__).parent / "views"

st.set_page_config(page_title="Throughline", page_icon=":material/insights:", layout="wide")
language_switch()
auth.require_login()  # before st.navigation: no page, menu or data until let in
page = st.navigation(
    [
        st.Page(
            VIEWS / "overview.py",
            title=t("page.overview"),
            icon=":material/dashboard:",
            default=True,
        ),
        st.Page(VIEWS / "channel_roi.py", title=t("page.channel_roi"), icon=":material/paid:"),
        st.Page(VIEWS / "channels.py", title=t("channels.page_title"), icon=":material/campaign:"),
        st.Page(VIEWS / "funnel.py", title=t("page.funnel"), icon=":material/filter_alt:"),
        st.Page(
            VIEWS / "model_comparison.py",
            title=t("page.model_comparison"),
            icon=":material/compare_arrows:",
        ),
        st.Page(VIEWS / "cohorts.py", title=t("cohorts.title"), icon=":material/groups:"),
        st.Page(VIEWS / "segments.py", title=t("segments.title"), icon=":material/donut_small:"),
        st.Page(VIEWS / "managers.py", title=t("managers.title"), icon=":material/support_agent:"),
        st.Page(
            VIEWS / "data_health.py", title=t("data_health.title"), icon=":material/monitor_heart:"
        ),
        st.Page(VIEWS / "month_close.py", title=t("close.title"), icon=":material/lock_clock:"),
    ]
)
health_banner.show_if_late(data.current_snapshot())  # on every page: can I trust today's numbers?
page.run()
