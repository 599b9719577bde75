from django.urls import path

from billing import receipts, views, views_debt

app_name = "billing"

urlpatterns = [
    path("", views.package_list, name="packages"),
    path("buy/<int:package_id>/", views.purchase, name="purchase"),
    path("finish/", views.finish, name="finish"),
    path("utang/", views_debt.debt_page, name="debt"),
    path("utang/bayar/", views_debt.debt_pay, name="debt-pay"),
    path("order/<str:token>/", views.order_status, name="order-status"),
    path("receipt/<str:token>/", receipts.receipt, name="receipt"),
    path("receipt/<str:token>/pdf/", receipts.receipt_download, name="receipt-pdf"),
    path("midtrans/notification/", views.midtrans_notification, name="midtrans-notification"),
]
