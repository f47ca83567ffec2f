"""Small builders that go through the real course-package importer."""

import textwrap

import yaml

from courses.package.services import import_packages

LESSON_BODY = textwrap.dedent(
    """\
    ## 为什么要校准
    车间里的电子秤每天称量原料，**示值误差**超过允许范围就会造成配方偏差。

    - 每年按计划送检
    - 使用前用标准砝码核查

    > **要点：** 检定合格才能用于贸易结算。
    """
)


def package_dict(
    slug="test-course",
    *,
    title="测试用计量课程",
    lessons=3,
    audiences=None,
    subjects=None,
    body=LESSON_BODY,
    **extra,
):
    data = {
        "format": "course-package/1",
        "slug": slug,
        "title": title,
        "summary": "用于自动化测试的课程，内容取自计量入门课。",
        "language": "zh-hans",
        "audiences": audiences or ["frontline"],
        "subjects": subjects or ["metrology"],
        "grade_band": None,
        "hours": 1,
        "certificate": True,
        "units": [
            {
                "lesson": f"lesson-{n}",
                "title": f"第{n}课：电子秤的日常核查",
                "minutes": 10,
                "body": body,
            }
            for n in range(1, lessons + 1)
        ],
    }
    data.update(extra)
    return data


def write_package(directory, data, name=None):
    path = directory / (name or f"{data['slug']}.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def make_course(tmp_path, **kwargs):
    path = write_package(tmp_path, package_dict(**kwargs))
    return import_packages([path])[0]
