"""Reports rendered before template version 2 (truncated figures, attributed comments) are dropped."""

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from reports.models import Report, ReportStatus

pytestmark = pytest.mark.django_db

drop = importlib.import_module("reports.migrations.0003_drop_reports_rendered_before_v2")


def test_old_reports_and_their_files_are_gone(open_round):
    done = Report.objects.create(round=open_round, language="fr", status=ReportStatus.DONE, content_hash="old")
    done.file.save("old.pdf", ContentFile(b"%PDF-1.7 attributed comments"))
    name = done.file.name
    Report.objects.create(round=open_round, language="en", status=ReportStatus.FAILED, content_hash="old")
    assert default_storage.exists(name)

    drop.drop_old_reports(apps, None)

    assert not Report.objects.exists()
    assert not default_storage.exists(name)
