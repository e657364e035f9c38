"""Fixtures shared across test folders: the nightly job run once on small demo data."""

import pytest
from nightly_helpers import DEMO, SALT, build_env, run_build

from connectors.demo.generator import generate


@pytest.fixture(scope="session")
def demo_data():
    return generate(pii_salt=SALT, **DEMO)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    env = build_env(data_dir, "demo")
    done = run_build(env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return data_dir, env
