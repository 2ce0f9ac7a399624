"""Plain-text tables for the command line's text output."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def render_table(rows: Sequence[Mapping[str, object]]) -> str:
    """Rows as aligned columns under their keys; integers right-aligned, the rest left."""
    headers = list(rows[0])
    widths = [max(len(str(header)), *(len(str(row[header])) for row in rows)) for header in headers]
    columns = list(zip(headers, widths, strict=True))
    lines = ["  ".join(str(header).ljust(width) for header, width in columns)]
    for row in rows:
        cells = [
            str(row[header]).rjust(width)
            if isinstance(row[header], int)
            else str(row[header]).ljust(width)
            for header, width in columns
        ]
        lines.append("  ".join(cells))
    return "\n".join(lines)
