"""Builders for learning tests: a small course with lessons and a quiz, through the importer."""

from courses.models import CoursePage, QuizPage
from courses.package.services import import_packages
from tests.factories import package_dict, write_package

QUIZ_GIFT = """\
::q-si:: 我国法定计量单位以哪一种单位制为基础？ {=国际单位制 ~市制#市制已废止。 ~英制}

::q-kg:: 质量的国际单位制基本单位是千克。 {T#回忆七个基本单位。#正确。}

::q-tools:: 下列哪些属于质量管理七大工具？ {~%50%排列图 ~%50%控制图 ~%-100%甘特图}

::q-short:: 计量法于哪一年通过？（填写阿拉伯数字） {=1985}
"""


def quiz_course(tmp_path, slug="learn-course", *, lessons=2, gift=QUIZ_GIFT, **quiz):
    data = package_dict(slug=slug, lessons=lessons)
    unit = {
        "quiz": "final",
        "title": "结业测验",
        "pass_mark": 75,
        "shuffle": True,
        "review": "after_submit",
        "gift": gift,
    }
    unit.update(quiz)
    data["units"].append(unit)
    write_package(tmp_path, data)
    import_packages([tmp_path / f"{slug}.yaml"])
    course = CoursePage.objects.get(slug=slug)
    return course, QuizPage.objects.child_of(course).get()


RIGHT = {"q-si": 0, "q-kg": True, "q-tools": [0, 1], "q-short": "1985"}
WRONG = {"q-si": 2, "q-kg": False, "q-tools": [2], "q-short": "1990"}
