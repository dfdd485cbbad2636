from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EbudgetingConfig(AppConfig):
    name = "ebudgeting"
    verbose_name = _("E-Budgeting")

    def ready(self):
        from eplanning.outcomes import register_outcome_provider

        from .outcomes import budget_outcomes

        register_outcome_provider(budget_outcomes)

        from portal.navigation import NavItem, register_nav

        register_nav(
            NavItem(
                key="ebudgeting.realizations", label=_("Realization"), url_name="ebudgeting:realization_list", order=32
            )
        )
