import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.names import MAX_LENGTH as NAME_KEY_LENGTH
from accounts.names import name_sort_key
from accounts.validators import validate_credit_code, validate_real_name


class District(models.TextChoices):
    """Shanghai's 16 districts, keyed by their GB/T 2260 administrative division codes."""

    PUDONG = "310115", _("Pudong New Area")
    HUANGPU = "310101", _("Huangpu District")
    XUHUI = "310104", _("Xuhui District")
    CHANGNING = "310105", _("Changning District")
    JINGAN = "310106", _("Jing'an District")
    PUTUO = "310107", _("Putuo District")
    HONGKOU = "310109", _("Hongkou District")
    YANGPU = "310110", _("Yangpu District")
    MINHANG = "310112", _("Minhang District")
    BAOSHAN = "310113", _("Baoshan District")
    JIADING = "310114", _("Jiading District")
    JINSHAN = "310116", _("Jinshan District")
    SONGJIANG = "310117", _("Songjiang District")
    QINGPU = "310118", _("Qingpu District")
    FENGXIAN = "310120", _("Fengxian District")
    CHONGMING = "310151", _("Chongming District")


class User(AbstractUser):
    """A person. The profile lives on the user row: every page needs it, so no extra join.

    Pupils created by their teacher have a username and no email.
    """

    real_name = models.CharField(
        _("real name"),
        max_length=40,
        validators=[validate_real_name],
        help_text=_("As it should appear on certificates."),
    )
    # The slug of a catalog audience; a plain value so accounts stays below courses (a foreign
    # key would make the user model's migration depend on Wagtail's, which depends on it).
    audience = models.SlugField(_("I am"), max_length=50, blank=True)
    district = models.CharField(_("district"), max_length=6, choices=District.choices, blank=True)
    must_change_password = models.BooleanField(
        _("must change password at next login"), default=False
    )
    # Lists of people order by this (pinyin for Chinese names); kept by save().
    name_key = models.CharField(max_length=NAME_KEY_LENGTH, blank=True, editable=False)
    # Set only when a school creates a pupil account (no e-mail, a username and a one-time
    # password). It is what lets that school reset or delete the account: see
    # MembershipQuerySet.controlled_by. Imported staff have their own e-mail and never get it.
    created_by_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("created by organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_accounts",
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"
            ),
        ]

    def __str__(self):
        return self.real_name or self.username

    def get_full_name(self):
        return self.real_name or super().get_full_name()

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        # A sign-in saves only last_login: no name changed, so no key is worked out.
        if fields is None or {"real_name", "username"} & set(fields):
            self.name_key = name_sort_key(self.real_name or self.username)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "name_key"}
        super().save(*args, **kwargs)


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    SCHOOL = "school", _("School")


class OrganisationSize(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class Industry(models.TextChoices):
    """Sections of GB/T 4754-2017, Industrial classification for national economic activities."""

    A = "A", _("Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("Mining")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, heat, gas and water supply")
    E = "E", _("Construction")
    F = "F", _("Wholesale and retail trade")
    G = "G", _("Transport, storage and post")
    H = "H", _("Accommodation and catering")
    I = "I", _("Information transmission, software and IT services")  # noqa: E741
    J = "J", _("Finance")
    K = "K", _("Real estate")
    L = "L", _("Leasing and business services")
    M = "M", _("Scientific research and technical services")
    N = "N", _("Water, environment and public facilities management")
    O = "O", _("Residential, repair and other services")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Health and social work")
    R = "R", _("Culture, sports and entertainment")
    S = "S", _("Public administration, social security and social organisations")
    T = "T", _("International organisations")


def new_invite_code():
    # 8 characters from an alphabet without look-alikes (0/O, 1/I/L): easy to read aloud.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")


VERIFYING_MEANS = _(
    "Verifying means that an administrator has checked that the organisation exists, that "
    "its unified social credit code matches the national enterprise credit register (the "
    "check digit alone proves nothing), and that the person who registered it acts for it. "
    "Only then may it import staff, create pupil accounts, reset their passwords, see answer "
    "keys and grade. Until then it may only invite people with its code."
)


class OrganisationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verification=VerificationStatus.VERIFIED)

    def pending(self):
        return self.filter(verification=VerificationStatus.PENDING)

    def enterprises(self):
        return self.filter(kind=OrganisationKind.ENTERPRISE)

    def schools(self):
        return self.filter(kind=OrganisationKind.SCHOOL)

    def managed_by(self, user):
        return self.filter(memberships__user=user, memberships__role=Role.MANAGER)


