"""Delivery through Apprise: Telegram, Slack, e-mail, ... all configured by URL.

The URLs come from the secret THROUGHLINE_ALERT_URLS and carry tokens, so nothing here prints one:
while a message is sent, every log record of Apprise and of the HTTP stack beneath it has each
part of each URL (user, password, host, path segment, query value) replaced by "***", and errors
name an URL only by its position and scheme.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from urllib.parse import parse_qsl, unquote, urlsplit

import apprise

from pipelines.settings import ConfigError

URLS_ENV = "THROUGHLINE_ALERT_URLS"
MASK = "***"
# Loggers that may print a target URL: Apprise's own, and the HTTP clients it sends through.
LOGGERS = ("apprise", "urllib3.connectionpool", "urllib3.util.retry", "requests")
_MIN_SECRET_LEN = 3  # shorter parts ("1", "ru") would mask ordinary words, and cannot be tokens

log = logging.getLogger(__name__)


def parse_urls(value: str | None) -> list[str]:
    """THROUGHLINE_ALERT_URLS: URLs separated by commas and/or whitespace."""
    return [part for part in re.split(r"[\s,]+", value or "") if part]


def alert_urls(env: Mapping[str, str]) -> list[str]:
    return parse_urls(env.get(URLS_ENV))


def secret_parts(urls: Sequence[str]) -> list[str]:
    """Every part of every URL that could be a secret, longest first (so no part is left half
    masked), raw and percent-decoded."""
    parts: set[str] = set()
    for url in urls:
        scheme, _, rest = url.partition("://")
        parts.add(rest)
        try:
            split = urlsplit(url)
            pieces = [split.username, split.password, split.hostname, split.fragment]
            pieces += split.path.split("/")
            pieces += [v for _, v in parse_qsl(split.query, keep_blank_values=False)]
        except ValueError:  # not parseable as a URL: mask what follows the scheme as a whole
            pieces = []
        pieces += re.split(r"[/:@?&=#]+", rest)
        for piece in pieces:
            if piece and len(piece) >= _MIN_SECRET_LEN:
                parts.add(piece)
                parts.add(unquote(piece))
    return sorted(parts, key=len, reverse=True)


def redact(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text


class _RedactingFilter(logging.Filter):
    """Rewrites a record's message (and any traceback) with the secrets masked."""

    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose args do not fit its format: keep only the format
            message = str(record.msg)
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            message += "\n" + record.exc_text
            record.exc_text = None
        record.msg, record.args = redact(message, self.secrets), ()
        return True


@contextlib.contextmanager
def redacted_logs(secrets: Sequence[str]) -> Iterator[None]:
    """Mask the secrets in what Apprise and the HTTP stack log while the block runs."""
    flt = _RedactingFilter(secrets)
    loggers = [logging.getLogger(name) for name in LOGGERS]
    for logger in loggers:
        logger.addFilter(flt)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(flt)


def _scheme(url: str) -> str:
    return url.partition("://")[0] if "://" in url else "?"


class Notifier:
    """Sends one message to every configured URL."""

    def __init__(self, urls: Sequence[str]) -> None:
        if not urls:
            raise ConfigError(f"{URLS_ENV} is empty: no alert URL to send to")
        self._secrets = secret_parts(urls)
        self._apprise = apprise.Apprise()
        with redacted_logs(self._secrets):
            for position, url in enumerate(urls, start=1):
                if not self._apprise.add(url):
                    raise ConfigError(
                        f"{URLS_ENV}: entry {position} ({_scheme(url)}://{MASK}) is not a URL "
                        "Apprise can send to; see https://github.com/caronc/apprise/wiki for "
                        "the format of each service (tgram://, slack://, mailtos://, ...)"
                    )

    @property
    def targets(self) -> list[str]:
        """The targets with their secrets hidden, for logs and the UI."""
        return [self.redact(server.url(privacy=True)) for server in self._apprise]

    def redact(self, text: str) -> str:
        return redact(text, self._secrets)

    def send(self, title: str, body: str, failure: bool = True) -> bool:
        """True when every target accepted the message. Never raises on a delivery problem:
        it is logged (masked) and reported as False, so the caller can retry next time."""
        kind = apprise.NotifyType.FAILURE if failure else apprise.NotifyType.SUCCESS
        with redacted_logs(self._secrets):
            try:
                return bool(
                    self._apprise.notify(
                        title=title,
                        body=body,
                        notify_type=kind,
                        body_format=apprise.NotifyFormat.TEXT,
                    )
                )
            except Exception as exc:  # noqa: BLE001 - any failure of a target is a failed send
                log.warning(
                    "alert delivery failed: %s", self.redact(f"{type(exc).__name__}: {exc}")
                )
                return False
