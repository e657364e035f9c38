"""Which connectors exist and how each is built from settings (no Dagster here)."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass

import dlt
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials
from dlt.extract.source import DltSource

from pipelines.settings import ConfigError, Settings

# At definition time the graph only needs resource names, not secrets.
_PLACEHOLDER_SALT = "definitions-only"


def _salt(settings: Settings, for_run: bool) -> str:
    if for_run:
        return settings.require_pii_salt()
    return settings.pii_salt.get_secret_value() if settings.pii_salt else _PLACEHOLDER_SALT


def _demo(settings: Settings, for_run: bool) -> DltSource:
    from connectors.demo import demo

    cfg = settings.source("demo")
    options = {
        k: getattr(cfg, k)
        for k in ("days", "visits_per_day", "seed", "end_date")
        if getattr(cfg, k, None) is not None
    }
    return demo(pii_salt=_salt(settings, for_run), **options)


def _files(settings: Settings, for_run: bool) -> DltSource:
    from connectors.files import files

    if for_run and not settings.files_dir.is_dir():
        raise ConfigError(
            f"files source: folder {settings.files_dir} does not exist (set THROUGHLINE_FILES_DIR "
            "or sources.files.dir, see README 'Feed your own files')"
        )
    return files(files_dir=str(settings.files_dir), pii_salt=_salt(settings, for_run))


# URL-shaped, because some secrets are URLs (Bitrix24's webhook) and are checked as such.
_PLACEHOLDER_SECRET = "https://definitions-only.invalid/rest/0/definitions-only/"


class _DefinitionEnv(dict):
    """At definition time every secret reads as a placeholder: only resource names are needed."""

    def get(self, key, default=None):  # noqa: ANN001 - dict signature
        return super().get(key) or _PLACEHOLDER_SECRET


Window = tuple[dt.date, dt.date] | None


def _api(name: str) -> Callable[..., DltSource]:
    """An HTTP connector: connectors/<name>.from_options with its throughline.yml section."""

    def build(settings: Settings, for_run: bool, window: Window = None) -> DltSource:
        from connectors.common.config import ConnectorConfigError

        module = importlib.import_module(f"connectors.{name}")
        options = settings.source(name).model_dump(exclude={"enabled"}, exclude_none=True)
        env = settings.env if for_run else _DefinitionEnv(settings.env)
        start, end = window if window else (None, None)
        try:
            return module.from_options(
                options, env, _salt(settings, for_run), start_date=start, end_date=end
            )
        except ConnectorConfigError as exc:
            raise ConfigError(str(exc)) from exc

    return build


@dataclass(frozen=True)
class Connector:
    name: str
    build: Callable[..., DltSource]
    partitioned: bool = False  # loads a window of days (API sources); demo and files load whole

    @property
    def dataset(self) -> str:
        return f"raw_{self.name}"


API_SOURCES = (
    "yandex_direct",
    "vk_ads",
    "yandex_metrica",
    "amocrm",
    "bitrix24",
    "retailcrm",
    "calltouch",
)

CONNECTORS: dict[str, Connector] = {
    "demo": Connector("demo", _demo),
    "files": Connector("files", _files),
    **{name: Connector(name, _api(name), partitioned=True) for name in API_SOURCES},
}


def enabled_connectors(settings: Settings) -> list[Connector]:
    unknown = [name for name in settings.enabled_sources if name not in CONNECTORS]
    if unknown:
        raise ConfigError(
            f"unknown source(s) {', '.join(unknown)} in THROUGHLINE_SOURCES / throughline.yml; "
            f"known: {', '.join(CONNECTORS)}"
        )
    return [CONNECTORS[name] for name in settings.enabled_sources]


def build_pipeline(connector: Connector, settings: Settings) -> dlt.Pipeline:
    settings.data_path.mkdir(parents=True, exist_ok=True)
    # dlt stamps the rows it normalises with `_dlt_load_id`, Arrow tables (the demo's) only when
    # asked: the incremental dbt models find new and restated rows by it.
    dlt.config["normalize.parquet_normalizer.add_dlt_load_id"] = True
    # Nothing reads a load's files or its staging copy once it is in the raw tables; kept, they
    # were a second and third copy of every row (at 3x B1: 4.6 GB of files, and the staging
    # tables' space inside the warehouse, which dbt's spill then had to do without).
    dlt.config["load.delete_completed_jobs"] = True
    dlt.config["load.truncate_staging_dataset"] = True
    return dlt.pipeline(
        pipeline_name=f"throughline_{connector.name}",
        # Raw rows carry their own order (source_seq, load id): letting DuckDB insert out of
        # order halves the load of a large drop.
        destination=dlt.destinations.duckdb(
            DuckDbCredentials(
                str(settings.warehouse_path),
                global_config={
                    "preserve_insertion_order": False,
                    "memory_limit": settings.duckdb_memory_limit,
                },
            )
        ),
        dataset_name=connector.dataset,
        pipelines_dir=str(settings.dlt_dir),
    )
