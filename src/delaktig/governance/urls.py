from django.urls import path

from delaktig.governance import home, views

app_name = "governance"
urlpatterns = [
    path("", home.home, name="home"),
    path("om/", home.about, name="about"),
    path("dialoger/", views.register, name="register"),
    path("dialoger/<slug:slug>/", views.dialogue_detail, name="dialogue"),
    path("foresla/", views.propose, name="propose"),
    path("provade-uppdrag/", views.considerations_public, name="considerations_public"),
    path(
        "provade-uppdrag/provade-uppdrag.<str:fmt>",
        views.considerations_export,
        name="considerations_export",
    ),
    path("handlaggning/", views.backoffice, name="backoffice"),
    path("mina-organ/", views.my_bodies, name="my_bodies"),
    path("handlaggning/ny/", views.new_dialogue, name="new_dialogue"),
    path("handlaggning/provning-av-uppdrag/", views.considerations, name="considerations"),
    path(
        "handlaggning/provning-av-uppdrag/<int:pk>/",
        views.consideration_edit,
        name="consideration_edit",
    ),
    path("handlaggning/logg/", views.audit_log, name="audit_log"),
    path("handlaggning/dialog/<int:pk>/", views.manage, name="manage"),
    path("handlaggning/dialog/<int:pk>/lamplighet/", views.record_assessment, name="assessment"),
    path(
        "handlaggning/dialog/<int:pk>/information/",
        views.record_information_effort,
        name="information_effort",
    ),
    path("handlaggning/dialog/<int:pk>/beslut/", views.record_decision, name="decision"),
    path(
        "handlaggning/dialog/<int:pk>/beslut/<int:decision_pk>/rattelse/",
        views.correct_decision,
        name="correct_decision",
    ),
    path("handlaggning/dialog/<int:pk>/utfall/", views.record_outcome, name="outcome"),
    path("handlaggning/dialog/<int:pk>/plan/", views.update_plan, name="plan"),
    path("handlaggning/dialog/<int:pk>/dialoggrupp/", views.set_team_member, name="team"),
    path(
        "handlaggning/dialog/<int:pk>/dialoggrupp/<int:member_pk>/ta-bort/",
        views.remove_team_member,
        name="team_remove",
    ),
    path(
        "handlaggning/dialog/<int:pk>/checklista/<int:item_pk>/",
        views.set_checklist_item,
        name="checklist",
    ),
    path("handlaggning/dialog/<int:pk>/malgrupp/", views.add_target_group, name="target_group"),
    path("handlaggning/dialog/<int:pk>/forslag/", views.add_alternative, name="alternative"),
    path("handlaggning/dialog/<int:pk>/steg/", views.transition, name="transition"),
]
