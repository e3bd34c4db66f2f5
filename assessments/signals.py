"""Events that assessments emits for the apps built on it.

Assessments never imports the apps above it (roadmaps, measurement, benchmarks, reports…): they
listen to these instead, connected in their AppConfig.ready(). Every event is sent inside the
transaction of the change it announces: a receiver that fails rolls the change back, so what the
apps above derive from it never lags behind.
"""

from django.dispatch import Signal

# Sent by results_store once a round's results snapshot is written (on closing, after a consensus,
# when a participant is withdrawn or reinstated in a closed or published round), with the keyword
# arguments `round_` and `snapshot`. Benchmarks rewrites its rows; roadmaps stores the starting targets.
results_stored = Signal()

# Sent by round_transition when a round is closed, after its results are stored (results_stored),
# with the keyword argument `round_`. Roadmaps proposes the to-be RACI and generates the roadmap.
round_closed = Signal()

# Sent by round_transition when a round's results are published, with the keyword argument `round_`.
# What publication needs is checked before (assessments/publish_checks.py), not by receivers.
round_published = Signal()
