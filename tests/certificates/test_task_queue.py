"""With the database queue (production's default), certificates and their ZIPs are made by
`manage.py db_worker`, not by the request that asked for them."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate, CertificateExport, ExportStatus
from courses.models import Enrolment
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import finish, lessons_course
from tests.conftest import build_catalog


@pytest.fixture
def database_queue(settings):
    # django-tasks rebuilds its backends when the setting changes.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_a_queued_zip(client, tmp_path, database_queue):
    build_catalog()  # a transactional test starts from an empty database
    manager = make_user("zip-manager")
    organisation = make_organisation(manager=manager)
    finish(add_member(organisation, make_user(real_name="林一")).user, lessons_course(tmp_path))
    client.force_login(manager)

    response = client.post(reverse("organisation_certificates"), {})
    export = CertificateExport.objects.get()
    assert response["Location"] == reverse("certificate_export", args=[export.pk])
    assert export.status == ExportStatus.PENDING  # queued, not built by the request
    queued = DBTaskResult.objects.filter(task_path="certificates.exports.build_export")
    assert queued.count() == 1
    assert "刷新" in client.get(response["Location"]).content.decode()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    export.refresh_from_db()
    assert queued.get().status == "SUCCESSFUL"
    assert (export.status, export.total, export.done) == (ExportStatus.DONE, 1, 1)
    assert client.get(reverse("certificate_export_download", args=[export.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_completing_a_course_queues_its_certificate_for_the_worker(
    client, tmp_path, database_queue
):
    build_catalog()
    learner = make_user(real_name="周航")
    client.force_login(learner)
    enrolment = finish(learner, lessons_course(tmp_path))

    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None  # the completion itself is not held up
    assert not Certificate.objects.filter(user=learner).exists()  # no PDF in the request
    queued = DBTaskResult.objects.filter(task_path="certificates.tasks.issue_certificate")
    assert queued.count() == 1
    assert "正在生成" in client.get("/dashboard/").content.decode()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert queued.get().status == "SUCCESSFUL"
    certificate = Certificate.objects.get(user=learner, enrolment=enrolment)
    page = client.get("/dashboard/").content.decode()
    assert "正在生成" not in page and certificate.number in page
    pdf = client.get(reverse("certificate_pdf", args=[certificate.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_an_old_completion_without_a_certificate_is_not_called_in_preparation(
    client, tmp_path, catalog
):
    learner = make_user(real_name="吴桐")
    client.force_login(learner)
    enrolment = finish(learner, lessons_course(tmp_path))
    Certificate.objects.filter(enrolment=enrolment).delete()  # as if its rendering had failed
    assert "正在生成" in client.get("/dashboard/").content.decode()
    Enrolment.objects.filter(pk=enrolment.pk).update(
        completed_at=timezone.now() - timedelta(hours=2)
    )
    assert "正在生成" not in client.get("/dashboard/").content.decode()


def test_a_course_that_awards_no_certificate_promises_none(client, tmp_path, catalog):
    learner = make_user(real_name="郑好")
    client.force_login(learner)
    finish(learner, lessons_course(tmp_path, certificate=False))
    page = client.get("/dashboard/").content.decode()
    assert "正在生成" not in page and "完成课程即可获得结业证书。" in page
