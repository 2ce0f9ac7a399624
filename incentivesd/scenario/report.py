"""The scenario report: ``DIR/report.html`` plus ``DIR/<figure>.csv`` and ``.json`` for every
figure and ``DIR/summary.json``.

The HTML is self-contained: inline CSS, inline SVG plots from ``svg``, and a short inline script
that, once the browser has laid the page out, records on each plot how many marks have a size
(``data-rendered-marks``) and on ``<body>`` how many plots were drawn (``data-plots-rendered``).
No URL is loaded. Floats are written with 6 significant digits, so the same run writes the same
bytes.

Fails when: the output directory cannot be created or written (``OSError``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from incentivesd.scenario import svg
from incentivesd.scenario.figures import Cell, Figure
from incentivesd.scenario.monte_carlo import Outcome

SUMMARY_FIGURES = (
    "spend",
    "cost_per_gpu_hour",
    "payout_distribution",
    "rule_comparison",
    "sybil",
)

_SCRIPT = """
(function () {
  var plots = document.querySelectorAll('svg.plot');
  var drawn = 0;
  plots.forEach(function (plot) {
    var box = plot.getBoundingClientRect();
    var visible = 0;
    plot.querySelectorAll('.mark').forEach(function (mark) {
      var b = mark.getBBox();
      if (b.width > 0 || b.height > 0) { visible += 1; }
    });
    plot.setAttribute('data-rendered-marks', String(visible));
    if (box.width > 0 && box.height > 0 && visible > 0) { drawn += 1; }
  });
  document.body.setAttribute('data-plots-rendered', String(drawn));
})();
"""

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 980px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.8em 0; display: block;
  overflow-x: auto; }
th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: right; }
th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
p.note { color: #555; font-size: 0.9em; } svg.plot { display: block; margin: 0.6em 0; }
"""


def clean(value: Cell) -> Cell:
    """Floats to 6 significant digits (stable text); other cells unchanged."""
    if isinstance(value, float):
        return float(f"{value:.6g}")
    return value


def figure_json(figure: Figure) -> dict[str, Any]:
    return {
        "name": figure.name,
        "title": figure.title,
        "columns": figure.columns,
        "rows": [[clean(cell) for cell in row] for row in figure.rows],
    }


def records(figure: Figure) -> list[dict[str, Cell]]:
    """Rows as dicts, floats cleaned."""
    return [
        {column: clean(cell) for column, cell in zip(figure.columns, row, strict=True)}
        for row in figure.rows
    ]


def summary(outcome: Outcome, files: Sequence[str] = ()) -> dict[str, Any]:
    """The command's JSON output: the scenario, the run sizes and the table figures."""
    scenario = outcome.scenario
    by_name = {figure.name: figure for figure in outcome.figures}
    return {
        "scenario": scenario.name,
        "description": scenario.description,
        "seed": outcome.seed,
        "runs": outcome.runs,
        "epochs": scenario.epochs,
        "epoch_seconds": scenario.epoch_seconds,
        "node_slots": outcome.node_slots,
        "pools": [pool.name for pool in scenario.pools],
        "figures": {name: records(by_name[name]) for name in SUMMARY_FIGURES},
        "files": sorted(files),
    }


def _csv(figure: Figure) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(figure.columns)
    for row in figure.rows:
        writer.writerow([clean(cell) for cell in row])
    return buffer.getvalue()


def _cell_text(value: Cell) -> str:
    if isinstance(value, float):
        return svg.number(value)
    return str(value)


def _table(figure: Figure) -> str:
    head = "".join(f"<th>{escape(column)}</th>" for column in figure.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_cell_text(cell))}</td>" for cell in row) + "</tr>"
        for row in figure.rows
    )
    return f'<table data-figure="{escape(figure.name)}"><tr>{head}</tr>{body}</table>'


def _floats(figure: Figure, column: str) -> list[float]:
    return [float(value) for value in figure.column(column)]


def _burn_down(figure: Figure, pools: Sequence[str]) -> str:
    x = _floats(figure, "epoch")
    series = [
        (
            pool,
            _floats(figure, f"{pool}_p50"),
            _floats(figure, f"{pool}_p5"),
            _floats(figure, f"{pool}_p95"),
        )
        for pool in pools
    ]
    return svg.line_chart(
        figure.name, "Pool balance: median and 5-95% band", x, series, "epoch", "AKT"
    )


def _price(figure: Figure) -> str:
    series = [("AKT/USD", _floats(figure, "p50"), _floats(figure, "p5"), _floats(figure, "p95"))]
    return svg.line_chart(
        figure.name, "AKT price: median and 5-95% band", _floats(figure, "epoch"), series,
        "epoch", "USD",
    )  # fmt: skip


def _histogram(figure: Figure, title: str) -> str:
    edges = [*_floats(figure, "bin_low_akt"), _floats(figure, "bin_high_akt")[-1]]
    names = figure.columns[2:]
    series = [(name, _floats(figure, name)) for name in names]
    return svg.histogram(figure.name, title, edges, series, "AKT", "providers per run")


