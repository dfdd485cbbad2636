"""Vendors: registration, "my company", the LPSE queue and the public blacklist."""

from django.urls import path

from . import vendors as views

urlpatterns = [
    path("penyedia/", views.my_vendors, name="vendor_mine"),
    path("penyedia/daftar/", views.register, name="vendor_register"),
    path("penyedia/daftar-hitam/", views.public_blacklist, name="vendor_blacklist"),
    path("penyedia/daftar-hitam/<int:pk>/cabut/", views.blacklisting_lift, name="vendor_blacklisting_lift"),
    path("penyedia/verifikasi/", views.verification_queue, name="vendor_queue"),
    path("penyedia/dokumen/<int:pk>/", views.document_download, name="vendor_document"),
    path("penyedia/<int:pk>/", views.vendor_detail, name="vendor_detail"),
    path("penyedia/<int:pk>/ajukan-ulang/", views.resubmit, name="vendor_resubmit"),
    path("penyedia/<int:pk>/verifikasi/", views.verify, name="vendor_verify"),
    path("penyedia/<int:pk>/tolak/", views.reject, name="vendor_reject"),
    path("penyedia/<int:pk>/daftar-hitam/", views.blacklist, name="vendor_blacklisting_record"),
]
