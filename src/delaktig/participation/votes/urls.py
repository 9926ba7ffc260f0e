from django.urls import path

from . import views

app_name = "votes"
urlpatterns = [
    path("<int:activity_id>/", views.activity, name="activity"),
    path("<int:activity_id>/resultat/", views.result, name="result"),
]
