"""Economic scenarios for incentive designers: ``incentivesd sim scenario SCENARIO.yaml``.

- ``spec``: the scenario file (pydantic models over YAML) and its validation.
- ``rules``: the module's allocation rules vectorized over runs x nodes (pinned to the exact path).
- ``population``: providers, nodes, GPU mix, uptime and utilization, drawn per run.
- ``model``: the epoch loop of one batch of Monte Carlo runs (prices, budgets, payouts).
- ``monte_carlo``: the statistics of a batch (burn-down, cost per GPU-hour, Gini, top-10 share).
- ``sybil``: what a wallet gains by splitting, faking idle time or inflating benchmarks.
- ``svg``, ``report``: inline-SVG plots, the HTML report and the CSV/JSON figures.
- ``cli``: the click command.
"""
