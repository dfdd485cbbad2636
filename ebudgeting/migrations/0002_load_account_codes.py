"""Ship the account codes of belanja (ebudgeting/data/account_codes.csv) on a fresh install."""

from django.db import migrations

from ebudgeting.services.codes import load_shipped_account_codes, unload_shipped_account_codes


class Migration(migrations.Migration):
    dependencies = [("ebudgeting", "0001_initial")]

    operations = [migrations.RunPython(load_shipped_account_codes, unload_shipped_account_codes)]
