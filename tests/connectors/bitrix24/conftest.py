"""Bitrix24 tests: the fake portal importable as `fake_api_bitrix24`, and a harness per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))


from bitrix24_helpers import Harness  # noqa: E402
from fake_api_bitrix24 import FakeBitrix24Api  # noqa: E402


@pytest.fixture
def make_portal(httpserver, tmp_path):
    """make_portal(deals=..., contacts=..., history=...) -> Harness on a fresh fake portal."""

    def make(**records) -> Harness:
        harness = Harness(tmp_path, api=None)  # type: ignore[arg-type]
        harness.api = FakeBitrix24Api(clock=harness.clock, **records).register(httpserver)
        return harness

    return make


@pytest.fixture
def portal(make_portal) -> Harness:
    return make_portal()
