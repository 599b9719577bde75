from django.urls import path

from quota import views

app_name = "komandan"

urlpatterns = [
    path("", views.komandan_requests, name="requests"),
]
