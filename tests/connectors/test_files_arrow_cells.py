"""The Parquet fast path parses every cell and hashes every contact exactly as the row path.

Each vectorised parser is run over many values (common ones, edge cases, random mutations)
and compared, cell by cell, with ``RowValidator.parse_cell`` / ``pii.contact_key``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pyarrow as pa
import pytest

from connectors.common.pii import contact_key
from connectors.common.pii_arrow import contact_keys
from connectors.files.arrow_cells import PY_WHITESPACE, Cells, parse_column, text_of
from connectors.files.settings import CALLS, DEALS, VISITS, EntitySpec
from connectors.files.validation import RowValidator, parse_text

SALT = "test-salt"
UTC = dt.UTC

SPEC = EntitySpec(
    name="probe",
    columns={
        "t": "text",
        "cur": "currency",
        "st": "status",
        "d": "date",
        "ts": "timestamp",
        "m": "money",
        "n": "count",
        "dur": "duration",
        "b": "bool",
    },
    required_columns=(),
    required_values=(),
    primary_key=("t",),
)
VALIDATOR = RowValidator(SPEC, SALT, ("RUB", "USD", "EUR", "KZT", "BYN", "CNY"))

WHITESPACE = [" ", "\t", "\u00a0", "\u2003", "\x1c", "\u3000", "\n"]


def mutations(seed: int, base: list[str], count: int = 400) -> list[str]:
    """Random small edits of realistic values: whitespace around, a character dropped,
    swapped or replaced by a digit, a Cyrillic letter or a separator."""
    rng = random.Random(seed)
    alphabet = "0123456789-:.+ TZz,/аяЁ\u00a0\u0660"
    out = []
    for _ in range(count):
        text = rng.choice(base)
        for _ in range(rng.randint(0, 2)):
            edit = rng.randint(0, 4)
            pos = rng.randrange(len(text) + 1)
            if edit == 0:
                text = rng.choice(WHITESPACE) + text + rng.choice(["", *WHITESPACE])
            elif edit == 1 and text:
                text = text[: pos - 1] + text[pos:] if pos else text[1:]
            elif edit == 2:
                text = text[:pos] + rng.choice(alphabet) + text[pos:]
            elif edit == 3 and pos < len(text):
                text = text[:pos] + rng.choice(alphabet) + text[pos + 1 :]
        out.append(text)
    return out


def assert_same(column: str, array: pa.Array) -> None:
    """parse_column over the Arrow column == parse_cell over each Python value."""
    values, bad = parse_column(Cells.of(array), column, VALIDATOR)
    got_values, got_bad = values.to_pylist(), bad.to_pylist()
    for index, value in enumerate(array.to_pylist()):
        expected, problem = VALIDATOR.parse_cell(column, value)
        assert got_bad[index] == (problem is not None), (column, value, problem)
        if problem is None:
            assert got_values[index] == expected, (column, value)
            assert type(got_values[index]) is type(expected), (column, value)


TIMESTAMPS = [
    "2026-03-01T10:00:00+03:00",
    "2026-03-01 10:00:00",
    "2026-03-01T10:00:00Z",
    "2026-03-01T10:00:00.5-05:30",
    "2026-03-01T10:00:00.123456+00:00",
    "2026-03-01",
    "2026-02-29T10:00:00",
    "2024-02-29T23:59:59",
    "2026-02-30T10:00:00",
    "2026-03-01T24:00:00",
    "2026-03-01T23:59:60",
    "2026-03-01T10:00:00+24:00",
    "2026-03-01T10:00:00+03:60",
    "2026-03-01T10:00:00.1234567",
    "2026-03-01T10:00",
    "0000-01-01T00:00:00",
    "0001-01-01T00:00:00+03:00",
    "0001-01-01T00:00:00-03:00",
    "9999-12-31T23:59:59",
    "9999-12-31T23:59:59-01:00",
    "01.03.2026 10:05",
    "01.03.2026",
    "31/31/2024",
    "2026-03-01t10:00:00",
    "20260301T100000",
    "",
    "   ",
]


def test_timestamps_and_dates_from_text() -> None:
    texts = TIMESTAMPS + mutations(1, TIMESTAMPS, 1500)
    array = pa.array([*texts, None], pa.string())
    assert_same("ts", array)
    assert_same("d", array)
    assert_same("d", pa.array(["2026-03-01", "2026-02-30", "0999-12-31", "0000-01-01", "1.3.2026"]))


def test_timestamps_and_dates_from_arrow_types() -> None:
    moments = [
        dt.datetime(2026, 3, 1, 10, 0, 0, 123456),
        dt.datetime(1969, 12, 31, 23, 59, 59, 999999),
        dt.datetime(1, 1, 1, 0, 0),
        dt.datetime(9999, 12, 31, 23, 59, 59),
        None,
    ]
    for unit in ("s", "ms", "us"):
        for tz in (None, "UTC", "Europe/Moscow", "America/New_York"):
            # years 1 and 9999 can be 0 / 10000 locally: to_pylist itself fails (both paths)
            usable = moments if tz in (None, "UTC") else moments[:2]
            array = pa.array(usable, pa.timestamp("us")).cast(pa.timestamp(unit), safe=False)
            if tz:
                array = array.cast(pa.timestamp(unit, tz=tz))
            assert_same("ts", array)
            assert_same("d", array)
    nanos = pa.array([1_700_000_000_123_456_789, -1500, 1_700_000_000_000_000_000, None])
    for tz in (None, "UTC", "Asia/Almaty"):
        array = nanos.cast(pa.timestamp("ns", tz=tz))
        assert_same("ts", array)
        assert_same("d", array)
    dates = pa.array([dt.date(2026, 3, 1), dt.date(1, 1, 1), dt.date(9999, 12, 31), None])
    assert_same("ts", dates)
    assert_same("d", dates)
    assert_same("d", dates.cast(pa.date64()))


MONEY_TEXT = ["1234.50", "1 234,50", "1,234.50", "1.234,50", "100,25", "-5", "abc", "1e5", "007"]


def test_numbers() -> None:
    assert_same("m", pa.array([Decimal("375713.13"), Decimal("-0.01"), None], pa.decimal128(18, 2)))
    assert_same("m", pa.array([Decimal("1.5")], pa.decimal128(38, 20)))  # too fine: Python
    assert_same("m", pa.array([7, -3, 0, None], pa.int64()))
    assert_same("m", pa.array([99.9, 0.1, -1.0, float("nan"), float("inf"), 1e20, None]))
    assert_same("m", pa.array(MONEY_TEXT + mutations(2, MONEY_TEXT)))
    counts = ["12", "-3", "1 000", "1,000", "12.0", "12.5", "02:15", "1:02:15", "+5", "-0", "x"]
    for column in ("n", "dur"):
        assert_same(column, pa.array(counts + mutations(3, counts)))
        assert_same(column, pa.array([1, -1, 0, None, 2**62], pa.int64()))
        assert_same(column, pa.array([12.0, -3.0, 12.5, float("nan"), 2.0**60, -0.0, float("inf")]))
        assert_same(column, pa.array([1, 2**63 - 1], pa.uint64()))
        with pytest.raises(ValueError, match="does not fit int64"):  # the row path fails too
            assert_same(column, pa.array([2**64 - 1], pa.uint64()))
        with pytest.raises(ValueError, match="does not fit int64"):
            assert_same(column, pa.array([1e300]))
        assert_same(column, pa.array([True, False]))
    assert_same("b", pa.array([True, False, None]))
    assert_same("b", pa.array(["да", "нет", "yes", "0", "maybe", " TRUE "]))
    assert_same("b", pa.array([1, 0, 2]))


def test_text_kinds() -> None:
    texts = [
        "  Brand ",
        "Поиск | Кухни",
        "\u00a0x\u2003",
        "\x1cx\x1f",
        "\u200bzero-width\u200b",  # not whitespace to Python
        "",
        " ",
        "\u3000",
        None,
    ]
    for column in ("t", "unknown_extra"):
        assert_same(column, pa.array(texts))
        assert_same(column, pa.array(texts, pa.large_string()))
        assert_same(column, pa.array(texts).dictionary_encode())
        assert_same(column, pa.array([123, -5, None], pa.int64()))
        assert_same(column, pa.array([123.0, 1.5, 1e20, float("nan"), None]))
        assert_same(column, pa.array([True, False, None]))
        assert_same(column, pa.array([dt.date(2026, 3, 1), None]))
        assert_same(column, pa.array([b" bytes ", b"  ", None]))
    currencies = ["rub", " RUB ", "RUR", "usd", "XYZ", "Rub", "ruß", "ЕUR", "кzт", "eur\u00a0"]
    assert_same("cur", pa.array(currencies + mutations(4, currencies, 200)))
    statuses = ["won", " Won ", "LOST", "open", "pending", "ОPEN", "won\u00a0", "wOn"]
    assert_same("st", pa.array(statuses + mutations(5, statuses, 200)))


def test_every_whitespace_python_strips() -> None:
    assert len(PY_WHITESPACE) == 29
    array = pa.array([f"{c}x{c}" for c in PY_WHITESPACE] + list(PY_WHITESPACE))
    assert_same("t", array)


PHONES = [
    "+7 (916) 123-45-67",
    "8 916 123 45 67",
    "9161234567",
    "8-903-000-11-22",
    "+1 212 555 0101",
    "доб. 5",
    "тел. 8 916 123 45 67",
    "\u0668\u0669",  # Arabic-Indic digits: \\d to Python
    "abc",
    "",
    " ",
    "8",
]
EMAILS = ["Anna.K@Example.ru", " boris@example.ru ", "ВЕРА@пример.рф", "İnci@x.tr", "", "  "]


@pytest.mark.parametrize("salt", [SALT, "соль"])
def test_contact_keys_equal_contact_key(salt: str) -> None:
    rng = random.Random(7)
    phones = PHONES + mutations(8, PHONES[:5], 300) + [None] * 50
    emails = [rng.choice([*EMAILS, None, None]) for _ in phones]
    rng.shuffle(phones)
    keys = contact_keys(pa.array(emails, pa.string()), pa.array(phones, pa.string()), salt)
    expected = [contact_key(e, p, salt) for e, p in zip(emails, phones, strict=True)]
    assert keys.to_pylist() == expected
    only_mail = contact_keys(pa.array(emails, pa.string()), None, salt)
    assert only_mail.to_pylist() == [contact_key(e, None, salt) for e in emails]


def test_contact_keys_on_random_text() -> None:
    """Thousands of random e-mails / phones mixing ASCII, Unicode digits and whitespace,
    letters whose case mapping changes length (İ, ß), Cyrillic and separators."""
    rng = random.Random(11)
    alphabet = "0123456789+-() .@_aZ\t\u00a0\u2003\u0660\u0669\uff10İßКя\u212a\x1c"

    def text() -> str | None:
        if rng.random() < 0.1:
            return None
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))

    emails = [text() for _ in range(3000)]
    phones = [text() for _ in range(3000)]
    keys = contact_keys(pa.array(emails, pa.string()), pa.array(phones, pa.string()), SALT)
    assert keys.to_pylist() == [
        contact_key(e, p, SALT) for e, p in zip(emails, phones, strict=True)
    ]


def test_contact_keys_need_a_salt() -> None:
    with pytest.raises(ValueError, match="PII salt is empty"):
        contact_keys(None, pa.array(["+7 916 123 45 67"]), "")


def test_text_of_pii_cells() -> None:
    values = [79161234567, 8.9161234567e10, " a@b.ru ", b"  ", None, float("nan")]
    array = pa.array(values[:2], pa.int64()), pa.array(values[2:4]), pa.array([1.5, None])
    for column in array:
        got = text_of(Cells.of(column)).to_pylist()
        want = [None if v is None else parse_text(v) for v in column.to_pylist()]
        assert got == want


def test_entity_specs_have_arrow_types() -> None:
    for spec in (VISITS, DEALS, CALLS):
        validator = RowValidator(spec, SALT, ("RUB",))
        for column in spec.columns:
            parse_column(Cells.of(pa.array([None, "x"])), column, validator)


def test_common_values_never_take_the_slow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """What exports usually hold is parsed by Arrow alone (else the fast path is not fast)."""

    def no_python(column: str, value: object) -> None:
        raise AssertionError(f"slow path for {column}: {value!r}")

    monkeypatch.setattr(VALIDATOR, "parse_cell", no_python)
    common = {
        "t": pa.array([" Brand ", "Поиск | Кухни", "", None]),
        "cur": pa.array(["rub", "RUR", " usd "]),
        "st": pa.array(["Won", "lost"]),
        "d": pa.array([dt.date(2026, 3, 1)]),
        "ts": pa.array(["2026-03-01T10:00:00+03:00", "2026-03-01 10:00:00.5", "2026-03-01"]),
        "m": pa.array([Decimal("1.50")], pa.decimal128(18, 2)),
        "n": pa.array(["12", " 3 "]),
        "dur": pa.array([135], pa.int32()),
        "b": pa.array([True]),
    }
    for column, array in common.items():
        parse_column(Cells.of(array), column, VALIDATOR)
    stamps = pa.array([dt.datetime(2026, 3, 1, tzinfo=UTC)], pa.timestamp("us", tz="UTC"))
    parse_column(Cells.of(stamps), "ts", VALIDATOR)
    parse_column(Cells.of(stamps), "d", VALIDATOR)
