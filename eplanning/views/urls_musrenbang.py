"""Musrenbang: the public outcome pages (no log-in) and the staff's review pages."""

from django.urls import path

from . import musrenbang as views

urlpatterns = [
    path("", views.public_list, name="musrenbang_public"),
    path("<int:pk>/", views.public_detail, name="musrenbang_public_detail"),
    path("usulan/", views.review_list, name="musrenbang_list"),
    path("usulan/baru/", views.proposal_create, name="musrenbang_create"),
    path("usulan/<int:pk>/", views.proposal_detail, name="musrenbang_detail"),
    path("usulan/<int:pk>/ubah/", views.proposal_edit, name="musrenbang_edit"),
    path("usulan/<int:pk>/teruskan/", views.proposal_forward, name="musrenbang_forward"),
    path("usulan/<int:pk>/tolak/", views.proposal_reject, name="musrenbang_reject"),
    path("usulan/<int:pk>/terima/", views.proposal_accept, name="musrenbang_accept"),
]
