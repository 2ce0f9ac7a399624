"""Budget proposals for governance proposers: a YAML spec (``spec``), the checks a careful
reviewer makes (``checks``, with live chain facts from ``chain_facts``), the gov v1 proposal file
and its forum summary (``draft``), and the ``incentivesd budget`` commands (``cli``)."""
