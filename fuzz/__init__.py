"""Coverage-guided fuzzing harnesses (atheris), run by ``scripts/fuzz TARGET``; not part of the
test suite."""
