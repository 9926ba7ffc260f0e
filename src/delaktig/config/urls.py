from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("django-admin/", admin.site.urls),
    path("konto/", include("delaktig.accounts.urls")),
    path("organisation/", include("delaktig.organisation.urls")),
    path("delta/", include("delaktig.participation.urls")),
    path("delta/enkat/", include("delaktig.participation.surveys.urls")),
    path("delta/ideer/", include("delaktig.participation.ideas.urls")),
    path("delta/samtal/", include("delaktig.participation.discussions.urls")),
    path("delta/moten/", include("delaktig.participation.meetings.urls")),
    path("delta/omrostning/", include("delaktig.participation.votes.urls")),
    path("delta/medborgarbudget/", include("delaktig.participation.budgets.urls")),
    path("delta/pastaenden/", include("delaktig.participation.opinions.urls")),
    path("resultat/", include("delaktig.results.urls")),
    path("aterkoppling/", include("delaktig.feedback.urls")),
    path("uppfoljning/", include("delaktig.followup.urls")),
    path("rapporter/", include("delaktig.reports.urls")),
    path("api/", include("delaktig.api.urls")),
    path("", include("delaktig.governance.urls")),
    path("", include("delaktig.core.urls")),
]
