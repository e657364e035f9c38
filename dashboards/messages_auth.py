"""Texts of the optional login screen and the sidebar logout (``auth.*``), RU and EN."""

MESSAGES: dict[str, dict[str, str]] = {
    "auth.title": {"ru": "Throughline: вход", "en": "Throughline: sign in"},
    # --- password -------------------------------------------------------------------------------
    "auth.password_prompt": {
        "ru": "Дашборды защищены паролем — его можно узнать у администратора.",
        "en": "The dashboards are protected by a password; your administrator has it.",
    },
    "auth.password": {"ru": "Пароль", "en": "Password"},
    "auth.submit": {"ru": "Войти", "en": "Sign in"},
    "auth.wrong_password": {
        "ru": "Неверный пароль. Попробуйте ещё раз.",
        "en": "Wrong password. Try again.",
    },
    # --- single sign-on (OIDC, st.login) -------------------------------------------------------
    "auth.sso_prompt": {
        "ru": "Войдите через учётную запись компании, чтобы открыть дашборды.",
        "en": "Sign in with your company account to open the dashboards.",
    },
    "auth.login": {"ru": "Войти", "en": "Sign in"},
    "auth.login_with": {"ru": "Войти через {provider}", "en": "Sign in with {provider}"},
    "auth.authlib_missing": {
        "ru": "Вход через OIDC настроен в .streamlit/secrets.toml ([auth]), но не установлен "
        "пакет Authlib: выполните `pip install 'streamlit[auth]'` и перезапустите дашборды.",
        "en": "OIDC sign-in is configured in .streamlit/secrets.toml ([auth]) but the Authlib "
        "package is missing: run `pip install 'streamlit[auth]'` and restart the dashboards.",
    },
    "auth.sso_misconfigured": {
        "ru": "Вход через OIDC настроен неверно ([auth] в .streamlit/secrets.toml): {error}",
        "en": "OIDC sign-in is misconfigured ([auth] in .streamlit/secrets.toml): {error}",
    },
    # --- sidebar --------------------------------------------------------------------------------
    "auth.signed_in_as": {"ru": "Вы вошли как {user}", "en": "Signed in as {user}"},
    "auth.logout": {"ru": "Выйти", "en": "Sign out"},
}