class Organisation(models.Model):
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=OrganisationKind.choices,
        default=OrganisationKind.ENTERPRISE,
    )
    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    district = models.CharField(_("district"), max_length=6, choices=District.choices)
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices, blank=True)
    size = models.CharField(_("size"), max_length=8, choices=OrganisationSize.choices, blank=True)
    invite_code = models.CharField(
        _("invitation code"), max_length=12, unique=True, default=new_invite_code
    )
    joining_open = models.BooleanField(_("accepting new members"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    verification = models.CharField(
        _("verification"),
        max_length=10,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
        # Rows written without the ORM (bulk loads) are pending too, never verified by accident.
        db_default=VerificationStatus.PENDING,
        help_text=VERIFYING_MEANS,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="organisation_credit_code_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="enterprise") | ~models.Q(credit_code=""),
                name="enterprise_has_credit_code",
            ),
            # A verified organisation says when; a pending one has no verification date.
            models.CheckConstraint(
                condition=models.Q(verification="verified", verified_at__isnull=False)
                | models.Q(verification="pending", verified_at__isnull=True, verified_by=None),
                name="organisation_verified_has_date",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_school(self):
        return self.kind == OrganisationKind.SCHOOL

    @property
    def is_verified(self):
        return self.verification == VerificationStatus.VERIFIED

    def admin_verification(self):
        if self.is_verified:
            return self.get_verification_display()
        return format_html(
            '<a href="{}">{}</a>', reverse("organisation_verify", args=[self.pk]), _("Verify…")
        )

    admin_verification.short_description = _("verification")


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    TEACHER = "teacher", _("Teacher")
    MANAGER = "manager", _("Training manager")


# The roles that look after an organisation's people: they import staff or pupils, and at a
# school they teach (a school's managers teach too).
PEOPLE_ROLES = (Role.TEACHER, Role.MANAGER)


class MembershipQuerySet(models.QuerySet):
    def teaching(self):
        """Memberships that make their holder a teacher at a school: a teacher's or a
        manager's there. Every "does this person teach" question asks this."""
        return self.filter(role__in=PEOPLE_ROLES, organisation__kind=OrganisationKind.SCHOOL)

    def of(self, organisation):
        return self.filter(organisation=organisation)

    def with_people(self):
        return self.select_related("user").order_by("user__name_key", "user__username")

    def pupils(self):
        return self.filter(role=Role.LEARNER, organisation__kind=OrganisationKind.SCHOOL)

    def controlled_by(self, school):
        """Memberships of the pupils whose accounts ``school`` may reset and delete.

        The one rule for it: the school created the account itself (``create_pupils``), the
        account has no e-mail address of its own (none on the user, none added through
        allauth) and no social login, it belongs to no other organisation, it is a learner
        at the school and it is not platform staff. Joining a class or being imported as
        staff never makes an account the school's.
        """
        from allauth.account.models import EmailAddress
        from allauth.socialaccount.models import SocialAccount

        user = models.OuterRef("user_id")
        return self.filter(
            organisation=school,
            role=Role.LEARNER,
            user__created_by_organisation=school,
            user__email="",
            user__is_staff=False,
            user__is_superuser=False,
        ).exclude(
            models.Exists(Membership.objects.filter(user_id=user).exclude(organisation=school))
            | models.Exists(EmailAddress.objects.filter(user_id=user))
            | models.Exists(SocialAccount.objects.filter(user_id=user))
        )


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.LEARNER)
    department = models.CharField(_("department"), max_length=60, blank=True)
    staff_number = models.CharField(
        _("staff or pupil number"),
        max_length=30,
        blank=True,
        help_text=_("The number the organisation uses for this person; unique within it."),
    )
    chief_quality_officer = models.BooleanField(
        _("chief quality officer (首席质量官)"),
        default=False,
        help_text=_("The person who answers for quality in this enterprise."),
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    # When the organisation's facts about the person last changed (role, department, staff
    # number, chief quality officer): what an organisation's nightly sync asks for.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_once"),
            models.UniqueConstraint(
                fields=["organisation", "staff_number"],
                condition=~models.Q(staff_number=""),
                name="membership_staff_number_unique",
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"


class ImportKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    PUPILS = "pupils", _("Pupils")


class ImportBatch(models.Model):
    """An uploaded spreadsheet waiting for confirmation; nothing is created until then."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_batches"
    )
    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    # The file parsed once (header and rows, or the problem that stopped it), so that every
    # preview and the confirmation read it instead of parsing the upload again.
    table = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.get_kind_display()})"
