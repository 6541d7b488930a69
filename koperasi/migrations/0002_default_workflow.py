from django.db import migrations


def load(apps, schema_editor):
    from koperasi.catalog import formation_catalog_ensure

    formation_catalog_ensure(apps.get_model("koperasi", "FormationStage"), apps.get_model("koperasi", "DocumentType"))


class Migration(migrations.Migration):
    dependencies = [("koperasi", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
