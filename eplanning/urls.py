"""E-Planning's pages: each views module brings its own patterns."""

from django.urls import include, path

app_name = "eplanning"

urlpatterns = [
    path("nomenklatur/", include("eplanning.views.urls_codes")),
    path("", include("eplanning.views.urls_plans")),
    path("musrenbang/", include("eplanning.views.urls_musrenbang")),
]
