"""Suite-wide test configuration: the Hypothesis profile "ci" (derandomized, no deadline)."""

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None)
settings.load_profile("ci")
