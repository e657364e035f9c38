"""``pii.contact_key`` over Arrow columns: the same keys, normalised and hashed vectorised.

ASCII values are normalised with Arrow (for ASCII text ``\\D``, ``str.strip`` and
``str.lower`` have exact Arrow equivalents) and hashed with DuckDB's ``sha256``; a row with a
non-ASCII e-mail or phone goes through ``pii.contact_key`` itself, so every key is the one the
row-by-row code gives.
"""

from __future__ import annotations

import sys

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from .pii import contact_key, salted_hash

_TEXT = pa.string()
_PY_WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


def contact_keys(emails: pa.Array | None, phones: pa.Array | None, salt: str) -> pa.Array:
    """``contact_key(email, phone, salt)`` per row; ``emails`` / ``phones`` are text or null."""
    size = len(emails if emails is not None else phones)
    none = pa.nulls(size, _TEXT)
    emails = none if emails is None else emails.cast(_TEXT)
    phones = none if phones is None else phones.cast(_TEXT)
    slow = pc.or_(_not_ascii(emails), _not_ascii(phones))

    phone = _normalize_phone(phones)
    email = pc.utf8_trim(emails, characters=_PY_WHITESPACE)
    email = pc.ascii_lower(pc.if_else(pc.equal(email, ""), pa.scalar(None, _TEXT), email))
    payload = pc.coalesce(
        pc.binary_join_element_wise("tel:", phone, ""),
        pc.binary_join_element_wise("mail:", email, ""),
    )
    payload = pc.if_else(slow, pa.scalar(None, _TEXT), payload)
    keys = _sha256(payload, salt)
    if pc.any(slow).as_py():
        patch = [
            contact_key(e, p, salt)
            for e, p in zip(
                emails.filter(slow).to_pylist(), phones.filter(slow).to_pylist(), strict=True
            )
        ]
        keys = pc.replace_with_mask(keys, slow, pa.array(patch, _TEXT))
    return keys


def _not_ascii(values: pa.Array) -> pa.Array:
    return pc.invert(pc.fill_null(pc.string_is_ascii(values), True))


def _normalize_phone(phones: pa.Array) -> pa.Array:
    """``pii.normalize_phone`` for ASCII text: digits only, 8XXXXXXXXXX and 10 digits -> 7..."""
    digits = pc.replace_substring_regex(phones, "[^0-9]+", "")
    length = pc.utf8_length(digits)
    rest = pc.utf8_slice_codeunits(digits, 1)
    russian_eight = pc.and_(pc.equal(length, 11), pc.starts_with(digits, "8"))
    digits = pc.if_else(russian_eight, pc.binary_join_element_wise("7", rest, ""), digits)
    digits = pc.if_else(pc.equal(length, 10), pc.binary_join_element_wise("7", digits, ""), digits)
    return pc.if_else(pc.equal(digits, ""), pa.scalar(None, _TEXT), digits)


def _sha256(payload: pa.Array, salt: str) -> pa.Array:
    """``salted_hash`` of each non-null payload, null stays null."""
    if payload.null_count == len(payload):
        return payload
    if not salt:
        salted_hash("", salt)  # raises the same "PII salt is empty" error as the row path
    salted = pc.binary_join_element_wise(salt + ":", payload, "")
    with duckdb.connect() as con:
        con.register("payload", pa.table({"v": salted}))
        result = con.sql("select sha256(v) as h from payload").to_arrow_table()
    return result.column("h").combine_chunks().cast(_TEXT)
