"""E-Budgeting's pages: each views module brings its own patterns."""

from django.urls import include, path

app_name = "ebudgeting"

urlpatterns = [
    path("rekening/", include("ebudgeting.views.urls_codes")),
    path("", include("ebudgeting.views.urls_documents")),
    path("", include("ebudgeting.views.urls_ledger")),
]
