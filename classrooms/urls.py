from django.urls import path

from classrooms import import_views, notice_views, pupil_views, report_views, views

C = "classes/<int:classroom_id>/"

urlpatterns = [
    path("classes/", views.classes, name="classes"),
    path("classes/new/", views.classroom_new, name="classroom_new"),
    path("classes/join/", pupil_views.join, name="classroom_join"),
    path("classes/join/<str:code>/", pupil_views.join, name="classroom_join_code"),
    path(
        "classes/assignments/<int:assignment_id>/start/",
        pupil_views.start,
        name="assignment_start",
    ),
    path(C, views.classroom, name="classroom"),
    path(C + "edit/", views.classroom_edit, name="classroom_edit"),
    path(C + "teachers/", views.teachers, name="classroom_teachers"),
    path(C + "joining/", views.joining, name="classroom_joining"),
    path(C + "qr.svg", views.join_qr, name="classroom_qr"),
    path(C + "projector/", views.projector, name="classroom_projector"),
    path(C + "groups/new/", views.group, name="classroom_group_new"),
    path(C + "groups/<int:group_id>/", views.group, name="classroom_group"),
    path(C + "pupils/add/", views.pupils_add, name="classroom_pupils_add"),
    path(C + "pupils/<int:user_id>/remove/", views.pupil_remove, name="classroom_pupil_remove"),
    path(C + "pupils/import/", import_views.upload, name="classroom_import_upload"),
    path(C + "pupils/import/<int:batch_id>/", import_views.preview, name="classroom_import"),
    path(C + "pupils/import/<int:batch_id>/slips.pdf", import_views.slips, name="classroom_slips"),
    path(
        C + "pupils/import/<int:batch_id>/forget/",
        import_views.forget_slips,
        name="classroom_slips_forget",
    ),
    path(C + "modules/", views.modules, name="classroom_modules"),
    path(C + "modules/<int:course_id>/assign/", views.assign, name="classroom_assign"),
    path(
        C + "assignments/<int:assignment_id>/",
        report_views.assignment,
        name="classroom_assignment",
    ),
    path(
        C + "assignments/<int:assignment_id>/dates/",
        views.assignment_dates,
        name="classroom_assignment_dates",
    ),
    path(
        C + "assignments/<int:assignment_id>/withdraw/",
        views.assignment_delete,
        name="classroom_assignment_delete",
    ),
    path(
        C + "assignments/<int:assignment_id>/responses/<int:response_id>/grade/",
        report_views.grade,
        name="classroom_grade",
    ),
    path(
        C + "assignments/<int:assignment_id>/remind/",
        notice_views.class_reminder,
        name="classroom_assignment_remind",
    ),
    path("dashboard/notifications/read/", notice_views.mark_all_read, name="notifications_read"),
    path("dashboard/calendar/", notice_views.calendar_renew, name="calendar_renew"),
    path("calendar/<str:token>.ics", notice_views.calendar_feed, name="calendar_feed"),
    path(C + "archive/", views.archive, name="classroom_archive"),
    path(C + "report/", report_views.report, name="classroom_report"),
    path(C + "report.<str:fmt>", report_views.report_export, name="classroom_report_export"),
]
