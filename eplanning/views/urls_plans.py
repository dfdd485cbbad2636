from django.urls import path

from . import plans

urlpatterns = [
    path("", plans.plan_list, name="plan_list"),
    path("rencana/baru/", plans.plan_create, name="plan_create"),
    path("rencana/ekspor.xlsx", plans.plan_export, name="plan_export"),
    path("rencana/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("rencana/<int:pk>/ubah/", plans.plan_edit, name="plan_edit"),
    path("rencana/<int:pk>/<slug:action>/", plans.plan_transition, name="plan_transition"),
    path("pohon/", plans.plan_tree, name="plan_tree"),
    path("pagu/", plans.ceiling_list, name="ceiling_list"),
    path("rpjmd/", plans.rpjmd_page, name="rpjmd_page"),
]
