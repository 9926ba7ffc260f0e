from django.urls import path

from delaktig.participation import views

app_name = "participation"
urlpatterns = [
    path("dialog/<int:dialogue_id>/ny-aktivitet/", views.add_activity, name="add_activity"),
]
