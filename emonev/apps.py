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
        # OCDS: accepted progress reports become the contract's implementation milestones.
        from eprocurement.ocds.providers import register_implementation_provider

        from .ocds import contract_milestones

        register_implementation_provider(contract_milestones)
        # Dashboards (issue 5, dashboards part).
        register_nav(NavItem("emonev.dashboard", _("Monitoring dashboard"), "emonev:dashboard", order=73))
        register_nav(NavItem("emonev.public", _("Development progress"), "emonev:public_index", public=True, order=74))
        # Monthly reports, reminders and performance (reports part).
        register_nav(NavItem("emonev.monthly", _("Monthly reports"), "emonev:monthly_list", order=75))
        register_nav(NavItem("emonev.performance", _("Performance"), "emonev:performance", order=76))
        from .selectors.performance import achievements_work

        register_work(achievements_work)
        register_role_permissions(
            Role.KOMINFO_ADMIN,
            {"emonev.view_monthlyreport", "emonev.view_remindersent", "emonev.view_indicatorachievement"},
        )
        # The public Musrenbang page: what became of each accepted proposal's plan item.
        from eplanning.outcomes import register_outcome_provider

        from .outcomes import progress_outcomes

        register_outcome_provider(progress_outcomes)
        # Demo data for `manage.py load_demo` (after E-Procurement's signed contract).
        from portal.demo_data import register_demo_loader

        from .demo import load_monev_demo

        register_demo_loader(load_monev_demo, label=_("E-Monev"))
