from django.urls import include, path

app_name = "eprocurement"

urlpatterns = [
    path("", include("eprocurement.views.urls_vendors")),
    path("", include("eprocurement.views.urls_plans")),
    path("", include("eprocurement.views.urls_tender_site")),
    path("", include("eprocurement.views.urls_ocds")),
    path("", include("eprocurement.views.urls_packages")),
    path("", include("eprocurement.views.urls_awards")),
    path("", include("eprocurement.views.urls_bids")),
]
