"""Events that assessments emits for the apps built on it.

Assessments never imports the apps above it (roadmaps, measurement, benchmarks, reports…): they
listen to these instead, connected in their AppConfig.ready().
"""

from django.dispatch import Signal

# Sent by results_store once a round's results snapshot is written (on closing, after a consensus),
# with the keyword arguments `round_` and `snapshot`, inside the caller's transaction: a receiver that
# fails rolls the snapshot back, so derived data (the benchmark rows) never lags behind it.
results_stored = Signal()
