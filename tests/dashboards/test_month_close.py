"""Month close: `close-month` freezes the published snapshot; the page shows the month as closed
beside today and which kind of change moved each source."""

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.ops.close_month import close_month, closed_path
from pipelines.settings import ConfigError, read_settings

PAGE = str(Path(__file__).resolve().parents[2] / "dashboards" / "views" / "month_close.py")
NOW = dt.datetime(2025, 2, 3, 9, 0, tzinfo=dt.UTC)


def _settings(serving_path, tmp_path):
    (tmp_path / "throughline.yml").write_text("")
    return read_settings(
        tmp_path / "throughline.yml", env={"THROUGHLINE_SERVING_PATH": str(serving_path)}
    )


def test_close_month_freezes_a_copy_once(serving_path, tmp_path):
    settings = _settings(serving_path, tmp_path)
    path = close_month(settings, "2025-01", now=NOW)
    assert path == closed_path(settings, "2025-01") and path.exists()
    assert path.read_bytes() != b""
    with pytest.raises(ConfigError, match="already closed"):
        close_month(settings, "2025-01", now=NOW)
    with pytest.raises(ConfigError, match="not over yet"):
        close_month(settings, "2025-02", now=NOW)
    with pytest.raises(ConfigError, match="not a month"):
        close_month(settings, "2025-1", now=NOW)
    close_month(settings, "2025-01", force=True, now=NOW)


def test_page_explains_what_changed_since_the_close(serving_path, tmp_path, fx):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert [i.value for i in at.info if "close-month" in i.value]

    close_month(_settings(serving_path, tmp_path), "2025-01", now=NOW)
    # after the close: VK restates a January day (+40.50), a CRM deal is edited (+500 revenue)
    rows = fx.channel_rows()
    for row in rows:
        if row["report_date"] == dt.date(2025, 1, 10) and row["source_system"] == "vk_ads":
            row["cost"] += 40.5
        if row["report_date"] == dt.date(2025, 1, 12) and row["campaign_id"] == "c1":
            row["revenue"] += 500
    fx.write_serving(serving_path, rows)

    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("source_system")
    assert table.loc["vk_ads", "cost_diff"] == pytest.approx(40.5)
    assert table.loc["vk_ads", "reason"] == "the ad platform restated cost"
    assert table.loc["yandex_direct", "revenue_diff"] == pytest.approx(500)
    assert table.loc["yandex_direct", "reason"] == "deals were edited after the close"
    assert table.loc["google_ads", "reason"] == "unchanged"
