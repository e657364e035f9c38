"""Optional login in front of every page: a shared password, single sign-on, or nothing.

The router calls ``require_login()`` after the language switch and before ``st.navigation``;
until the visitor is let in, the run stops there, so no page (and no data) is drawn.

- ``[auth]`` in ``.streamlit/secrets.toml`` (Streamlit's OIDC settings): sign in with
  ``st.login``; the identity lives in Streamlit's signed cookie and in ``st.user``.
- ``THROUGHLINE_DASHBOARD_PASSWORD`` (the environment, then ``.env``): a password form. The
  password is compared with ``hmac.compare_digest`` and never kept: the session holds only a
  flag, and the form's field is emptied in the same callback that reads it.
- Both: both are asked (a configured protection is never dropped silently). Neither: no login.

Nothing goes into ``st.query_params``: the URL carries no password, token or data.
"""

from __future__ import annotations

import hmac
import importlib.util
import os
import time
from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAuthError

from dashboards.i18n import t

PASSWORD_ENV = "THROUGHLINE_DASHBOARD_PASSWORD"
PASSED_KEY = "auth.password_ok"  # the only trace of a login: True, never the password
FAILED_KEY = "auth.password_failed"
INPUT_KEY = "auth.password_input"  # the form's field, emptied by the callback that reads it
WRONG_PASSWORD_DELAY_S = 1.0  # slows guessing down (per session)

Provider = str | None  # None: the unnamed provider configured in [auth] itself


# --- configuration ----------------------------------------------------------------------------


def configured_password() -> str | None:
    """The dashboard password, or None when there is none (unset or empty).

    The real environment wins (an empty value turns the password off), then ``.env`` as the
    settings read it.
    """
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV] or None
    try:
        from pipelines.settings import load_settings  # the dashboards' one import from pipelines/

        return load_settings().env.get(PASSWORD_ENV) or None
    except Exception:  # noqa: BLE001 - a broken throughline.yml must not open the dashboards
        return None


def password_matches(typed: str, expected: str) -> bool:
    """Constant-time comparison (as UTF-8 bytes, so a Cyrillic password works too)."""
    return hmac.compare_digest(typed.encode("utf-8"), expected.encode("utf-8"))


def oidc_providers(auth_section: Mapping[str, Any] | None) -> list[Provider]:
    """The providers ``st.login`` can use with this ``[auth]`` section; ``[]`` when none.

    ``client_id`` in ``[auth]`` itself is the unnamed provider (``None``); each
    ``[auth.<name>]`` table with a ``client_id`` is a named one. An ``[auth]`` section with
    neither is still a request for single sign-on: ``[None]``, so ``st.login`` says what is
    missing instead of the dashboards opening.
    """
    if not auth_section:
        return []
    named = [
        str(name)
        for name, value in auth_section.items()
        if isinstance(value, Mapping) and "client_id" in value
    ]
    if "client_id" in auth_section or not named:
        return [None, *named]
    return named


def authlib_installed() -> bool:
    """``st.login`` needs Authlib (``pip install 'streamlit[auth]'``)."""
    return importlib.util.find_spec("authlib") is not None


def _auth_section() -> Mapping[str, Any] | None:
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:  # no secrets.toml at all
        return None
    return section if isinstance(section, Mapping) else None


# --- the gate -----------------------------------------------------------------------------------


def require_login() -> None:
    """Let the visitor through, or draw the login screen and stop the run."""
    providers = oidc_providers(_auth_section())
    if providers and not st.user.get("is_logged_in", False):
        _sso_screen(providers)
        st.stop()
    password = configured_password() is not None
    if password and not st.session_state.get(PASSED_KEY, False):
        _password_screen()
        st.stop()
    if providers or password:
        _sidebar_logout(sso=bool(providers))


def _check_password() -> None:
    """Form callback: read the typed password, empty the field, keep only the verdict."""
    typed = str(st.session_state.get(INPUT_KEY) or "")
    # Deleting drops the submitted value from the widget state as well (setting alone would
    # leave it there until the next interaction); the empty value then clears the browser field.
    if INPUT_KEY in st.session_state:
        del st.session_state[INPUT_KEY]
    st.session_state[INPUT_KEY] = ""
    expected = configured_password()
    if expected is not None and password_matches(typed, expected):
        st.session_state[PASSED_KEY] = True
        st.session_state.pop(FAILED_KEY, None)
    else:
        st.session_state[FAILED_KEY] = True
        time.sleep(WRONG_PASSWORD_DELAY_S)


def _password_screen() -> None:
    st.title(t("auth.title"))
    st.caption(t("auth.password_prompt"))
    with st.form("auth.password_form"):
        st.text_input(
            t("auth.password"), type="password", key=INPUT_KEY, autocomplete="current-password"
        )
        st.form_submit_button(t("auth.submit"), type="primary", on_click=_check_password)
    if st.session_state.get(FAILED_KEY):
        st.error(t("auth.wrong_password"), icon=":material/lock:")


def _sso_screen(providers: list[Provider]) -> None:
    st.title(t("auth.title"))
    st.caption(t("auth.sso_prompt"))
    if not authlib_installed():
        st.error(t("auth.authlib_missing"))
        return
    for provider in providers:
        label = t("auth.login_with", provider=provider) if provider else t("auth.login")
        if st.button(label, key=f"auth.login.{provider or 'default'}", type="primary"):
            try:
                st.login(provider)
            except StreamlitAuthError as exc:
                st.error(t("auth.sso_misconfigured", error=exc))


def _sidebar_logout(sso: bool) -> None:
    if sso:
        who = st.user.get("name") or st.user.get("email")
        if who:
            st.sidebar.caption(t("auth.signed_in_as", user=who))
    if st.sidebar.button(t("auth.logout"), key="auth.logout", icon=":material/logout:"):
        st.session_state.pop(PASSED_KEY, None)
        if sso:
            st.logout()  # clears st.user and redirects through the provider's logout
        st.rerun()
