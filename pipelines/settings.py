"""The one typed configuration: throughline.yml, then .env, then the environment.

Imports no Dagster: the pipelines, the connectors' wrappers and the dashboards all read it.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from dotenv import dotenv_values
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr

REPO_ROOT = Path(__file__).resolve().parent.parent
PREFIX = "THROUGHLINE_"


class ConfigError(RuntimeError):
    """Configuration is missing or wrong; the message says what to set."""


class SourceConfig(BaseModel):
    model_config = ConfigDict(extra="allow")
    enabled: bool = False
    base_url: str | None = None


class AttributionSettings(BaseModel):
    models: list[str] = [  # the first is the dashboards' default: Metrica's "last significant"
        "last_non_direct",
        "last_touch",
        "first_touch",
        "linear",
        "position_based",
        "time_decay",
        "markov",
        "shapley",
        "w_shaped",
    ]
    lookback_days: int = Field(30, ge=0)
    path_lookback_steps: int = Field(0, ge=0)
    path_transform: Literal["exposure", "first", "none"] = "exposure"
    position_first_share: float = Field(0.4, ge=0, le=1)
    position_last_share: float = Field(0.4, ge=0, le=1)
    time_decay_half_life_days: float = Field(7.0, gt=0)
    bootstrap_resamples: int = Field(200, ge=0)
    bootstrap_seed: int = 42
    data_driven_min_conversions: int = Field(100, ge=0)
    w_shaped_opportunity_stages: list[str] = []


class ScheduleSettings(BaseModel):
    nightly_cron: str = "0 3 * * *"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    root: Path = REPO_ROOT
    data_dir: Path = Path("data")
    serving_path_override: Path | None = Field(None, alias="serving_path")
    timezone: str = "Europe/Moscow"
    currency: str = "RUB"
    pii_salt: SecretStr | None = None
    sources: dict[str, SourceConfig] = {"demo": SourceConfig(enabled=True)}
    attribution: AttributionSettings = AttributionSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    host: str = "127.0.0.1"  # where `make serve` listens; 0.0.0.0 exposes it to the network
    dagster_port: int = 3000
    dashboard_port: int = 8501
    partitions_start: dt.date = dt.date(2024, 1, 1)  # first day the API sources can backfill
    # dbt unit tests check the SQL's logic on fixed inputs, not the night's data: `make test`
    # runs them (tests set THROUGHLINE_DBT_UNIT_TESTS=true); the nightly build skips them.
    dbt_unit_tests: bool = False
    # fct_source_freshness ages sources against the build day; pinning it makes two builds either
    # side of midnight publish the same marts (tests pin it, an analyst may to rebuild a past day).
    freshness_as_of: dt.date | None = None
    # DuckDB's cap for dbt and for loads (a size, "4GB", or a share of RAM, "50%"): past it
    # DuckDB spills to disk (beside the warehouse) instead of growing. Its own default, 80% of
    # RAM, took 12.9 GiB on B1; 2.5 GB cost 4% of the build's time (BENCHMARKS.md).
    duckdb_memory_limit: str = "2GB"
    # The environment (with .env) the settings were read from: connectors take their secrets from
    # it. Private, so it is in no repr, dump or log.
    _env: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        return self._env

    def _abs(self, path: Path) -> Path:
        return path if path.is_absolute() else (self.root / path)

    @property
    def data_path(self) -> Path:
        return self._abs(self.data_dir)

    @property
    def warehouse_path(self) -> Path:
        return self.data_path / "warehouse.duckdb"

    @property
    def serving_path(self) -> Path:
        if self.serving_path_override is not None:
            return self._abs(self.serving_path_override)
        return self.data_path / "serving.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.data_path / "dagster_home"

    @property
    def dlt_dir(self) -> Path:
        return self.data_path / "dlt"

    @property
    def enabled_sources(self) -> list[str]:
        return [name for name, cfg in self.sources.items() if cfg.enabled]

    def source(self, name: str) -> SourceConfig:
        return self.sources.get(name) or SourceConfig()

    @property
    def files_dir(self) -> Path:
        return self._abs(Path(getattr(self.source("files"), "dir", None) or "data/files"))

    def require_pii_salt(self) -> str:
        if self.pii_salt is None or not self.pii_salt.get_secret_value():
            raise ConfigError(
                "THROUGHLINE_PII_SALT is not set (needed to hash e-mails and phones before they "
                "land; `make` writes a random one to .env, see README 'Configuration')"
            )
        return self.pii_salt.get_secret_value()


def _set_path(tree: dict[str, Any], keys: list[str], value: Any) -> None:
    for key in keys[:-1]:
        node = tree.get(key)
        if not isinstance(node, dict):
            node = tree[key] = {}
        tree = node
    tree[keys[-1]] = value


def _parse_scalar(text: str) -> Any:
    # YAML parsing makes "30" an int, "true" a bool and "[a, b]" a list, as in throughline.yml.
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def apply_environment(raw: dict[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    """Overlay environment variables on the YAML tree (see the header of throughline.yml)."""
    tree = dict(raw)
    sources = tree.setdefault("sources", {})
    for key, value in sorted(env.items()):
        if not key.startswith(PREFIX) or key == PREFIX + "SOURCES":
            continue
        name = key[len(PREFIX) :].lower()
        if "__" in name:
            _set_path(tree, name.split("__"), _parse_scalar(value))
        elif name == "files_dir":
            _set_path(tree, ["sources", "files", "dir"], value)
        elif name.endswith("_base_url"):
            _set_path(tree, ["sources", name[: -len("_base_url")], "base_url"], value)
        elif name in Settings.model_fields or name == "serving_path":
            tree[name] = value
    if PREFIX + "SOURCES" in env:
        wanted = [s.strip() for s in env[PREFIX + "SOURCES"].split(",") if s.strip()]
        for name in list(sources) + wanted:
            cfg = sources.setdefault(name, {}) or {}
            cfg["enabled"] = name in wanted
            sources[name] = cfg
    for key in ("DAGSTER_PORT", "DASHBOARD_PORT"):
        if key in env:
            tree[key.lower()] = int(env[key])
    return tree


def read_settings(
    config_path: Path | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Build Settings without caching: tests call this with their own environment."""
    env = dict(os.environ if env is None else env)
    config_path = Path(env.get(PREFIX + "CONFIG") or config_path or REPO_ROOT / "throughline.yml")
    raw: dict[str, Any] = {}
    if config_path.exists():
        raw = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    dotenv_file = config_path.parent / ".env"
    if dotenv_file.exists():  # the real environment wins over .env
        env = {**{k: v for k, v in dotenv_values(dotenv_file).items() if v is not None}, **env}
    tree = apply_environment(raw, env)
    tree.setdefault("root", config_path.resolve().parent)
    try:
        settings = Settings.model_validate(tree)
    except ValueError as exc:
        raise ConfigError(f"{config_path}: invalid configuration: {exc}") from exc
    settings._env = env
    return settings


@functools.cache
def load_settings() -> Settings:
    return read_settings()
