"""The optional login (``dashboards/auth.py``): none, a password, or single sign-on.

AppTest drives the real router on the fixture snapshot; the default Overview window shows
cost 6,750 and ROI 344.4% (conftest), so "the page rendered" means those tiles are on screen.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from dashboards import auth

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
TIMEOUT_S = 60
PASSWORD = "Сквозная-аналитика 42"  # non-ASCII on purpose: compare_digest needs bytes then
OIDC = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret-but-long-enough",
    "client_id": "throughline",
    "client_secret": "xxx",
    "server_metadata_url": "https://accounts.example.com/.well-known/openid-configuration",
}


@pytest.fixture(autouse=True)
def _no_login_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start with no password (the real environment or a .env must not leak in) and do
    not wait after a wrong one."""
    monkeypatch.setenv(auth.PASSWORD_ENV, "")
    monkeypatch.setattr(auth, "WRONG_PASSWORD_DELAY_S", 0)


def _app(**attrs) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    for name, value in attrs.items():
        setattr(at, name, value)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _overview_rendered(at: AppTest) -> bool:
    values = [m.value for m in at.metric]
    return [ti.value for ti in at.title] == ["Overview"] and "6,750" in values


def _nothing_but_login(at: AppTest) -> None:
    """The login screen only: no page title, tile, chart, table or page filter."""
    assert [ti.value for ti in at.title] == ["Throughline: sign in"]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert not at.sidebar.date_input and not at.sidebar.selectbox
    assert not any("Data as of" in c.value for c in at.sidebar.caption)


def _session_strings(at: AppTest) -> str:
    """Everything session state holds, user keys and widget values (internal ones too), as
    text: where a password would show up if it were kept."""
    state = at.session_state._state._state  # SessionState behind the AppTest facade
    parts = [repr(dict(at.session_state.items()))]
    for key in list(state._keys()):
        try:
            parts.append(repr(state[key]))
        except KeyError:
            pass
    parts.append(repr(state._old_state))
    parts.append(repr(state._new_session_state))
    parts.append(repr(state._new_widget_state))
    return "\n".join(parts)


def _password_field(at: AppTest):
    return at.text_input(key=auth.INPUT_KEY)


def _submit(at: AppTest, typed: str) -> AppTest:
    _password_field(at).input(typed)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- pure -----------------------------------------------------------------------------------------


def test_password_matches_in_constant_time_on_bytes():
    assert auth.password_matches(PASSWORD, PASSWORD)
    assert not auth.password_matches(PASSWORD, PASSWORD + " ")
    assert not auth.password_matches("", PASSWORD)
    assert not auth.password_matches("сквозная-аналитика 42", PASSWORD)  # case matters


def test_configured_password_environment_then_dotenv(monkeypatch):
    import pipelines.settings

    dotenv = SimpleNamespace(env={auth.PASSWORD_ENV: "from-dotenv"})
    monkeypatch.setattr(pipelines.settings, "load_settings", lambda: dotenv)
    monkeypatch.setenv(auth.PASSWORD_ENV, "from-env")
    assert auth.configured_password() == "from-env"
    monkeypatch.setenv(auth.PASSWORD_ENV, "")  # set but empty: off, .env not consulted
    assert auth.configured_password() is None
    monkeypatch.delenv(auth.PASSWORD_ENV)
    assert auth.configured_password() == "from-dotenv"
    monkeypatch.setattr(pipelines.settings, "load_settings", lambda: SimpleNamespace(env={}))
    assert auth.configured_password() is None


def test_oidc_providers_from_the_auth_section():
    shared = {"redirect_uri": "http://x/oauth2callback", "cookie_secret": "s"}
    assert auth.oidc_providers(None) == []
    assert auth.oidc_providers({}) == []
    assert auth.oidc_providers(OIDC) == [None]
    google = {"client_id": "g", "client_secret": "x", "server_metadata_url": "u"}
    okta = {"client_id": "o", "client_secret": "x", "server_metadata_url": "u"}
    assert auth.oidc_providers({**shared, "google": google, "okta": okta}) == ["google", "okta"]
    assert auth.oidc_providers({**OIDC, "okta": okta}) == [None, "okta"]
    # shared settings only: still single sign-on (st.login then says what is missing)
    assert auth.oidc_providers(shared) == [None]
    assert auth.oidc_providers({**shared, "client_kwargs": {"prompt": "login"}}) == [None]


# --- no login configured -------------------------------------------------------------------------


