"""The public tender site under /pengadaan/tender/."""

from django.urls import path

from .. import feeds
from . import tender_site as views

urlpatterns = [
    path("tender/", views.tender_list, name="tender_list"),
    path("tender/feed.atom", feeds.TenderFeed(), name="tender_feed"),
    path("tender/saya/", views.tender_mine, name="tender_mine"),
    path("tender/langganan/", views.tender_subscriptions, name="tender_subscriptions"),
    path("tender/langganan/<int:pk>/hapus/", views.tender_subscription_delete, name="tender_subscription_delete"),
    path("tender/<int:pk>/", views.tender_detail, name="tender_detail"),
    path("tender/<int:pk>/tanya/", views.tender_ask, name="tender_ask"),
    path("tender/<int:pk>/pertanyaan/", views.tender_questions, name="tender_questions"),
    path("tender/pertanyaan/<int:pk>/jawab/", views.tender_answer, name="tender_answer"),
]
