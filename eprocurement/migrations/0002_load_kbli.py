"""Load the KBLI 2020 business fields shipped in eprocurement/data/kbli.csv (see SOURCES.md)."""

import csv
from pathlib import Path

from django.db import migrations

KBLI_CSV = Path(__file__).resolve().parent.parent / "data" / "kbli.csv"


def load_shipped_kbli(apps, schema_editor=None):
    """Create the shipped codes that are missing and refresh the names of the others."""
    business_field = apps.get_model("eprocurement", "BusinessField")
    with KBLI_CSV.open(encoding="utf-8") as fh:
        rows = {row["code"].strip(): row["name"].strip() for row in csv.DictReader(fh)}
    existing = {f.code: f for f in business_field.objects.filter(code__in=rows)}
    business_field.objects.bulk_create(
        [business_field(code=code, name=name) for code, name in rows.items() if code not in existing]
    )
    changed = [f for code, f in existing.items() if f.name != rows[code]]
    for f in changed:
        f.name = rows[f.code]
    business_field.objects.bulk_update(changed, ["name"])


class Migration(migrations.Migration):
    dependencies = [("eprocurement", "0001_initial")]

    operations = [migrations.RunPython(load_shipped_kbli, migrations.RunPython.noop)]
