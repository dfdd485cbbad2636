from django.urls import path

from . import views_reports as views

urlpatterns = [
    path("laporan-bulanan/", views.monthly_list, name="monthly_list"),
    path("laporan-bulanan/minta/", views.monthly_request, name="monthly_request"),
    path("laporan-bulanan/<int:pk>/", views.monthly_detail, name="monthly_detail"),
    path("laporan-bulanan/<int:pk>/<slug:fmt>/", views.monthly_download, name="monthly_download"),
    path("laporan-bulanan/pekerjaan/<int:pk>/", views.monthly_job, name="monthly_job"),
    path("kinerja/", views.performance, name="performance"),
    path("kinerja/indikator/<int:pk>/", views.achievement_record, name="achievement_record"),
    path("kinerja/capaian/<int:pk>/verifikasi/", views.achievement_verify, name="achievement_verify"),
]
