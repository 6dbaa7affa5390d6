"""Each round keeps its own copy of the votes per person, so a change of the
challenge's setting during a round applies from the next round. Rounds that
exist so far take their challenge's setting."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="votes_per_round",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Empty: unlimited.",
                null=True,
                verbose_name="votes per person in this round",
            ),
        ),
        migrations.RunSQL(
            sql="""
                UPDATE campaigns_round AS round
                SET votes_per_round = campaign.votes_per_round
                FROM campaigns_campaign AS campaign
                WHERE round.campaign_id = campaign.id
            """,
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
