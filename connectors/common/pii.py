"""Salted hashing of personal data, applied before anything lands in the warehouse."""

from __future__ import annotations

import hashlib
import re

_NON_DIGITS = re.compile(r"\D+")


def normalize_phone(phone: str | None) -> str | None:
    """Digits only; a Russian 11-digit number written with a leading 8 becomes 7."""
    if phone is None:
        return None
    digits = _NON_DIGITS.sub("", str(phone))
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    if len(digits) == 10:  # written without the country code
        digits = "7" + digits
    return digits or None


def normalize_email(email: str | None) -> str | None:
    if email is None:
        return None
    value = str(email).strip().lower()
    return value or None


def salted_hash(value: str | None, salt: str) -> str | None:
    if value is None:
        return None
    if not salt:
        raise ValueError(
            "PII salt is empty: set THROUGHLINE_PII_SALT (see README, 'Configuration')"
        )
    return hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()


def contact_key(email: str | None, phone: str | None, salt: str) -> str | None:
    """One key per contact. The phone wins when both are known, because call tracking
    only ever sees the phone and calls must stitch to the same person."""
    phone_n = normalize_phone(phone)
    if phone_n:
        return salted_hash("tel:" + phone_n, salt)
    email_n = normalize_email(email)
    if email_n:
        return salted_hash("mail:" + email_n, salt)
    return None
