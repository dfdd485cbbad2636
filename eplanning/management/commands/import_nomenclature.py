"""manage.py import_nomenclature FILE [--edition ...] [--actor EMAIL]"""

from django.utils.translation import gettext_lazy as _

from portal.code_lists import CodeListCommand

from ...services.codes import nomenclature_import


class Command(CodeListCommand):
    help = _("Import an updated official planning nomenclature (CSV or XLSX): all rows valid or nothing saved.")
    import_service = staticmethod(nomenclature_import)
