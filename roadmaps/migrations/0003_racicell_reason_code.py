"""RACI cells keep their reason as a code and parameters instead of French and English text.

Interface text goes through gettext (docs/adr/0003): a reason is worded when shown, in the reader's
language. Existing cells get their code back from the English text the proposal stored; a text
that matches nothing known (none is expected) leaves the cell without a reason.
"""

from django.db import migrations, models

# The frozen texts and the reading of a code from them live in an app module, not here: an
# organisation export or an undo payload made before this migration holds the same old texts and
# must be read exactly as this migration reads the database (privacy/portability.py,
# roadmaps/undo.py). Two copies could drift apart and give one text two codes. Importing app code
# from a migration is safe here because that module is frozen by contract ("never edit", its
# tables pinned by a test) and pure Python: it never touches the current models, which is what
# makes app imports in migrations break as the app evolves.
from roadmaps.legacy_reasons import code_of, texts_of


def forwards(apps, schema_editor):
    RaciCell = apps.get_model("roadmaps", "RaciCell")
    cells = list(RaciCell.objects.select_related("round"))
    for cell in cells:
        cell.reason_code, cell.reason_params = code_of(cell.reason_en, cell.activity, cell.round.cxo_exists)
    RaciCell.objects.bulk_update(cells, ["reason_code", "reason_params"], batch_size=500)


def backwards(apps, schema_editor):
    RaciCell = apps.get_model("roadmaps", "RaciCell")
    cells = list(RaciCell.objects.all())
    for cell in cells:
        cell.reason_fr, cell.reason_en = texts_of(cell.reason_code, cell.reason_params or {})
    RaciCell.objects.bulk_update(cells, ["reason_fr", "reason_en"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0002_orgrole_racicell_roadmap_roadmapitem"),
    ]

    operations = [
        migrations.AddField(
            model_name="racicell",
            name="reason_code",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="racicell",
            name="reason_params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name="racicell",
            name="reason_en",
        ),
        migrations.RemoveField(
            model_name="racicell",
            name="reason_fr",
        ),
    ]
