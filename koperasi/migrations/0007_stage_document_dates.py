"""
The NPWP, NIB, bank account and SIMKOPDES stages ask for the date on their document (registered, issued, opened),
which then dates the stage in the world, as the meeting, deed and SK AHU dates do for theirs.
"""

from django.db import migrations


def load(apps, schema_editor):
    from koperasi.catalog import formation_catalog_ensure

    formation_catalog_ensure(apps.get_model("koperasi", "FormationStage"), apps.get_model("koperasi", "DocumentType"))


class Migration(migrations.Migration):
    dependencies = [("koperasi", "0006_stage_event_date")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
