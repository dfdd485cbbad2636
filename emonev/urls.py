from django.urls import include, path

from . import views

app_name = "emonev"

urlpatterns = [
    path("", views.progress_list, name="progress_list"),
    path("verifikasi/", views.verifier_queue, name="verifier_queue"),
    path("kritis/", views.critical_list, name="critical_list"),
    path("kritis/<int:pk>/", views.critical_detail, name="critical_detail"),
    path("kontrak/<int:pk>/", views.subject_progress, {"kind": "contract"}, name="contract_progress"),
    path("kontrak/<int:pk>/kurva/", views.curve_edit, {"kind": "contract"}, name="contract_curve"),
    path("rencana/<int:pk>/", views.subject_progress, {"kind": "plan_item"}, name="plan_item_progress"),
    path("rencana/<int:pk>/kurva/", views.curve_edit, {"kind": "plan_item"}, name="plan_item_curve"),
    path("laporan/<int:pk>/", views.report_detail, name="report_detail"),
    path("laporan/<int:pk>/ubah/", views.report_edit, name="report_edit"),
    path("laporan/<int:pk>/bukti/", views.evidence_upload, name="evidence_upload"),
    path("laporan/<int:pk>/<slug:action>/", views.report_transition, name="report_transition"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("bukti/<int:pk>/hapus/", views.evidence_remove, name="evidence_remove"),
    path("jejak/", include("emonev.urls_trace")),
    path("", include("emonev.urls_dashboards")),
    path("", include("emonev.urls_reports")),  # monthly reports and performance (reports part)
]
