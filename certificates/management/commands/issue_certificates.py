from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef

from certificates.models import Certificate
from certificates.services import issue_for
from courses.models import Enrolment


class Command(BaseCommand):
    help = (
        "Issue the certificates that completed enrolments are owed but do not have (after a "
        "rendering failure, or when a course starts awarding certificates)."
    )

    def handle(self, *args, **options):
        owed = (
            Enrolment.objects.completed()
            .filter(course__certificate=True)
            .exclude(Exists(Certificate.objects.filter(enrolment=OuterRef("pk"))))
            .select_related("course", "user")
        )
        issued = 0
        for enrolment in owed.iterator():
            if issue_for(enrolment):
                issued += 1
        self.stdout.write(f"{issued} certificate(s) issued.")
