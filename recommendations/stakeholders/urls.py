"""The stakeholder contributors' pages, in one place."""

from django.urls import path

from . import views

app_name = "stakeholders"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("confirm/<str:uidb64>/<str:token>/", views.confirm, name="confirm"),
    path("mine/", views.mine, name="mine"),
    path("reports/new/", views.submit, name="submit"),
    path("reports/<int:pk>/edit/", views.edit, name="edit"),
]
