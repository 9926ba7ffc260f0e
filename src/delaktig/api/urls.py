from django.urls import path, re_path

from delaktig.api import views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("dialoger/", views.dialogue_list, name="dialogues"),
    path("dialoger/<str:slug>/", views.dialogue_detail, name="dialogue"),
    path("aktiviteter/", views.activity_list, name="activities"),
    path("aktiviteter/<int:activity_id>/", views.activity_detail, name="activity"),
    re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"),
]
