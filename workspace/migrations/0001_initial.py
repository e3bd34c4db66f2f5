"""Engagement templates move here from organisations, and a round's template with them (issue #14).

The table stays where it is (``organisations_engagementtemplate``, see the model's Meta): this
migration only tells Django's state that workspace now owns it, then creates RoundOrigin and copies
every ``assessments.Round.template`` into it. assessments then drops that column
(0008_remove_round_template) and organisations forgets the model (0004): ``run_before`` orders
both after the copy, so neither lower app's migrations need to know workspace exists.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_round_templates(apps, schema_editor):
    Round = apps.get_model("assessments", "Round")
    RoundOrigin = apps.get_model("workspace", "RoundOrigin")
    pairs = Round.objects.filter(template__isnull=False).values_list("pk", "template_id")
    RoundOrigin.objects.bulk_create([RoundOrigin(round_id=round_id, template_id=template_id) for round_id, template_id in pairs])


def restore_round_templates(apps, schema_editor):
    Round = apps.get_model("assessments", "Round")
    RoundOrigin = apps.get_model("workspace", "RoundOrigin")
    for round_id, template_id in RoundOrigin.objects.filter(template__isnull=False).values_list("round_id", "template_id"):
        Round.objects.filter(pk=round_id).update(template_id=template_id)


def move_content_type(apps, schema_editor, *, source="organisations", target="workspace"):
    """The model's content type follows it, so the permissions given on it and the admin's history stay attached."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="engagementtemplate").exists():
        ContentType.objects.filter(app_label=source, model="engagementtemplate").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="workspace", target="organisations")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("assessments", "0007_roundinvitation"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisations", "0003_firm_updated_at_engagementtemplate"),
    ]

    run_before = [
        ("assessments", "0008_remove_round_template"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EngagementTemplate",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                        (
                            "anonymous",
                            models.BooleanField(
                                default=False,
                                help_text="No answer is linked to a person or a function anywhere.",
                                verbose_name="anonymous by default",
                            ),
                        ),
                        ("introduction_fr", models.TextField(blank=True, max_length=4000, verbose_name="introduction (French)")),
                        ("introduction_en", models.TextField(blank=True, max_length=4000, verbose_name="introduction (English)")),
                        ("default_targets", models.JSONField(blank=True, default=dict, verbose_name="default targets")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "firm",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="engagement_templates",
                                to="organisations.firm",
                                verbose_name="firm",
                            ),
                        ),
                        (
                            "framework",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="assessments.framework",
                                verbose_name="framework",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "engagement template",
                        "verbose_name_plural": "engagement templates",
                        "db_table": "organisations_engagementtemplate",
                        "ordering": ["firm", "name"],
                        "constraints": [models.UniqueConstraint(fields=("firm", "name"), name="unique_engagement_template_name")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="RoundOrigin",
            fields=[
                (
                    "round",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="origin",
                        serialize=False,
                        to="assessments.round",
                    ),
                ),
                (
                    "template",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="round_origins",
                        to="workspace.engagementtemplate",
                        verbose_name="engagement template",
                    ),
                ),
            ],
            options={
                "verbose_name": "round origin",
                "verbose_name_plural": "round origins",
            },
        ),
        migrations.RunPython(copy_round_templates, restore_round_templates),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
