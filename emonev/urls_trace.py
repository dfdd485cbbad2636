"""The trace pages, one URL per kind of record a trace may start from (under /monev/jejak/)."""

from django.urls import path

from . import views_trace

urlpatterns = [
    path("rencana/<int:pk>/", views_trace.trace_page, {"kind": "plan_item"}, name="trace_plan_item"),
    path("anggaran-baris/<int:pk>/", views_trace.trace_page, {"kind": "budget_line"}, name="trace_budget_line"),
    path("paket/<int:pk>/", views_trace.trace_page, {"kind": "package"}, name="trace_package"),
    path("kontrak/<int:pk>/", views_trace.trace_page, {"kind": "contract"}, name="trace_contract"),
    path("usulan/<int:pk>/", views_trace.trace_page, {"kind": "proposal"}, name="trace_proposal"),
]
