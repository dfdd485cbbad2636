"""Ship the funding sources (PAD, DAU, DAK Fisik, ...) on a fresh install."""

from django.db import migrations

from ebudgeting.services.codes import load_funding_sources, unload_funding_sources


class Migration(migrations.Migration):
    dependencies = [("ebudgeting", "0002_load_account_codes")]

    operations = [migrations.RunPython(load_funding_sources, unload_funding_sources)]
