import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.audit import verify_chain
from portal.models import AuditEntry


class Command(BaseCommand):
    help = "Check the audit log's hash chain and name the first entry that does not match."

    def handle(self, *args, **options):
        broken = verify_chain()
        if broken is None:
            count = AuditEntry.objects.count()
            self.stdout.write(_("The audit chain is intact: %(count)d entries.") % {"count": count})
            return
        self.stderr.write(
            _("Audit entry #%(seq)s does not match: %(problem)s") % {"seq": broken.seq, "problem": broken.problem}
        )
        sys.exit(1)
