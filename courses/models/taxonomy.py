from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class GradeBand(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")


class TermQuerySet(models.QuerySet):
    def by_slugs(self, slugs):
        return self.filter(slug__in=slugs)


class Term(models.Model):
    """A catalog term with a stable slug (the course package vocabulary) and two labels."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=80)
    description = models.CharField(_("short description (Chinese)"), max_length=200, blank=True)
    description_en = models.CharField(_("short description (English)"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "slug"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return self.name_en if _english() else self.name

    @property
    def blurb(self):
        return self.description_en if _english() else self.description


def _english():
    return (get_language() or "").startswith("en")


class Audience(Term):
    class Meta(Term.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")


class Subject(Term):
    class Meta(Term.Meta):
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")


AUDIENCES = [
    (
        "chief-quality-officer",
        "首席质量官",
        "Chief quality officers",
        "企业质量工作的负责人与高级管理人员",
        "Senior managers who answer for quality",
    ),
    (
        "frontline",
        "一线职工",
        "Frontline workers",
        "生产、检验、服务岗位上的员工",
        "People on the line, in the lab and at the counter",
    ),
    (
        "small-enterprise",
        "小微企业",
        "Small and micro enterprises",
        "小微企业的经营者与质量管理人员",
        "Owners and quality staff of small firms",
    ),
    (
        "school",
        "中小学",
        "Schools",
        "小学、初中、高中的质量教育课程",
        "Quality education for primary and secondary pupils",
    ),
    ("public", "社会公众", "The public", "每一位消费者和市民", "Every consumer and citizen"),
]
SUBJECTS = [
    (
        "metrology",
        "计量",
        "Metrology",
        "测量单位、测量设备、检定与校准",
        "Units, instruments, verification and calibration",
    ),
    (
        "standards",
        "标准化",
        "Standardisation",
        "国家标准、行业标准、团体标准与企业标准",
        "National, sector, association and company standards",
    ),
    (
        "certification",
        "认证认可",
        "Certification and accreditation",
        "强制性认证、体系认证与认可",
        "Compulsory certification, system certification, accreditation",
    ),
    (
        "inspection",
        "检验检测",
        "Inspection and testing",
        "检验检测机构与质量检验方法",
        "Testing bodies and inspection methods",
    ),
    (
        "quality-law",
        "质量法律法规",
        "Quality law",
        "产品质量、计量、标准化与消费者权益的法律",
        "Product quality, metrology and consumer law",
    ),
    (
        "quality-management",
        "质量管理",
        "Quality management",
        "质量管理体系、方法与工具",
        "Management systems, methods and tools",
    ),
]


def seed_vocabulary(audience_model, subject_model):
    """Create the package vocabulary's terms that are missing; never overwrite an edit.

    Takes the models as arguments so the data migration can pass its historical models.
    """
    for model, rows in ((audience_model, AUDIENCES), (subject_model, SUBJECTS)):
        for order, (slug, name, name_en, description, description_en) in enumerate(rows):
            model.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "description": description,
                    "description_en": description_en,
                    "sort_order": order,
                },
            )
