"""
Every account's sign-in address becomes its verified primary e-mail address.

Until now addresses were never verified (ACCOUNT_EMAIL_VERIFICATION was "none"); with verification
now mandatory at sign-in, nobody may be locked out. The rows allauth kept for the e-mail page are
repaired too: a half-finished change (a primary address that is not User.email) is undone.
"""

from django.db import migrations
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Subquery
from django.db.models.functions import Lower


def verify_sign_in_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    has_row = EmailAddress.objects.filter(user_id=OuterRef("pk"), email=Lower(OuterRef("email")))
    missing = User.objects.exclude(email="").exclude(Exists(has_row)).values_list("pk", "email")
    batch = []
    for user_id, email in missing.iterator(chunk_size=2000):
        batch.append(EmailAddress(user_id=user_id, email=email.lower(), verified=False, primary=False))
        if len(batch) == 2000:
            EmailAddress.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    EmailAddress.objects.bulk_create(batch, ignore_conflicts=True)

    sign_in_address = Subquery(User.objects.filter(pk=OuterRef("user_id")).values(address=Lower("email"))[:1])
    EmailAddress.objects.filter(primary=True).exclude(email=sign_in_address).update(primary=False)
    verified_elsewhere = EmailAddress.objects.filter(email=OuterRef("email"), verified=True).exclude(
        user_id=OuterRef("user_id"))
    EmailAddress.objects.filter(email=sign_in_address).exclude(Exists(verified_elsewhere)).update(
        primary=True, verified=True)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_signin_failures_api_tokens"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(verify_sign_in_addresses, migrations.RunPython.noop),
    ]
