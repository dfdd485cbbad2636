"""Sealed bids: the vendor's bid page, receipts and "my bids"; the pokja's opening page."""

from django.urls import path

from . import bids as views

urlpatterns = [
    path("tender/<int:pk>/penawaran/", views.bid_page, name="bid_page"),
    path("penawaran/", views.my_bids, name="bid_mine"),
    path("penawaran/<int:pk>/tanda-terima/", views.bid_receipt, name="bid_receipt"),
    path("penawaran/<int:pk>/tanda-terima.json", views.bid_receipt_json, name="bid_receipt_json"),
    path("penawaran/<int:pk>/tarik/", views.bid_withdraw, name="bid_withdraw"),
    path("penawaran/dokumen/<int:pk>/", views.bid_document, name="bid_document"),
    path("penawaran/dokumen/<int:pk>/hapus/", views.bid_document_remove, name="bid_document_remove"),
    path("paket/<int:pk>/pembukaan/", views.opening_page, name="opening_page"),
    path("paket/<int:pk>/pembukaan/konfirmasi/", views.opening_confirm, name="opening_confirm"),
    path("paket/<int:pk>/pembukaan/berita-acara.json", views.opening_record_json, name="opening_record"),
]
