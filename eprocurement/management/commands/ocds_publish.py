"""manage.py ocds_publish [CODE ...]"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...ocds.publish import publish_current_states


class Command(BaseCommand):
    help = gettext_lazy(
        "Publish an OCDS release of the present state of every announced package (or of the "
        "given tender codes) that has none yet, e.g. for packages announced before OCDS publishing "
        "was switched on. Running it again stores nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help=gettext_lazy("tender codes (default: every package)"))

    def handle(self, *args, codes, **options):
        looked, stored = publish_current_states(codes=codes or None)
        self.stdout.write(
            _("%(looked)s packages looked at, %(stored)s releases stored.") % {"looked": looked, "stored": stored}
        )
