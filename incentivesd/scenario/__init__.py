"""Economic scenarios for incentive designers: ``incentivesd sim scenario SCENARIO.yaml``.

- ``spec``: the scenario file (pydantic models over YAML) and its validation.
- ``rules``: the module's allocation rules vectorized over runs x nodes (pinned to the exact path).
- ``population``: providers, nodes, GPU mix, uptime and utilization, drawn per run.
- ``model``: the epoch loop of a batch of Monte Carlo runs (prices, budgets, redirects, payouts).
- ``figures``: a figure as a table, and the statistics (quantiles, Gini, top-10 share, histograms).
- ``monte_carlo``: a batch's figures (burn-down, spend, cost per GPU-hour, payout distribution)
  and ``run_monte_carlo``, which adds ``comparison`` (payouts today vs with each rule) and
  ``sybil`` (what a provider gains by splitting wallets, faking idle time, inflating benchmarks).
- ``svg``, ``report``: inline-SVG plots, the HTML report and the CSV/JSON files.
- ``cli``: the click command.

Nothing here is chain state: floats are fine, and every draw comes from a seeded numpy Generator.
"""
