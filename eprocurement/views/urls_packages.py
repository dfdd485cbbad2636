from django.urls import path

from . import packages

urlpatterns = [
    path("paket/", packages.package_list, name="package_list"),
    path("paket/baru/", packages.package_create, name="package_create"),
    path("paket/<int:pk>/", packages.package_detail, name="package_detail"),
    path("paket/<int:pk>/ubah/", packages.package_edit, name="package_edit"),
    path("paket/<int:pk>/tim/", packages.package_team, name="package_team"),
    path("paket/<int:pk>/jadwal/", packages.package_schedule_edit, name="package_schedule"),
    path("paket/<int:pk>/dokumen/", packages.package_document_add, name="package_document_add"),
    path(
        "paket/<int:pk>/dokumen/<int:document_pk>/hapus/",
        packages.package_document_remove,
        name="package_document_remove",
    ),
    path("paket/dokumen/<int:document_pk>/", packages.package_document_download, name="package_document_download"),
    path("paket/<int:pk>/perpanjang/", packages.package_extend, name="package_extend"),
    path("paket/<int:pk>/adendum/", packages.package_addendum, name="package_addendum"),
    path("paket/<int:pk>/aksi/<slug:action>/", packages.package_transition, name="package_transition"),
]
