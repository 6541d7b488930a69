"""
The area of the notifications written before ``Notification.about`` existed, where their own data says it: a stage
submission names its village, an invitation's deduplication key ends with the invited village's code. Others stay
without one (never pruned), as before.
"""

from django.db import migrations

BATCH = 2000


def backfill(apps, schema_editor):
    notification = apps.get_model("notifications", "Notification")
    rows = (notification.objects.filter(about="", kind__in=["stage_submitted", "event_invitation"])
            .values_list("pk", "kind", "params", "dedup_key").iterator(chunk_size=BATCH))
    changed = []
    for pk, kind, params, dedup_key in rows:
        about = (params or {}).get("village", "") if kind == "stage_submitted" else dedup_key.rsplit(":", 1)[-1]
        if isinstance(about, str) and 0 < len(about) <= 13 and about.replace(".", "").isdigit():
            changed.append(notification(pk=pk, about=about))
        if len(changed) >= BATCH:
            notification.objects.bulk_update(changed, ["about"])
            changed = []
    notification.objects.bulk_update(changed, ["about"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_notification_about")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
