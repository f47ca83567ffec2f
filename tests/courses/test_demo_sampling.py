"""The sampling course's tables and worked plan agree with GB/T 2828.1-2012 (ISO 2859-1), so a
frontline inspector who copies them into a procedure copies the standard."""

import re

from courses.package.schema import LessonUnit, load_package
from tests.conftest import CONTENT

PACKAGE = load_package(CONTENT / "inspection-sampling.yaml")
TEXT = "\n".join(u.body for u in PACKAGE.units if isinstance(u, LessonUnit))

# GB/T 2828.1-2012 table 1, general inspection levels I, II, III (rows the course may quote).
CODE_LETTERS = {
    (2, 8): "AAB",
    (9, 15): "ABC",
    (16, 25): "BCD",
    (26, 50): "CDE",
    (51, 90): "CEF",
    (91, 150): "DFG",
    (151, 280): "EGH",
    (281, 500): "FHJ",
    (501, 1200): "GJK",
    (1201, 3200): "HKL",
    (3201, 10000): "JLM",
    (10001, 35000): "KMN",
}
# Table 2-A: sample size of each code letter for single sampling, normal inspection.
SAMPLE_SIZES = dict(
    zip("ABCDEFGHJKLMN", [2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500], strict=True)
)
# Table 2-A entries for code letter J (n = 80): AQL -> (Ac, Re).
J_NORMAL = {"0.65": (1, 2), "1.0": (2, 3), "1.5": (3, 4), "2.5": (5, 6), "4.0": (7, 8)}


def code_letter(lot, level):
    for (low, high), letters in CODE_LETTERS.items():
        if low <= lot <= high:
            return letters[["I", "II", "III"].index(level)]
    raise ValueError(lot)


def test_the_code_letter_table_is_the_standards():
    rows = re.findall(r"\|\s*(\d+)～(\d+)\s*\|\s*([A-N])\s*\|\s*([A-N])\s*\|\s*([A-N])\s*\|", TEXT)
    assert len(rows) >= 5
    for low, high, *letters in rows:
        assert "".join(letters) == CODE_LETTERS[(int(low), int(high))], (low, high)


def test_the_sample_sizes_quoted_for_each_code_letter_are_the_standards():
    sentence = re.search(r"字码对应的一次抽样正常检验样本量是：([^。]+)。", TEXT)[1]
    quoted = re.findall(r"([A-N])为(\d+)", sentence)
    assert len(quoted) >= 8
    assert [(c, int(n)) for c, n in quoted if SAMPLE_SIZES[c] != int(n)] == []


def test_the_worked_plan_is_looked_up_and_judged_correctly():
    # The example: lot 1200, level II, AQL 1.0 for class B and 2.5 for class C.
    letter = code_letter(1200, "II")
    assert f"字码{letter}" in TEXT and f"样本量n为{SAMPLE_SIZES[letter]}" in TEXT
    plan = re.findall(
        r"\|\s*([BC])类\s*\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|", TEXT
    )
    assert {cls for cls, *_ in plan} == {"B", "C"}
    for cls, aql, n, ac, re_ in plan:
        assert int(n) == SAMPLE_SIZES[letter]
        assert (int(ac), int(re_)) == J_NORMAL[aql], (cls, aql)
    result = re.search(r"检验结果：B类不合格品(\d+)只，C类不合格品(\d+)只", TEXT)
    found = {"B": int(result[1]), "C": int(result[2])}
    accepted = all(found[cls] <= int(ac) for cls, _, _, ac, _ in plan)
    assert accepted and "整批接收" in TEXT
