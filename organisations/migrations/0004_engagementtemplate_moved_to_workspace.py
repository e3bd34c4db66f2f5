"""Engagement templates belong to workspace now (issue #14): organisations forgets the model, keeps nothing.

State only: the table, its rows and its constraints stay exactly as they are, and workspace's model
keeps using them (``db_table``). Nothing here depends on an app above organisations.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_firm_updated_at_engagementtemplate"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="EngagementTemplate")],
            database_operations=[],
        ),
    ]
