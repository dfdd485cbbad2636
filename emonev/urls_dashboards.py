"""Dashboards and the public progress page, included in ``emonev.urls`` (namespace ``emonev``)."""

from django.urls import path

from . import views_dashboards as views

urlpatterns = [
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/kontrak/<int:pk>/", views.subject_curve, {"kind": "contract"}, name="dashboard_contract"),
    path("dasbor/rencana/<int:pk>/", views.subject_curve, {"kind": "plan_item"}, name="dashboard_plan_item"),
    path("publik/", views.public_index, name="public_index"),
    path("publik/<str:code>/", views.public_progress, name="public_progress"),
]
