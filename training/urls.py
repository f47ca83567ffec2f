from django.urls import path

from training import views

urlpatterns = [
    path("org/staff/", views.staff, name="staff_progress"),
    path("org/staff/<int:membership_id>/ledger/", views.member_ledger, name="staff_ledger"),
    path("org/staff/<int:membership_id>/cqo/", views.mark_cqo, name="staff_cqo"),
    path("dashboard/ledger/", views.my_ledger, name="my_ledger"),
]
