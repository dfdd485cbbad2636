from django.urls import path

from . import plans

urlpatterns = [
    path("rup/", plans.rup_list, name="rup_list"),
    path("rup/publik/", plans.rup_public_list, name="rup_public_list"),
    path("rup/baru/", plans.rup_create, name="rup_create"),
    path("rup/<int:pk>/", plans.rup_detail, name="rup_detail"),
    path("rup/<int:pk>/ubah/", plans.rup_edit, name="rup_edit"),
    path("rup/<int:pk>/<slug:action>/", plans.rup_transition, name="rup_transition"),
]
