from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EplanningConfig(AppConfig):
    name = "eplanning"
    verbose_name = _("E-Planning")

    def ready(self):
        from portal.backends import register_role_permissions
        from portal.choices import Role
        from portal.navigation import NavItem, register_nav, register_work

        from .selectors.musrenbang import review_work
        from .selectors.plans import plan_work

        register_nav(NavItem("musrenbang", _("Musrenbang"), "eplanning:musrenbang_public", public=True, order=40))
        register_nav(
            NavItem(
                "musrenbang_review",
                _("Musrenbang review"),
                "eplanning:musrenbang_list",
                roles=frozenset({Role.PLANNER, Role.PLAN_VERIFIER}),
                order=41,
            )
        )
        register_work(review_work)
        planning_roles = {Role.PLANNER, Role.PLAN_VERIFIER, Role.LEADER, Role.AUDITOR}
        planning_roles |= {Role.BUDGET_OFFICER, Role.BUDGET_VERIFIER}
        register_nav(
            NavItem("planning", _("Planning"), "eplanning:plan_list", roles=frozenset(planning_roles), order=30)
        )
        register_work(plan_work)
        # Kominfo admins look at their region's proposals and review history in the admin.
        register_role_permissions(
            Role.KOMINFO_ADMIN, {"eplanning.view_communityproposal", "eplanning.view_proposalreview"}
        )
        # ... and, read-only, the region's plan items, RPJMD and ceilings.
        register_role_permissions(
            Role.KOMINFO_ADMIN, {"eplanning.view_planitem", "eplanning.view_rpjmdgoal", "eplanning.view_agencyceiling"}
        )
        # Reference codes: everyone who works in the portal reads them; Kominfo admins
        # look at them in the admin and import an updated official list (add = import).
        register_nav(NavItem("eplanning.codes", _("Nomenclature"), "eplanning:codes_tree", order=90))
        register_role_permissions(Role.KOMINFO_ADMIN, {"eplanning.view_nomenclature", "eplanning.add_nomenclature"})

        from portal.demo_data import register_demo_loader

        from .demo import load_planning_demo

        register_demo_loader(load_planning_demo, label=_("E-Planning"))
