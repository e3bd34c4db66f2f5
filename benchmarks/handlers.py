"""Receivers of the events sent by lower apps (assessments never imports benchmarks)."""

from assessments.signals import results_stored

from . import services


def store_dimension_results(sender, *, round_, snapshot, **kwargs):
    services.dimension_results_store(round_=round_, snapshot=snapshot)


def connect() -> None:
    results_stored.connect(store_dimension_results, dispatch_uid="benchmarks.store_dimension_results")
