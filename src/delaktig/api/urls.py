from django.urls import path, re_path

from delaktig.api import views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("dialoger/", views.dialogue_list, name="dialogues"),
    path("dialoger/<str:slug>/", views.dialogue_detail, name="dialogue"),
    path("aktiviteter/", views.activity_list, name="activities"),
    path("aktiviteter/<int:activity_id>/", views.activity_detail, name="activity"),
    # Any character, newlines too: an address with an encoded newline (%0A) must also get
    # the API's JSON 404, not the site's HTML page.
    re_path(r"^(?P<rest>[\s\S]*)$", views.unknown, name="unknown"),
]
