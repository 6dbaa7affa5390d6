"""E-mail verification became mandatory: the accounts that exist so far were
created by the platform itself (operators, the demo, team owners), so their
address goes on record as verified, as accounts.services.user_create does now."""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email.lower(), primary=True, verified=True)
            for pk, email in User.objects.values_list("pk", "email")
            if pk not in known
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_signin_consent_invitations"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
