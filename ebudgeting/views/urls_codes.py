from django.urls import path

from . import codes

urlpatterns = [
    path("", codes.codes_tree, name="codes_tree"),
    path("<str:code>/", codes.codes_tree, name="codes_node"),
]
