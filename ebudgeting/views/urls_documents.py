from django.urls import path

from . import documents

urlpatterns = [
    path("dokumen/", documents.document_list, name="document-list"),
    path("dokumen/<int:pk>/", documents.document_detail, name="document-detail"),
    path("dokumen/<int:pk>/aksi/<slug:action>/", documents.document_action, name="document-action"),
    path("dokumen/<int:pk>/banding/<int:other_pk>/", documents.document_diff, name="document-diff"),
    path("dokumen/<int:pk>/xlsx/", documents.document_export, name="document-export"),
    path("dokumen/<int:pk>/rincian/baru/", documents.line_add, name="line-add"),
    path("rincian/<int:pk>/", documents.line_edit, name="line-edit"),
    path("rincian/<int:pk>/hapus/", documents.line_delete, name="line-delete"),
    path("ringkasan/", documents.summary, name="summary"),
]
