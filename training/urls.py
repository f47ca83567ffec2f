from django.urls import path

from training import views

urlpatterns = [
    path("org/staff/", views.staff, name="staff_progress"),
    path("org/staff/<int:membership_id>/ledger/", views.member_ledger, name="staff_ledger"),
    path("org/staff/<int:membership_id>/cqo/", views.mark_cqo, name="staff_cqo"),
    path("org/assignments/", views.assignments, name="staff_assignments"),
    path("org/assignments/<int:assignment_id>/", views.assignment, name="staff_assignment"),
    path(
        "org/assignments/<int:assignment_id>/dates/",
        views.assignment_dates,
        name="staff_assignment_dates",
    ),
    path(
        "org/assignments/<int:assignment_id>/withdraw/",
        views.withdraw,
        name="staff_assignment_withdraw",
    ),
    path(
        "org/assignments/<int:assignment_id>/remind/",
        views.remind,
        name="staff_assignment_remind",
    ),
    path(
        "learn/assignments/<int:assignment_id>/start/",
        views.start,
        name="staff_assignment_start",
    ),
    path("dashboard/ledger/", views.my_ledger, name="my_ledger"),
]
