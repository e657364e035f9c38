"""VK Ads access tokens: client credentials, refresh, and where the token is kept.

VK Ads lets one client hold only a few active tokens ([v] five), each living about a day, so a
token is reused rather than fetched on every run: it lives in memory for the run and, when
`token_cache_dir` is set, in a 0600 file there for the next run. It is never put in dlt state,
because dlt keeps its state in the warehouse (`_dlt_pipeline_state`), and secrets never go there.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from connectors.common.http import HttpClient, SourceApiError

from .settings import (
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    DEFAULT_TOKEN_LIFETIME_S,
    TOKEN_DELETE_PATH,
    TOKEN_EXPIRY_MARGIN_S,
    TOKEN_LIMIT_ERROR,
    TOKEN_PATH,
)

logger = logging.getLogger(__name__)


class VkAdsAuthError(SourceApiError):
    """The token endpoint refused us; the message says what to do."""


@dataclass(frozen=True)
class Token:
    access_token: str
    refresh_token: str | None
    expires_at: float  # wall-clock seconds (time.time): the file outlives the process


class TokenFile:
    """One token per API and client in `<directory>/vk_ads_token_<hash>.json`, mode 0600."""

    def __init__(self, directory: str | Path, base_url: str, client_id: str):
        digest = hashlib.sha256(f"{base_url.rstrip('/')}|{client_id}".encode()).hexdigest()[:16]
        self.path = Path(directory) / f"vk_ads_token_{digest}.json"

    def load(self) -> Token | None:
        try:
            if self.path.stat().st_mode & 0o077:  # someone widened it: narrow it again
                os.chmod(self.path, 0o600)
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Token(str(data["access_token"]), data.get("refresh_token"), data["expires_at"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            logger.warning("vk_ads: token cache %s is unreadable, ignoring it", self.path)
            return None

    def save(self, token: Token) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)  # O_CREAT's mode does not apply to a leftover file
            os.write(fd, json.dumps(asdict(token)).encode())
        finally:
            os.close(fd)
        os.replace(tmp, self.path)


class TokenManager:
    """Hands out a valid access token: memory, then the cache file, then the token endpoint."""

    def __init__(
        self,
        http: HttpClient,
        client_id: str,
        client_secret: str,
        cache: TokenFile | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.http, self.cache, self.clock = http, cache, clock
        self._credentials = {"client_id": client_id, "client_secret": client_secret}
        self._token: Token | None = None
        self._hide(client_secret)

    def current(self) -> str:
        """A token that is not about to expire (refreshed or fetched when needed)."""
        if self._token is None and self.cache is not None:
            self._token = self.cache.load()
            if self._token is not None:
                self._hide(self._token.access_token, self._token.refresh_token)
        token = self._token
        if token is None or self.clock() >= token.expires_at - TOKEN_EXPIRY_MARGIN_S:
            token = self.renew()
        return token.access_token

    def renew(self) -> Token:
        """A new access token: by the refresh token when we have one, else client credentials."""
        old = self._token
        token = None
        if old is not None and old.refresh_token:
            try:
                token = self._grant("refresh_token", refresh_token=old.refresh_token)
            except VkAdsAuthError as exc:
                logger.warning("vk_ads: refresh refused (HTTP %s), getting a new token", exc.status)
        if token is None:
            token = self._grant("client_credentials")
        self._token = token
        if self.cache is not None:
            self.cache.save(token)
        return token

    def _grant(self, grant_type: str, **extra: str) -> Token:
        data = {"grant_type": grant_type, **self._credentials, **extra}
        response = self.http.request("POST", TOKEN_PATH, data=data)
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400 or not (isinstance(body, dict) and body.get("access_token")):
            raise self._refusal(response, body, grant_type)
        refresh = body.get("refresh_token") or extra.get("refresh_token")
        self._hide(body["access_token"], refresh)
        lifetime = float(body.get("expires_in") or DEFAULT_TOKEN_LIFETIME_S)
        return Token(body["access_token"], refresh, self.clock() + lifetime)

    def _refusal(self, response, body: object, grant_type: str) -> VkAdsAuthError:
        error = body.get("error") if isinstance(body, dict) else None
        detail = str(self.http.fail(response, f"{grant_type} token request"))
        if error == TOKEN_LIMIT_ERROR or "too many" in response.text.lower():
            message = (
                f"{detail}. This VK Ads client already holds the maximum number of active tokens. "
                f"Delete them: POST {self.http.url(TOKEN_DELETE_PATH)} with form fields client_id "
                f"and client_secret ({CLIENT_ID_ENV}, {CLIENT_SECRET_ENV}), then run again; set "
                "sources.vk_ads.token_cache_dir so that runs reuse one token"
            )
        elif grant_type == "client_credentials" and response.status_code in (400, 401, 403):
            message = (
                f"{detail}. Check {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV} (VK Ads: Settings -> "
                "API access); see connectors/vk_ads/README.md"
            )
        else:
            message = detail
        return VkAdsAuthError(message, status=response.status_code)

    def _hide(self, *secrets: str | None) -> None:
        """Every token we learn is redacted from messages the HTTP client builds."""
        new = tuple(s for s in secrets if s and s not in self.http.secrets)
        self.http.secrets = self.http.secrets + new
