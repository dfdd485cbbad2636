from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/baca/", views.notification_mark_read, name="notifications_mark_read"),
    path("organisasi/", views.agency_list, name="agencies"),
    path("organisasi/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("organisasi/<int:pk>/ubah/", views.agency_edit, name="agency_edit"),
]
