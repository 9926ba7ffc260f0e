from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from bench.load.floorapp.models import Row


def read(request):
    return render(request, "rows.html", {"rows": list(Row.objects.order_by("-id")[:30])})


@csrf_exempt
def write(request):
    with transaction.atomic():
        Row.objects.create(title=request.POST.get("title", ""), text=request.POST.get("text", ""))
    return HttpResponse("ok")


urlpatterns = [path("read/", read), path("write/", write)]
