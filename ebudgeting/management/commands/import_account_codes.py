"""manage.py import_account_codes FILE [--edition ...] [--actor EMAIL]"""

from django.utils.translation import gettext_lazy as _

from portal.code_lists import CodeListCommand

from ...services.codes import account_codes_import


class Command(CodeListCommand):
    help = _("Import an updated official list of account codes (CSV or XLSX): all rows valid or nothing saved.")
    import_service = staticmethod(account_codes_import)
