from django.urls import path

from . import views

app_name = "opinions"
urlpatterns = [
    path("<int:activity_id>/", views.activity, name="activity"),
    path("<int:activity_id>/rosta/", views.vote, name="vote"),
    path("<int:activity_id>/nytt/", views.add_statement, name="add"),
    path("<int:activity_id>/granska/", views.moderate, name="moderate"),
    path("<int:activity_id>/karta/", views.opinion_map, name="map"),
]
