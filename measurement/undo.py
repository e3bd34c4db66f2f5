"""Undo of a deleted KPI value: the row is serialised before the delete and restored with the same id and fields."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from organisations.permissions import Action
from organisations.undo import UndoUnavailable, register, rows_dump, rows_load

from .models import Measurement

VALUE = "measurement.value"


def value_payload(measurement: Measurement) -> dict:
    return {"rows": rows_dump(Measurement.objects.filter(pk=measurement.pk))}


@transaction.atomic
def value_restore(*, organisation, payload: dict) -> str:
    restored = []
    try:
        with transaction.atomic():
            for obj in rows_load(payload["rows"]):
                if obj.object.organisation_id != organisation.pk:
                    raise UndoUnavailable
                obj.save()  # raw save: the same id, and created_at / updated_at as they were
                restored.append(obj.object)
    except IntegrityError:  # a value for the same metric and period was entered since
        raise UndoUnavailable from None
    return _("The value for %(period)s is back.") % {"period": restored[0].period}


def register_handlers() -> None:
    register(VALUE, action=Action.MANAGE_MEASUREMENTS, restore=value_restore)
