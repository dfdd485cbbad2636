"""Ship the planning nomenclature (eplanning/data/nomenclature.csv) on a fresh install."""

from django.db import migrations

from eplanning.services.codes import load_shipped_nomenclature, unload_shipped_nomenclature


class Migration(migrations.Migration):
    dependencies = [("eplanning", "0002_proposal_created_by")]

    operations = [migrations.RunPython(load_shipped_nomenclature, unload_shipped_nomenclature)]
