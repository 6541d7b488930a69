from django.db import migrations


def load(apps, schema_editor):
    from units.catalog import unit_catalog_ensure

    unit_catalog_ensure(apps.get_model("units", "UnitType"))


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
