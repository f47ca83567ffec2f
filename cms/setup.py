"""Idempotent set-up of the page tree and the publishing workflow.

Run by ``manage.py bootstrap`` on every deploy; each step creates only what is missing, so an
administrator's later edits survive.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.models import Branding, HomePage, StandardPage
from courses.models import Audience, CourseIndexPage, Subject
from courses.models.taxonomy import seed_vocabulary

EDITORS = "Content editors"
REVIEWERS = "Content reviewers"
WORKFLOW = "课程发布审核 Course review"
ABOUT_BODY = (
    "<p>质量学堂是面向全体市民的免费在线质量教育平台。平台依据《上海市人民政府关于进一步加强质量发展"
    "工作 提升本市质量竞争力的若干意见》（沪府发〔2015〕6号）中“全面推进全民质量教育”的要求建设，"
    "为小微企业免费提供计量、标准、认证、检验检测和质量法律法规培训，为企业首席质量官和一线职工"
    "提供质量培训，为中小学提供质量教育课程，并面向消费者普及质量常识。</p>"
    "<h2>怎样学习</h2><ul><li>在课程目录中按对象或主题挑选课程，免费学习。</li>"
    "<li>课程由若干课时组成，每一课时都标明预计学习时间。</li>"
    "<li>完成课程后可获得相应学时；颁发证书的课程，证书可在线核验。</li></ul>"
    "<h2>课程怎样产生</h2><p>课程内容由平台编辑撰写，经内容审核人员审核后发布；每一次修改都保留版本记录。"
    "课程引用的法律、法规和标准均注明名称、编号和年份，方便学员查阅原文。</p>"
)


@transaction.atomic
def ensure_site_tree():
    seed_vocabulary(Audience, Subject)
    root = Page.get_first_root_node() or _create_root()
    # Wagtail's own migration leaves a "Welcome" page as the site root; it makes way for ours.
    placeholder = Page.objects.filter(
        depth=2, content_type__app_label="wagtailcore", content_type__model="page"
    ).first()
    if placeholder is not None and placeholder.slug == "home":
        placeholder.slug = "welcome-replaced"
        placeholder.save(update_fields=["slug"])
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="质量学堂",
            slug="home",
            lead="人人学质量，处处讲质量",
            intro="免费的计量、标准化、认证认可、检验检测与质量法律法规课程，"
            "面向首席质量官、一线职工、小微企业、中小学生和每一位市民。",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="质量学堂",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "质量学堂"
        site.save()
    if placeholder is not None:
        placeholder.delete()
    for site in Site.objects.all():
        Branding.objects.get_or_create(site=site)
    if not CourseIndexPage.objects.exists():
        catalog = CourseIndexPage(
            title="课程",
            slug="courses",
            intro="按学习对象、主题或学段筛选课程。所有课程免费。",
        )
        home.add_child(instance=catalog)
        catalog.save_revision().publish()
    if not StandardPage.objects.filter(slug="about").exists():
        about = StandardPage(title="关于质量学堂", slug="about", body=ABOUT_BODY)
        home.add_child(instance=about)
        about.save_revision().publish()
    return home


def _create_root():
    """Wagtail's migrations create the root; a flushed database (as in tests) needs it again."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    return Page.add_root(instance=Page(title="Root", slug="root", live=True))


PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "lock_page"],
    REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
MODEL_PERMISSIONS = {
    EDITORS: [
        ("wagtailadmin", "access_admin"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ],
    REVIEWERS: [
        ("wagtailadmin", "access_admin"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("courses", "add_audience"),
        ("courses", "change_audience"),
        ("courses", "add_subject"),
        ("courses", "change_subject"),
    ],
}


@transaction.atomic
def ensure_workflow(home):
    """Editors draft, reviewers approve: every page under home goes through one review task."""
    groups = {}
    for name, codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        for codename in codenames:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
        for app_label, codename in MODEL_PERMISSIONS[name]:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.create(name="内容审核 Content review")
        task.groups.set([groups[REVIEWERS]])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow
