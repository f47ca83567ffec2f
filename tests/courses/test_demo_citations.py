"""What a reviewer checks in the demo catalog's references: policy a course quotes is cited in
its current form, and the laws it cites carry their verified dates."""

import re

import pytest

from courses.package.schema import LessonUnit, load_package, package_files
from tests.conftest import CONTENT

PACKAGES = [load_package(path) for path in package_files([CONTENT])]
FOUNDING_TEXT = "沪府发〔2015〕6号"
FOUNDING_TITLE = "《上海市人民政府关于进一步加强质量发展工作 提升本市质量竞争力的若干意见》"
# A Shanghai document: a title naming Shanghai, or a municipal government document number.
SHANGHAI_DOCUMENT = re.compile(r"《[^》]*上海[^》]*》|沪府")


def lessons(package):
    return [unit for unit in package.units if isinstance(unit, LessonUnit)]


def references(package):
    """The bullet lines under the last lesson's 参考依据 heading."""
    body = lessons(package)[-1].body
    tail = body.split("## 参考依据", 1)[1] if "## 参考依据" in body else ""
    return [line.strip()[2:] for line in tail.splitlines() if line.strip().startswith("- ")]


def years(line):
    return [int(y) for y in re.findall(r"(\d{4})\s*年|〔(\d{4})〕", line) for y in y if y]


def is_current_shanghai_document(line):
    """A Shanghai document issued or revised in 2020 or later; a draft does not count."""
    return (
        bool(SHANGHAI_DOCUMENT.search(line))
        and "草案" not in line
        and max(years(line), default=0) >= 2020
    )


def quotes_shanghai_policy(package):
    text = "\n".join(unit.body for unit in lessons(package))
    return FOUNDING_TEXT in text or any(SHANGHAI_DOCUMENT.search(r) for r in references(package))


QUOTING = [p for p in PACKAGES if quotes_shanghai_policy(p)]


def test_the_courses_that_quote_shanghai_policy_are_found():
    """The check below is not vacuous: the catalog's policy courses are among those it reads."""
    slugs = {p.slug for p in QUOTING}
    assert {"cqo-quality-strategy", "inspection-sampling", "standards-in-practice"} <= slugs
    assert len(slugs) >= 10, sorted(slugs)


@pytest.mark.parametrize("package", QUOTING, ids=lambda p: p.slug)
def test_a_course_quoting_shanghai_policy_cites_a_current_shanghai_document(package):
    refs = references(package)
    assert [r for r in refs if is_current_shanghai_document(r)], (package.slug, refs)


@pytest.mark.parametrize("package", QUOTING, ids=lambda p: p.slug)
def test_the_founding_text_is_cited_by_its_title_and_date_where_quoted(package):
    text = "\n".join(unit.body for unit in lessons(package))
    if FOUNDING_TEXT not in text:
        return
    cited = [r for r in references(package) if FOUNDING_TEXT in r]
    assert cited, package.slug
    assert all(FOUNDING_TITLE in r and "2015年3月4日" in r for r in cited), cited


# Each cited law or regulation must carry these dates wherever the references name it
# (checked against the promulgation texts; see the commit that added this table).
VERIFIED_DATES = {
    "《中华人民共和国特种设备安全法》": ["2013年6月29日", "2014年1月1日"],
    "《中华人民共和国标准化法》": ["2017年11月4日", "2018年1月1日"],
    "《中华人民共和国产品质量法》": ["1993年", "2000年、2009年、2018年"],
    "《中华人民共和国消费者权益保护法》": ["1993年", "2009年、2013年"],
    "《中华人民共和国消费者权益保护法实施条例》": ["2024年7月1日"],
    "《中华人民共和国计量法》": ["1985年", "1986年7月1日"],
    "《上海市标准化条例》": ["2019年7月25日", "2019年10月1日"],
    "《上海市消费者权益保护条例》": ["2022年7月21日", "2022年8月1日"],
}


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.slug)
def test_cited_laws_carry_their_verified_dates(package):
    wrong = [
        (name, line)
        for line in references(package)
        for name, dates in VERIFIED_DATES.items()
        if line.startswith(name) and not all(d in line for d in dates)
    ]
    assert wrong == [], package.slug


# 《特种设备安全法》 fines on users, by article (checked against the law's text).
SPECIAL_EQUIPMENT_FINES = {
    "第八十三条": "一万元以上十万元以下",
    "第八十四条": "三万元以上三十万元以下",
    "第八十六条": "一万元以上五万元以下",
}
FINE = re.compile(r"[一二三五十百]+万元以上[一二三五十百]+万元以下")
SOURCES = sorted(CONTENT.glob("*.yaml")) + sorted((CONTENT.parent / "banks").glob("*.gift"))


def test_each_special_equipment_fine_is_given_with_its_own_article():
    """A table row, a quiz key or a feedback line that names one of these articles and a fine
    gives that article's fine, in courses and banks alike."""
    checked, wrong = 0, []
    for path in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            articles = [a for a in SPECIAL_EQUIPMENT_FINES if a in line]
            if len(articles) != 1 or not FINE.search(line):
                continue
            checked += 1
            if SPECIAL_EQUIPMENT_FINES[articles[0]] not in line:
                wrong.append((path.name, line.strip()))
    assert checked >= 5 and wrong == []
