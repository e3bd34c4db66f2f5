"""Drop every PDF rendered before template version 2.

Those files printed truncated figures and, for every role and every share link, comments next to
their author's function (issue #13). Reuse by content hash already re-renders on the next request,
but the old rows stayed downloadable by id and through share links, so they go, files included.
"""

from django.core.files.storage import default_storage
from django.db import migrations


def drop_old_reports(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    for report in Report.objects.exclude(file="").only("file").iterator():
        default_storage.delete(report.file.name)
    Report.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_report_attempts")]

    operations = [migrations.RunPython(drop_old_reports, migrations.RunPython.noop)]
