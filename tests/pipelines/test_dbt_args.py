"""The dbt invocation is a pure function of settings (no Dagster started)."""

import json

from pipelines.settings import read_settings
from pipelines.transform.assets import build_dbt_args
from pipelines.transform.project import dbt_vars, target_dir


def test_dbt_build_args_carry_the_settings_as_vars(tmp_path):
    (tmp_path / "throughline.yml").write_text("sources:\n  demo: {enabled: true}\n")
    s = read_settings(
        tmp_path / "throughline.yml",
        env={
            "THROUGHLINE_SOURCES": "demo,files",
            "THROUGHLINE_ATTRIBUTION__PATH_LOOKBACK_STEPS": "4",
        },
    )
    args = build_dbt_args(s)
    assert args[:2] == ["build", "--vars"]
    # unit tests check SQL logic, not the night's data: only test builds run them
    assert args[3:] == ["--exclude-resource-type", "unit_test"]
    with_units = read_settings(
        tmp_path / "throughline.yml", env={"THROUGHLINE_DBT_UNIT_TESTS": "true"}
    )
    assert build_dbt_args(with_units)[3:] == []
    # the day Data health ages sources against: the build day unless pinned
    pinned = read_settings(
        tmp_path / "throughline.yml", env={"THROUGHLINE_FRESHNESS_AS_OF": "2026-03-10"}
    )
    assert json.loads(build_dbt_args(pinned)[2])["freshness_as_of"] == "2026-03-10"
    assert json.loads(args[2]) == {
        "throughline_sources": ["demo", "files"],
        "reporting_timezone": "Europe/Moscow",
        "reporting_currency": "RUB",
        "attribution_models": [
            "last_non_direct",
            "last_touch",
            "first_touch",
            "linear",
            "position_based",
            "time_decay",
            "markov",
            "shapley",
            "w_shaped",
        ],
        "lookback_days": 30,
        "path_lookback_steps": 4,
        "path_transform": "exposure",
        "position_first_share": 0.4,
        "position_last_share": 0.4,
        "time_decay_half_life_days": 7.0,
        "bootstrap_resamples": 200,
        "bootstrap_seed": 42,
        "data_driven_min_conversions": 100,
        "w_shaped_opportunity_stages": [],
        "lead_call_sources": [],
    }


def test_each_set_of_vars_gets_its_own_manifest_dir(tmp_path):
    (tmp_path / "throughline.yml").write_text("")
    a = read_settings(tmp_path / "throughline.yml", env={"THROUGHLINE_SOURCES": "demo"})
    b = read_settings(tmp_path / "throughline.yml", env={"THROUGHLINE_SOURCES": "files"})
    assert dbt_vars(a) != dbt_vars(b)
    assert target_dir(a) != target_dir(b)
    assert target_dir(a) == target_dir(
        read_settings(tmp_path / "throughline.yml", env={"THROUGHLINE_SOURCES": "demo"})
    )
