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
        register_nav(
            NavItem(key="ebudgeting.documents", label=_("Budget"), url_name="ebudgeting:document-list", order=30)
        )

        from portal.backends import register_role_permissions
        from portal.choices import Role
        from portal.navigation import register_work

        from .selectors.documents import documents_work_for

        register_work(documents_work_for)
        # Kominfo admins look at budgets and may move them through the workflow's
        # services; nobody edits a document or a line in the admin.
        register_role_permissions(
            Role.KOMINFO_ADMIN,
            {"ebudgeting.view_budgetdocument", "ebudgeting.change_budgetdocument", "ebudgeting.view_budgetline"},
        )
        # Reference codes: read by everyone who works in the portal; Kominfo admins import
        # an updated official list of account codes (add = import) in the admin.
        register_nav(
            NavItem(key="ebudgeting.codes", label=_("Account codes"), url_name="ebudgeting:codes_tree", order=91)
        )
        register_role_permissions(
            Role.KOMINFO_ADMIN,
            {"ebudgeting.view_accountcode", "ebudgeting.add_accountcode", "ebudgeting.view_fundingsource"},
        )

        from portal.demo_data import register_demo_loader

        from .demo import load_budgeting_demo

        register_demo_loader(load_budgeting_demo, label=_("E-Budgeting"))
