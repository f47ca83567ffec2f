from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from classrooms.models import Classroom


class ClassroomViewSet(ModelViewSet):
    """For administrators answering a school's questions; teachers work on /classes/."""

    model = Classroom
    icon = "group"
    menu_label = _("Classes")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "school", "grade_band", "grade", "school_year", "archived_at"]
    list_filter = ["grade_band", "school_year", "school__district"]
    search_fields = ["name", "school__name"]
    form_fields = ["name", "grade_band", "grade", "school_year", "joining_open"]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_classrooms():
    return ClassroomViewSet("classrooms")
