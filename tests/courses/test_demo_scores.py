"""The excellence-model scoring the quality-award course teaches adds up as GB/T 19580-2012's
does: every category total is the sum of its items, and the seven make 1,000 points."""

import re

from courses.package.schema import LessonUnit, load_package
from tests.conftest import CONTENT

# GB/T 19580-2012 category totals.
CATEGORIES = {
    "领导": 110,
    "战略": 90,
    "顾客与市场": 90,
    "资源": 130,
    "过程管理": 100,
    "测量、分析与改进": 80,
    "结果": 400,
}


def lesson_text(slug):
    package = load_package(CONTENT / f"{slug}.yaml")
    return "\n".join(u.body for u in package.units if isinstance(u, LessonUnit))


def test_the_item_points_add_up_to_each_category_and_to_a_thousand():
    rows = re.findall(
        r"^\s*\| ([^|]+?) \| ([^|]*\d[^|]*) \| (\d+) \|$",
        lesson_text("quality-awards-and-brands"),
        re.M,
    )
    table = {name: (items, int(total)) for name, items, total in rows if name in CATEGORIES}
    assert set(table) == set(CATEGORIES)
    for name, (items, total) in table.items():
        assert total == CATEGORIES[name], name
        assert sum(int(n) for n in re.findall(r"(\d+)(?:，|$)", items)) == total, name
    assert sum(total for _, total in table.values()) == 1000


def test_the_cqo_course_gives_the_same_category_points():
    rows = re.findall(
        r"^\s*\| ([^|]+?) \| (\d+) \| [^|]+ \|$", lesson_text("cqo-quality-strategy"), re.M
    )
    points = {name: int(n) for name, n in rows if name in CATEGORIES}
    assert points == CATEGORIES