def _cost(figure: Figure) -> str:
    categories = [str(pool) for pool in figure.column("pool")]
    series = [
        ("gross", _floats(figure, "usd_per_gpu_hour_p50")),
        ("net of take rate", _floats(figure, "net_of_take_rate_p50")),
    ]
    return svg.bar_chart(
        figure.name, "USD per GPU-hour delivered (median)", categories, series, "USD"
    )


def _comparison_bars(figure: Figure) -> str:
    categories = [str(name) for name in figure.column("payouts")]
    series = [("gini", _floats(figure, "gini")), ("top-10 share", _floats(figure, "top10_share"))]
    return svg.bar_chart(
        f"{figure.name}_inequality",
        "Inequality of provider income: today vs each rule",
        categories,
        series,
        "share",
    )


def _sybil(figure: Figure) -> str:
    strategies = list(dict.fromkeys(str(s) for s in figure.column("strategy")))
    settings = list(
        dict.fromkeys(
            f"{rule}" if mode == "-" else f"{rule} {mode}"
            for rule, mode in zip(figure.column("rule"), figure.column("penalty_mode"), strict=True)
        )
    )
    ratios: dict[str, list[float]] = {name: [] for name in settings}
    for row in figure.rows:
        rule, mode, _, honest, attack, _ = row
        name = f"{rule}" if mode == "-" else f"{rule} {mode}"
        ratios[name].append(float(attack) / float(honest) if float(honest) > 0 else 1.0)
    series = list(ratios.items())
    return svg.bar_chart(
        figure.name,
        "Attacker payout / honest payout (log scale; 1 = no gain)",
        strategies,
        series,
        "ratio",
        log=True,
    )


def _take_up(figure: Figure) -> str:
    x = _floats(figure, "take_up")
    series = [("redirected", _floats(figure, "inflow_akt")), ("paid", _floats(figure, "paid_akt"))]
    return svg.scatter(figure.name, figure.title, x, series, "final take-up", "AKT")


def render_html(outcome: Outcome) -> str:
    """The whole report page."""
    scenario = outcome.scenario
    figures = {figure.name: figure for figure in outcome.figures}
    pools = [pool.name for pool in scenario.pools]
    parts = [
        f"<h1>Scenario {escape(scenario.name)}</h1>",
        f"<p>{escape(scenario.description)}</p>",
        f'<p class="note">{outcome.runs} Monte Carlo runs, seed {outcome.seed}, '
        f"{scenario.epochs} epochs of {scenario.epoch_seconds} s, up to {outcome.node_slots} "
        "nodes per run. Payouts use the module's allocation rules (vectorized, within 1 uakt of "
        "the exact path).</p>",
        "<h2>Budget burn-down and unspent return</h2>",
        _burn_down(figures["burn_down"], pools),
        _table(figures["spend"]),
        "<h2>Cost per GPU-hour delivered</h2>",
        _cost(figures["cost_per_gpu_hour"]),
        _table(figures["cost_per_gpu_hour"]),
        "<h2>Payout distribution per provider</h2>",
        _table(figures["payout_distribution"]),
    ]
    for figure in outcome.figures:
        if figure.name.startswith("payout_histogram_"):
            parts.append(_histogram(figure, figure.title))
    parts += [
        "<h2>Payouts today vs with each rule</h2>",
        '<p class="note">Same providers, same spend per epoch; "today" is lease income only.</p>',
        _histogram(figures["rule_comparison_histogram"], "Providers by income per epoch"),
        _comparison_bars(figures["rule_comparison"]),
        _table(figures["rule_comparison"]),
        "<h2>Sybil study</h2>",
        '<p class="note">One epoch per run; the gain is the attacker\'s payout under a strategy '
        "against its honest payout. PRO_RATA and FIXED_RATE read neither idle time, benchmarks "
        "nor wallets; a measured benchmark (attested) replaces an inflated registered one.</p>",
        _sybil(figures["sybil"]),
        _table(figures["sybil"]),
    ]
    for figure in outcome.figures:
        if figure.name.startswith("take_up_"):
            parts += ["<h2>Opt-in take-up</h2>", _take_up(figure)]
    parts += ["<h2>AKT price</h2>", _price(figures["price"])]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Scenario {escape(scenario.name)}</title><style>{_STYLE}</style></head>"
        "<body>" + "\n".join(parts) + f"<script>{_SCRIPT}</script></body></html>\n"
    )


def write_report(outcome: Outcome, out_dir: Path) -> list[str]:
    """Write the report, every figure's CSV and JSON, and ``summary.json``; return the names."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    for figure in outcome.figures:
        files[f"{figure.name}.csv"] = _csv(figure)
        files[f"{figure.name}.json"] = json.dumps(figure_json(figure), sort_keys=True) + "\n"
    files["report.html"] = render_html(outcome)
    names = [*files, "summary.json"]
    files["summary.json"] = json.dumps(summary(outcome, names), sort_keys=True, indent=1) + "\n"
    for name, text in files.items():
        (out_dir / name).write_text(text, encoding="utf-8")
    return sorted(names)
