from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("", views.package_list, name="packages"),
    path("buy/<int:package_id>/", views.purchase, name="purchase"),
    path("finish/", views.finish, name="finish"),
    path("order/<str:token>/", views.order_status, name="order-status"),
    path("midtrans/notification/", views.midtrans_notification, name="midtrans-notification"),
]
