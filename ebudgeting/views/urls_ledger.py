from django.urls import path

from . import ledger

urlpatterns = [
    path("realisasi/", ledger.realization_list, name="realization_list"),
    path("dokumen/<int:pk>/realisasi/", ledger.realization_document, name="realization_document"),
    path("baris/<int:pk>/buku-besar/", ledger.ledger_line, name="ledger_line"),
    path("dokumen/<int:pk>/pdf/", ledger.pdf_document, name="pdf_document"),
    path("pdf/<int:pk>/", ledger.pdf_job, name="pdf_job"),
    path("pdf/<int:pk>/unduh/", ledger.pdf_download, name="pdf_download"),
]
