"""Reading a Logs API part: TabSeparated text as ClickHouse writes it.

The first line holds the field names. Inside a value a tab, newline or backslash is escaped
(`\\t`, `\\n`, `\\\\`), `\\N` is NULL, and arrays print as `[1,2]` or `['a','b']`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_ESCAPES = {"b": "\b", "f": "\f", "r": "\r", "n": "\n", "t": "\t", "0": "\0"}
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_TRAILING_BACKSLASHES = re.compile(r"\\+$")


class TsvError(ValueError):
    """A part that is not the TSV we asked for (an HTML page, a cut body, a wrong header)."""


def unescape(value: str) -> str | None:
    if value == "\\N":
        return None
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), value)


def _ends_with_escape(line: str) -> bool:
    """An odd run of trailing backslashes escapes the newline that followed the line."""
    match = _TRAILING_BACKSLASHES.search(line)
    return bool(match) and len(match.group(0)) % 2 == 1


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, logical line); a backslash-escaped line feed continues the value."""
    pending: str | None = None
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if pending is not None:
            line = pending + "\n" + line
        else:
            start = number
        if _ends_with_escape(line):
            pending = line
            continue
        pending = None
        if line.endswith("\r"):  # a CRLF body from a proxy; a real CR in a value is escaped
            line = line[:-1]
        yield start, line
    if pending is not None:
        yield start, pending


def read_part(body: bytes) -> tuple[list[str], Iterator[tuple[int, list[str | None]]]]:
    """(field names of the header, iterator of (line number, values)).

    A BOM is dropped; bytes that are not UTF-8 become U+FFFD rather than failing the load.
    """
    text = body.decode("utf-8-sig", errors="replace")
    if not text.strip():
        return [], iter(())
    if text.lstrip()[:1] in ("<", "{"):
        raise TsvError(f"expected TSV, got {text.lstrip()[:60]!r}")
    lines = _lines(text)
    _, header_line = next(lines)
    header = [name.strip() for name in header_line.split("\t")]

    def rows() -> Iterator[tuple[int, list[str | None]]]:
        for number, line in lines:
            if line == "":
                continue  # the final newline
            yield number, [unescape(v) for v in line.split("\t")]

    return header, rows()


def parse_array(value: str | None) -> list[int | float | str] | None:
    """`[1,2]` -> [1, 2]; `['a','b\\'c']` -> ['a', "b'c"]; `[]` -> []; NULL/empty -> None."""
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    if not (text.startswith("[") and text.endswith("]")):
        raise ValueError(f"not an array: {value[:40]!r}")
    items: list[int | float | str] = []
    i, inner = 0, text[1:-1]
    while i < len(inner):
        char = inner[i]
        if char in " ,":
            i += 1
        elif char == "'":
            out, i = [], i + 1
            while i < len(inner) and inner[i] != "'":
                if inner[i] == "\\" and i + 1 < len(inner):
                    i += 1
                    out.append(_ESCAPES.get(inner[i], inner[i]))
                else:
                    out.append(inner[i])
                i += 1
            if i >= len(inner):
                raise ValueError(f"unterminated string in array: {value[:40]!r}")
            items.append("".join(out))
            i += 1
        else:
            end = inner.find(",", i)
            end = len(inner) if end < 0 else end
            items.append(_number(inner[i:end].strip()))
            i = end
    return items


def _number(token: str) -> int | float | str:
    try:
        return int(token)
    except ValueError:
        try:
            return float(token)
        except ValueError:
            return token
