"""URLs for the OCDS tests: the portal's E-Procurement URLs plus a stand-in for the package
document download, which the packages part provides (``eprocurement:package_document_download``)."""

from django.http import HttpResponse
from django.urls import include, path

from eprocurement import urls as eprocurement_urls

patterns = [
    *eprocurement_urls.urlpatterns,
    path("dokumen/<int:pk>/", lambda request, pk: HttpResponse(), name="package_document_download"),
]
urlpatterns = [path("pengadaan/", include((patterns, "eprocurement")))]
