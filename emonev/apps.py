from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmonevConfig(AppConfig):
    name = "emonev"
    verbose_name = _("E-Monev")

    def ready(self):
        from portal.backends import register_role_permissions
        from portal.choices import Role
        from portal.navigation import NavItem, register_nav, register_work

        from .selectors.pages import monev_work

        register_nav(NavItem("emonev.progress", _("Progress"), "emonev:progress_list", order=70))
        register_nav(
            NavItem(
                "emonev.verify",
                _("Reports to verify"),
                "emonev:verifier_queue",
                roles=frozenset({Role.MONEV_VERIFIER}),
                order=71,
            )
        )
        register_nav(NavItem("emonev.critical", _("Critical contracts"), "emonev:critical_list", order=72))
        register_work(monev_work)
        # Kominfo admins read monitoring records in the admin; every change goes through
        # the services on the staff site and the API.
        register_role_permissions(
            Role.KOMINFO_ADMIN,
            {
                "emonev.view_plannedcurve",
                "emonev.view_plannedpoint",
                "emonev.view_progressreport",
                "emonev.view_progressevidence",
                "emonev.view_criticalstatus",
                "emonev.view_escalation",
            },
        )
        # Monthly reports, reminders and performance (reports part).
        from django.db.models.signals import post_save

        from .models import ProgressReport
        from .services.reminders import on_report_saved

        post_save.connect(on_report_saved, sender=ProgressReport, dispatch_uid="emonev.deviation_alert")
        register_nav(NavItem("emonev.monthly", _("Monthly reports"), "emonev:monthly_list", order=73))
        register_nav(NavItem("emonev.performance", _("Performance"), "emonev:performance", order=74))
        from .selectors.performance import achievements_work

        register_work(achievements_work)
        register_role_permissions(
            Role.KOMINFO_ADMIN,
            {"emonev.view_monthlyreport", "emonev.view_remindersent", "emonev.view_indicatorachievement"},
        )
