from django.urls import path

from courses import teacher_views, views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("learn/courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("learn/lessons/<int:lesson_id>/complete/", views.complete_lesson, name="complete_lesson"),
    path("learn/quizzes/<int:quiz_id>/start/", views.start_quiz, name="start_quiz"),
    path("learn/attempts/<int:attempt_id>/", views.attempt_view, name="attempt"),
    path("learn/attempts/<int:attempt_id>/answer/", views.save_answer, name="save_answer"),
    path("learn/attempts/<int:attempt_id>/submit/", views.submit, name="submit_attempt"),
    path("school/banks/", teacher_views.banks, name="school_banks"),
    path("school/banks/<int:bank_id>/", teacher_views.bank, name="school_bank"),
    path(
        "school/banks/<int:bank_id>/export/", teacher_views.bank_export, name="school_bank_export"
    ),
]
