"""The project's URLs with the rate-limited login view in front (as requested of accounts)."""

from django.urls import include, path

from delaktig.config.urls import urlpatterns as project
from delaktig.core import ratelimit

urlpatterns = [
    path("konto/logga-in/", ratelimit.login, name="limited-login"),
    path("", include(project)),
]
