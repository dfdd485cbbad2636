from django.urls import path

from . import codes

urlpatterns = [
    path("", codes.codes_tree, name="codes_tree"),
    path("saran/", codes.sub_activity_suggest, name="sub_activity_suggest"),
    path("<str:code>/", codes.codes_tree, name="codes_node"),
]
