from django.urls import include, path

app_name = "eprocurement"

urlpatterns = [
    path("", include("eprocurement.views.urls_vendors")),
    path("", include("eprocurement.views.urls_plans")),
    path("", include("eprocurement.views.urls_bids")),
]
