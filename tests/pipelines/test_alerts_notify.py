"""Delivery through Apprise to a local receiver; the token in the URL is never logged."""

import logging
import socket

import pytest

from pipelines.alerts.notify import Notifier, alert_urls, parse_urls, redact, secret_parts
from pipelines.settings import ConfigError

TOKEN = "tok-9f3a7c1e5b"  # distinctive, so finding it anywhere is a leak


def _url(httpserver, token=TOKEN):
    return f"json://127.0.0.1:{httpserver.port}/hooks/{token}"


def _our_logs(caplog):
    """Everything logged on our side; werkzeug is the local receiver, which logs what it got."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name != "werkzeug")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_urls_are_split_on_commas_and_whitespace():
    value = " tgram://bot:tok/123,slack://a/b/c\n mailtos://u:p@example.com ,, "
    assert parse_urls(value) == [
        "tgram://bot:tok/123",
        "slack://a/b/c",
        "mailtos://u:p@example.com",
    ]
    assert alert_urls({}) == [] and parse_urls("  ") == []


def test_every_part_of_a_url_is_masked():
    parts = secret_parts(
        ["tgram://123456:AAH-secret/987654?format=text", "mailtos://bob:pw99@mx.io"]
    )
    text = redact("POST https://api.telegram.org/bot123456:AAH-secret/sendMessage to 987654", parts)
    assert "AAH-secret" not in text and "987654" not in text and "123456" not in text
    assert "pw99" not in redact("login bob:pw99 at mx.io", parts)


def test_a_message_reaches_the_receiver_and_debug_logs_keep_the_token_out(httpserver, caplog):
    httpserver.expect_request(f"/hooks/{TOKEN}", method="POST").respond_with_data("ok")
    caplog.set_level(logging.DEBUG)  # Apprise prints the full POST URL at debug level
    notifier = Notifier([_url(httpserver)])
    assert notifier.send("[Throughline] FIRING: Late data", "yandex_direct is late\nRU: опаздывает")
    [(request, _)] = httpserver.log
    payload = request.get_json()
    assert payload["title"] == "[Throughline] FIRING: Late data"
    assert payload["message"] == "yandex_direct is late\nRU: опаздывает"
    assert payload["type"] == "failure"
    assert "JSON POST URL" in _our_logs(caplog)  # the record was there, masked
    assert TOKEN not in _our_logs(caplog)
    assert all(TOKEN not in target for target in notifier.targets)


def test_a_rejected_message_is_false_and_logged_without_the_token(httpserver, caplog):
    httpserver.expect_request(f"/hooks/{TOKEN}").respond_with_data("no", status=500)
    caplog.set_level(logging.DEBUG)
    assert Notifier([_url(httpserver)]).send("t", "b") is False
    assert "500" in _our_logs(caplog)
    assert TOKEN not in _our_logs(caplog)


def test_an_unreachable_receiver_is_false_and_logged_without_the_token(caplog):
    caplog.set_level(logging.DEBUG)
    url = f"json://127.0.0.1:{_free_port()}/hooks/{TOKEN}"
    assert Notifier([url]).send("t", "b") is False
    assert "Connection" in caplog.text or "connection" in caplog.text
    assert TOKEN not in caplog.text


def test_a_bad_url_is_a_config_error_that_names_only_the_scheme(caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ConfigError, match=r"entry 2 \(nosuchservice://\*\*\*\)") as info:
        Notifier(["json://127.0.0.1:1/ok", f"nosuchservice://{TOKEN}@host/x"])
    assert TOKEN not in str(info.value)
    assert TOKEN not in caplog.text


def test_no_urls_is_a_config_error():
    with pytest.raises(ConfigError, match="THROUGHLINE_ALERT_URLS"):
        Notifier([])
