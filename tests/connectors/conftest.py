"""Shared fixtures for connector tests."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture
def client_logs(caplog):
    """Everything our code (and requests/urllib3/dlt) logged, without the local test server's own
    access log, which prints the request line the test itself sent."""
    caplog.set_level(logging.DEBUG)

    def text() -> str:
        return "\n".join(
            r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug")
        )

    return text
