"""Our side of bench/peers.py's course: the course package imported into each of our set-ups,
twenty lessons of the same text as wagtail-lms's course and a ten-question quiz."""

import yaml
from peers_lms import LESSON_TEXT, LESSONS

# Ten questions of the kinds the demo courses use, the first three true/false.
QUIZ = {
    "quiz": "final",
    "title": "结业测验",
    "pass_mark": 60,
    "max_attempts": 3,
    "gift": """
::pql-in-force:: 《中华人民共和国产品质量法》自1993年9月1日起施行。 {T}

::sl-revised:: 修订后的《中华人民共和国标准化法》自2018年1月1日起施行。 {T}

::gb-t:: 代号为“GB/T”的国家标准是推荐性国家标准。 {T}

::ml-year:: 《中华人民共和国计量法》是哪一年由全国人民代表大会常务委员会通过的？ {
=1985年
~1993年
~2000年
~2017年
}

::si-base:: 国际单位制（SI）有几个基本单位？ {
=7个
~5个
~6个
~9个
}

::ccc:: 我国强制性产品认证的标志是什么？ {
=CCC
~CE
~UL
~ISO
}

::qms-standard:: 与ISO 9001:2015等同的我国质量管理体系标准是哪一项？ {
=GB/T 19001—2016
~GB/T 19000—2016
~GB/T 24001—2016
~GB/T 45001—2020
}

::pdca:: PDCA循环中的“C”指的是哪一步？ {
=检查
~计划
~实施
~处置
}

::principles:: 下列哪些属于GB/T 19000—2016所列的质量管理原则？（多选） {
~%50%以顾客为关注焦点
~%50%循证决策
~%-100%以产量为中心
}

::consumer-law:: 《中华人民共和国消费者权益保护法》于1993年通过，2013年第二次修正。 {T}
""",
}


def write_package(folder):
    units = [
        {
            "lesson": f"lesson-{number}",
            "title": f"第{number}课：质量管理体系",
            "minutes": 10,
            "body": f"## 第{number}课\n\n{LESSON_TEXT}\n",
        }
        for number in range(1, LESSONS + 1)
    ]
    package = {
        "format": "course-package/1",
        "slug": "peers-course",
        "title": "负载测试课程",
        "summary": "二十课的课程，用于与同类平台对比。",
        "language": "zh-hans",
        "audiences": ["frontline"],
        "subjects": ["metrology"],
        "grade_band": None,
        "hours": 2,
        "certificate": False,
        "units": [*units, QUIZ],
    }
    path = folder / "peers-course.yaml"
    path.write_text(yaml.safe_dump(package, allow_unicode=True, sort_keys=False), "utf-8")
    return path
