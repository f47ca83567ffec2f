"""The unit pages' edit form: the package is chosen by uploading its file.

The upload is validated and stored when the form is cleaned (courseware.services), and the
page's foreign key set; errors appear on the field. Revisions serialise the foreign key, so
reverting to an older revision brings its package back.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from courseware.models.packages import PackageKind
from courseware.services import store_package


class PackageUnitPageForm(WagtailAdminPageForm):
    package_file = forms.FileField(
        label=_("Package file"),
        required=False,
        help_text=_(
            "A SCORM 1.2 or 2004 package (.zip) for a SCORM unit, an H5P file (.h5p) for an "
            "H5P unit. Leave empty to keep the current package."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("package_file")
        kinds = type(self.instance).package_kinds
        if upload:
            try:
                package = store_package(upload, user=getattr(self, "for_user", None))
            except forms.ValidationError as error:
                self.add_error("package_file", error)
                return cleaned
            if package.kind not in kinds:
                self.add_error(
                    "package_file",
                    gettext("This is a %(kind)s package; this unit plays %(kinds)s.")
                    % {
                        "kind": package.get_kind_display(),
                        "kinds": " / ".join(str(label) for _value, label in _labels(kinds)),
                    },
                )
                return cleaned
            self.instance.package = package
        elif getattr(self.instance, "package_id", None) is None:
            self.add_error("package_file", gettext("Upload the unit's package file."))
        return cleaned


def _labels(kinds):
    return [(kind, PackageKind(kind).label) for kind in kinds]
