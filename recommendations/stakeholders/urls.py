"""The stakeholder contributors' pages, in one place."""

from django.urls import path

from . import views

app_name = "stakeholders"
urlpatterns = [
    path("confirm/<str:uidb64>/<str:token>/", views.confirm, name="confirm"),
    path("mine/", views.mine, name="mine"),
]
