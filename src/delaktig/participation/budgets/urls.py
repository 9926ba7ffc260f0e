from django.urls import path

from . import views

app_name = "budgets"
urlpatterns = [
    path("<int:activity_id>/", views.activity, name="activity"),
    path("<int:activity_id>/forslag/", views.propose, name="propose"),
    path("<int:activity_id>/resultat/", views.result, name="result"),
    path("<int:activity_id>/hantera/", views.manage, name="manage"),
    path("<int:activity_id>/pappersrost/", views.paper, name="paper"),
    path("<int:activity_id>/export.pb", views.export, name="export"),
    path("projekt/<int:project_id>/granska/", views.review, name="review"),
]
