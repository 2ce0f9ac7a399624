"""Small inline-SVG plots for the HTML report (no plotting library, no external resources).

Each function returns one ``<svg class="plot">`` element as text: ``line_chart`` (lines with an
optional shaded band), ``histogram`` (bars for one series, steps for several), ``bar_chart``
(grouped bars, optionally on a log scale) and ``scatter``. Every drawn data point is an element
of class ``mark`` carrying its values in ``data-x``/``data-y``, and the root carries
``data-figure`` and ``data-marks`` (their count), so a browser test can check what was drawn.
Text is escaped; numbers are formatted with 4 significant digits.

Fails when: never; empty series draw empty axes (``data-marks="0"``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

WIDTH = 720
HEIGHT = 320
LEFT, RIGHT, TOP, BOTTOM = 70, 170, 30, 45
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#7f7f7f")


def number(value: float) -> str:
    """Short text of a number: 4 significant digits, thousands grouped."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def wrap_label(text: str, width: int = 14) -> list[str]:
    """A category label in lines of about ``width`` characters, broken at ``_`` and spaces."""
    lines: list[str] = []
    for word in text.replace("_", " ").split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values from at or below ``low`` to at or above ``high``."""
    if high <= low:
        high = low + 1.0
    step = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= step)
    first = math.floor(low / step) * step
    ticks = [round(first, 12)]
    while len(ticks) < 2 or ticks[-1] < high - step * 1e-9:
        ticks.append(round(first + len(ticks) * step, 12))
    return ticks


class Frame:
    """Axes mapping data to pixels."""

    def __init__(self, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        self.x0, self.x1 = x_range
        self.y0, self.y1 = y_range
        if self.x1 <= self.x0:
            self.x1 = self.x0 + 1.0
        if self.y1 <= self.y0:
            self.y1 = self.y0 + 1.0

    def x(self, value: float) -> float:
        span = WIDTH - LEFT - RIGHT
        return round(LEFT + (value - self.x0) / (self.x1 - self.x0) * span, 2)

    def y(self, value: float) -> float:
        span = HEIGHT - TOP - BOTTOM
        return round(HEIGHT - BOTTOM - (value - self.y0) / (self.y1 - self.y0) * span, 2)


def _axes(
    frame: Frame,
    x_ticks: Sequence[tuple[float, str]],
    y_ticks: Sequence[tuple[float, str]],
    x_label: str,
    y_label: str,
) -> list[str]:
    parts = [
        f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" '
        f'y2="{HEIGHT - BOTTOM}" stroke="#333"/>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#333"/>',
    ]
    for value, text in x_ticks:
        x = frame.x(value)
        parts.append(
            f'<text x="{x}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'font-size="11">{escape(text)}</text>'
        )
    for value, text in y_ticks:
        y = frame.y(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#e5e5e5"/>'
            f'<text x="{LEFT - 6}" y="{y + 4}" text-anchor="end" font-size="11">'
            f"{escape(text)}</text>"
        )
    parts.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2}" y="{HEIGHT - 8}" text-anchor="middle" '
        f'font-size="12">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text x="14" y="{(TOP + HEIGHT - BOTTOM) / 2}" text-anchor="middle" font-size="12" '
        f'transform="rotate(-90 14 {(TOP + HEIGHT - BOTTOM) / 2})">{escape(y_label)}</text>'
    )
    return parts


def _legend(names: Sequence[str]) -> list[str]:
    parts = []
    for index, name in enumerate(names):
        y = TOP + 8 + index * 18
        color = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{WIDTH - RIGHT + 12}" y="{y - 9}" width="12" height="12" fill="{color}"/>'
            f'<text x="{WIDTH - RIGHT + 30}" y="{y + 1}" font-size="11">{escape(name)}</text>'
        )
    return parts


def _svg(figure: str, title: str, body: list[str], marks: int) -> str:
    return (
        f'<svg class="plot" data-figure="{escape(figure)}" data-marks="{marks}" '
        f'width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img"><title>{escape(title)}</title>'
        f'<text x="{LEFT}" y="18" font-size="13" font-weight="bold">{escape(title)}</text>'
        + "".join(body)
        + "</svg>"
    )


def _range(values: Sequence[float], zero: bool = True) -> tuple[float, float]:
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return 0.0, 1.0
    low = min(finite)
    high = max(finite)
    if zero:
        low = min(low, 0.0)
    return low, high


def _tick_pairs(ticks: Sequence[float]) -> list[tuple[float, str]]:
    return [(tick, number(tick)) for tick in ticks]


def _mark(x: float, y: float, data_x: float, data_y: float, color: str, series: str) -> str:
    return (
        f'<circle class="mark" cx="{x}" cy="{y}" r="2.2" fill="{color}" '
        f'data-series="{escape(series)}" data-x="{number(data_x)}" data-y="{number(data_y)}"/>'
    )


def line_chart(
    figure: str,
    title: str,
    x: Sequence[float],
    series: Sequence[tuple[str, Sequence[float], Sequence[float] | None, Sequence[float] | None]],
    x_label: str,
    y_label: str,
) -> str:
    """Lines ``(name, y, band_low, band_high)`` over ``x``; a band is shaded when given."""
    values = [
        v for _, ys, low, high in series for part in (ys, low or (), high or ()) for v in part
    ]
    y_ticks = nice_ticks(*_range(values))
    x_ticks = nice_ticks(*_range(x))
    frame = Frame((x_ticks[0], x_ticks[-1]), (y_ticks[0], y_ticks[-1]))
    body = _axes(frame, _tick_pairs(x_ticks), _tick_pairs(y_ticks), x_label, y_label)
    marks = 0
    for index, (name, ys, low, high) in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        if low is not None and high is not None:
            upper = " ".join(f"{frame.x(a)},{frame.y(b)}" for a, b in zip(x, high, strict=True))
            lower = " ".join(
                f"{frame.x(a)},{frame.y(b)}" for a, b in reversed(list(zip(x, low, strict=True)))
            )
            body.append(
                f'<polygon class="band" points="{upper} {lower}" fill="{color}" '
                'fill-opacity="0.18" stroke="none"/>'
            )
        points = " ".join(f"{frame.x(a)},{frame.y(b)}" for a, b in zip(x, ys, strict=True))
        body.append(
            f'<polyline class="line" points="{points}" fill="none" stroke="{color}" '
            'stroke-width="1.8"/>'
        )
        stride = max(1, len(x) // 40)
        for i in range(0, len(x), stride):
            body.append(_mark(frame.x(x[i]), frame.y(ys[i]), x[i], ys[i], color, name))
            marks += 1
    body += _legend([name for name, *_ in series])
    return _svg(figure, title, body, marks)


def histogram(
    figure: str,
    title: str,
    edges: Sequence[float],
    series: Sequence[tuple[str, Sequence[float]]],
    x_label: str,
    y_label: str,
) -> str:
    """Counts per bin (``len(edges) - 1`` bins): bars for one series, step lines for several."""
    counts = [c for _, values in series for c in values]
    y_ticks = nice_ticks(*_range(counts))
    x_ticks = nice_ticks(edges[0], edges[-1])
    frame = Frame((edges[0], max(edges[-1], x_ticks[-1])), (y_ticks[0], y_ticks[-1]))
    body = _axes(frame, _tick_pairs(x_ticks), _tick_pairs(y_ticks), x_label, y_label)
    marks = 0
    for index, (name, values) in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        steps = []
        for i, count in enumerate(values):
            left, right = frame.x(edges[i]), frame.x(edges[i + 1])
            top = frame.y(count)
            if len(series) == 1:
                body.append(
                    f'<rect class="mark" x="{left}" y="{top}" width="{max(right - left - 1, 0.5)}" '
                    f'height="{round(frame.y(0) - top, 2)}" fill="{color}" '
                    f'data-series="{escape(name)}" data-x="{number(edges[i])}" '
                    f'data-y="{number(count)}"/>'
                )
            else:
                steps.append(f"{left},{top} {right},{top}")
                body.append(_mark((left + right) / 2, top, edges[i], count, color, name))
            marks += 1
        if steps:
            body.append(
                f'<polyline class="line" points="{" ".join(steps)}" fill="none" '
                f'stroke="{color}" stroke-width="1.6"/>'
            )
    body += _legend([name for name, _ in series])
    return _svg(figure, title, body, marks)


def bar_chart(
    figure: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    y_label: str,
    log: bool = False,
) -> str:
    """Grouped bars: one group per category, one bar per series; ``log`` for a log10 y axis
    (values must then be positive; others are drawn at the axis)."""

    def scale(value: float) -> float:
        return math.log10(value) if log and value > 0 else (0.0 if log else value)

    scaled = [scale(v) for _, values in series for v in values]
    low, high = _range(scaled)
    ticks = nice_ticks(low, high)
    frame = Frame((0.0, float(len(categories))), (ticks[0], ticks[-1]))
    labels = [(t, number(10**t) if log else number(t)) for t in ticks]
    body = _axes(frame, [], labels, "", y_label)
    marks = 0
    group = (frame.x(1) - frame.x(0)) * 0.8
    width = group / max(len(series), 1)
    for c, category in enumerate(categories):
        center = frame.x(c + 0.5)
        lines = "".join(
            f'<tspan x="{center}" dy="{0 if i == 0 else 11}">{escape(line)}</tspan>'
            for i, line in enumerate(wrap_label(category))
        )
        body.append(
            f'<text x="{center}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" '
            f'font-size="10">{lines}</text>'
        )
        for s, (name, values) in enumerate(series):
            value = values[c]
            top = frame.y(max(scale(value), ticks[0]))
            base = frame.y(max(0.0, ticks[0]))
            x = round(center - group / 2 + s * width, 2)
            body.append(
                f'<rect class="mark" x="{x}" y="{min(top, base)}" width="{round(width - 1, 2)}" '
                f'height="{round(abs(base - top), 2)}" fill="{PALETTE[s % len(PALETTE)]}" '
                f'data-series="{escape(name)}" data-x="{escape(category)}" '
                f'data-y="{number(value)}"/>'
            )
            marks += 1
    body += _legend([name for name, _ in series])
    return _svg(figure, title, body, marks)


def scatter(
    figure: str,
    title: str,
    x: Sequence[float],
    series: Sequence[tuple[str, Sequence[float]]],
    x_label: str,
    y_label: str,
) -> str:
    """Points ``(x, y)`` per series."""
    y_ticks = nice_ticks(*_range([v for _, ys in series for v in ys]))
    x_ticks = nice_ticks(*_range(x))
    frame = Frame((x_ticks[0], x_ticks[-1]), (y_ticks[0], y_ticks[-1]))
    body = _axes(frame, _tick_pairs(x_ticks), _tick_pairs(y_ticks), x_label, y_label)
    marks = 0
    for index, (name, ys) in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        for a, b in zip(x, ys, strict=True):
            body.append(_mark(frame.x(a), frame.y(b), a, b, color, name))
            marks += 1
    body += _legend([name for name, _ in series])
    return _svg(figure, title, body, marks)
