"""Direct tests: the fake API importable as `fake_api_yandex_direct`, and a run harness."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))


import pytest  # noqa: E402
from fake_api_yandex_direct import FakeDirectApi  # noqa: E402
from yandex_direct_harness import Run  # noqa: E402


@pytest.fixture
def run(tmp_path, httpserver) -> Run:
    api = FakeDirectApi()
    return Run(tmp_path, api, api.register(httpserver))