def test_no_password_no_sso_opens_the_pages(serving_path):
    at = _app()
    assert _overview_rendered(at)
    assert not at.text_input and not at.sidebar.button  # no form, no logout
    at.switch_page("views/channel_roi.py").run()
    assert [ti.value for ti in at.title] == ["Channel ROI"]


# --- password ------------------------------------------------------------------------------------


def test_password_form_shows_and_no_page_renders(serving_path, monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_ENV, PASSWORD)
    at = _app()
    _nothing_but_login(at)
    field = _password_field(at)
    assert field.label == "Password" and field.proto.type == field.proto.PASSWORD
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.error  # nothing typed yet, nothing refused
    assert not at.sidebar.button  # no logout before a login
    at.switch_page("views/channel_roi.py").run()  # another page: still the form only
    _nothing_but_login(at)


def test_wrong_password_is_refused(serving_path, monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_ENV, PASSWORD)
    at = _submit(_app(), "guess")
    assert [e.value for e in at.error] == ["Wrong password. Try again."]
    _nothing_but_login(at)
    assert not at.session_state.get(auth.PASSED_KEY)
    assert "guess" not in _session_strings(at)
    assert _password_field(at).value == ""  # the field was emptied
    at = _submit(at, "")  # an empty submit is refused as well
    assert at.error and not at.metric


def test_right_password_lets_the_page_render_and_is_not_kept(serving_path, monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_ENV, PASSWORD)
    at = _submit(_submit(_app(), "guess"), PASSWORD)  # a wrong try first: its error goes away
    assert _overview_rendered(at)
    assert not at.error and not at.text_input
    assert at.session_state[auth.PASSED_KEY] is True
    assert PASSWORD not in _session_strings(at)
    assert [b.label for b in at.sidebar.button] == ["Sign out"]
    at.switch_page("views/channel_roi.py").run()  # the flag holds across pages
    assert [ti.value for ti in at.title] == ["Channel ROI"] and at.metric
    assert PASSWORD not in _session_strings(at)
    assert not at.query_params  # nothing in the URL

    at.sidebar.button(key="auth.logout").click().run()
    _nothing_but_login(at)
    assert auth.PASSED_KEY not in at.session_state


def test_login_screen_follows_the_language_switch(serving_path, monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_ENV, PASSWORD)
    at = _app()
    at.sidebar.segmented_control(key="language").set_value("ru").run()
    assert [ti.value for ti in at.title] == ["Throughline: вход"]
    assert _password_field(at).label == "Пароль"
    at = _submit(at, "не тот")
    assert [e.value for e in at.error] == ["Неверный пароль. Попробуйте ещё раз."]


# --- single sign-on (st.login) ----------------------------------------------------------------


def test_sso_configured_asks_to_sign_in(serving_path, monkeypatch):
    calls: list[str | None] = []
    monkeypatch.setattr(auth, "authlib_installed", lambda: True)
    monkeypatch.setattr(streamlit, "login", calls.append)
    okta = {"client_id": "o", "client_secret": "x", "server_metadata_url": "u"}
    at = _app(secrets={"auth": {**OIDC, "okta": okta}}, user={"is_logged_in": False})
    _nothing_but_login(at)
    assert [b.label for b in at.button] == ["Sign in", "Sign in with okta"]
    at.button(key="auth.login.okta").click().run()
    assert calls == ["okta"]
    _nothing_but_login(at)


def test_sso_without_authlib_stays_closed_and_says_what_to_install(serving_path, monkeypatch):
    monkeypatch.setattr(auth, "authlib_installed", lambda: False)
    at = _app(secrets={"auth": OIDC}, user={"is_logged_in": False})
    _nothing_but_login(at)
    assert not at.button
    assert "pip install 'streamlit[auth]'" in at.error[0].value


def test_sso_signed_in_sees_the_pages_and_a_sign_out(serving_path):
    at = _app(secrets={"auth": OIDC}, user={"is_logged_in": True, "email": "ann@example.com"})
    assert _overview_rendered(at)
    assert "Signed in as ann@example.com" in [c.value for c in at.sidebar.caption]
    assert [b.label for b in at.sidebar.button] == ["Sign out"]
    at.sidebar.button(key="auth.logout").click().run()  # st.logout() clears st.user
    _nothing_but_login(at)


def test_sso_and_password_both_configured_ask_for_both(serving_path, monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_ENV, PASSWORD)
    at = _app(secrets={"auth": OIDC}, user={"is_logged_in": True, "email": "ann@example.com"})
    _nothing_but_login(at)
    assert _password_field(at).label == "Password"
    assert _overview_rendered(_submit(at, PASSWORD))
