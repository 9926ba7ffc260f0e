from django.urls import path

from . import views

app_name = "ideas"
urlpatterns = [
    path("<int:activity_id>/", views.activity, name="activity"),
    path("<int:activity_id>/hantera/", views.manage, name="manage"),
    path("ide/<int:idea_id>/", views.idea_detail, name="idea"),
    path("ide/<int:idea_id>/stod/", views.support, name="support"),
    path("ide/<int:idea_id>/kommentera/", views.comment, name="comment"),
    path("ide/<int:idea_id>/moderera/", views.moderate, name="moderate"),
    path("ide/<int:idea_id>/svara/", views.answer, name="answer"),
    path("kommentar/<int:comment_id>/moderera/", views.moderate_comment, name="moderate_comment"),
]
