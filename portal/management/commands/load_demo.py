from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.choices import Role
from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from portal.demo_data import load_demo, other_demo_accounts


class Command(BaseCommand):
    help = (
        "Load the NTT demo data (the province, its regencies and cities, their agencies, fiscal years "
        "and one demo account per role). Safe to run again: only what is missing is added."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Load even though DEBUG is off. The demo password is public: never on a production database."),
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "DEBUG is off, so this may be a production database; the demo accounts' password is public. "
                    "Add --force if this is really a demo or test installation."
                )
            )
        result = load_demo()
        if result.created:
            added = ", ".join(f"{name} {count}" for name, count in sorted(result.created.items()))
            self.stdout.write(self.style.SUCCESS(_("Demo data added: %(added)s.") % {"added": added}))
        for label, added in result.added_by_app.items():
            counts = ", ".join(f"{name} {count}" for name, count in sorted(added.items()))
            self.stdout.write(
                self.style.SUCCESS(_("%(app)s demo data added: %(added)s.") % {"app": label, "added": counts})
            )
        if not result.created and not result.added_by_app:
            self.stdout.write(_("The demo data was already loaded; nothing changed."))
        self._print_accounts(result.accounts)

    def _print_accounts(self, accounts):
        rows = [(_("E-mail"), _("Role"), _("Agency"), _("2FA"))]
        for account, agency in accounts:
            label = f"{agency.short_name or agency.name} · {agency.region.name}"
            two_factor = _("yes") if account.needs_totp else ""
            rows.append((account.email, str(Role(account.role).label), label, two_factor))
        rows += [(email, description, "", "") for email, description in other_demo_accounts()]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("")
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        self.stdout.write("")
        self.stdout.write(_("Password of every demo account: %(password)s") % {"password": DEMO_PASSWORD})
        self.stdout.write(
            _(
                "Accounts marked 2FA log in with a TOTP code for the secret %(secret)s: "
                "add it to an authenticator app, or run `python manage.py demo_totp` for the current code."
            )
            % {"secret": DEMO_TOTP_SECRET}
        )
