"""A round no longer names its engagement template: workspace.RoundOrigin does (issue #14).

workspace's 0001 copies the values first (it declares ``run_before`` this migration), so this app's
migrations never name the app above. organisations forgets the template model only once no round
points at it any more.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0007_roundinvitation"),
    ]

    run_before = [
        ("organisations", "0004_engagementtemplate_moved_to_workspace"),
    ]

    operations = [
        migrations.RemoveField(model_name="round", name="template"),
    ]
