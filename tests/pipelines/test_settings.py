"""Configuration: throughline.yml, then .env, then the environment, with clear errors."""

from pathlib import Path

import pytest

from pipelines.settings import ConfigError, read_settings


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "throughline.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_come_from_the_yaml_next_to_it(tmp_path):
    cfg = _write(
        tmp_path, "data_dir: store\ncurrency: USD\nsources:\n  demo: {enabled: true, days: 7}\n"
    )
    s = read_settings(cfg, env={})
    assert s.currency == "USD"
    assert s.timezone == "Europe/Moscow"
    assert s.enabled_sources == ["demo"]
    assert s.source("demo").days == 7
    # relative paths are relative to the config file, not to the working directory
    assert s.warehouse_path == tmp_path / "store" / "warehouse.duckdb"
    assert s.serving_path == tmp_path / "store" / "serving.duckdb"


def test_environment_overrides_every_documented_key(tmp_path):
    cfg = _write(tmp_path, "sources:\n  demo: {enabled: true}\n  files: {enabled: false}\n")
    env = {
        "THROUGHLINE_SOURCES": "files, yandex_direct",
        "THROUGHLINE_FILES_DIR": "/drop",
        "THROUGHLINE_TIMEZONE": "Asia/Yekaterinburg",
        "THROUGHLINE_CURRENCY": "EUR",
        "THROUGHLINE_DATA_DIR": "/var/tl",
        "THROUGHLINE_ATTRIBUTION__LOOKBACK_DAYS": "14",
        "THROUGHLINE_SOURCES__DEMO__DAYS": "30",
        "THROUGHLINE_YANDEX_DIRECT_BASE_URL": "http://127.0.0.1:9999",
        "THROUGHLINE_PII_SALT": "pepper",
        "DAGSTER_PORT": "3100",
        "DASHBOARD_PORT": "8600",
    }
    s = read_settings(cfg, env=env)
    assert s.enabled_sources == ["files", "yandex_direct"]
    assert s.files_dir == Path("/drop")
    assert (s.timezone, s.currency) == ("Asia/Yekaterinburg", "EUR")
    assert s.warehouse_path == Path("/var/tl/warehouse.duckdb")
    assert s.attribution.lookback_days == 14
    assert s.source("demo").days == 30 and not s.source("demo").enabled
    assert s.source("yandex_direct").base_url == "http://127.0.0.1:9999"
    assert s.require_pii_salt() == "pepper"
    assert (s.dagster_port, s.dashboard_port) == (3100, 8600)


def test_secrets_are_not_shown_in_the_settings_repr(tmp_path):
    s = read_settings(_write(tmp_path, ""), env={"THROUGHLINE_PII_SALT": "very-secret-salt"})
    assert "very-secret-salt" not in repr(s)
    assert "very-secret-salt" not in s.model_dump_json()


def test_missing_salt_is_a_clear_error(tmp_path):
    s = read_settings(_write(tmp_path, ""), env={})
    with pytest.raises(ConfigError, match="THROUGHLINE_PII_SALT is not set"):
        s.require_pii_salt()


def test_a_wrong_value_names_the_file(tmp_path):
    cfg = _write(tmp_path, "attribution:\n  path_transform: sideways\n")
    with pytest.raises(ConfigError, match="throughline.yml: invalid configuration"):
        read_settings(cfg, env={})
