"""Fill missing zh-hans translations from the table below and mirror English.

English is the source language, but Django falls back to the default language's catalog
(zh-hans) for any message the English catalog lacks, so the English catalog carries every
message translated to itself. Run after ``makemessages``:

    .venv/bin/python scripts/po_fill_zh.py && .venv/bin/python manage.py compilemessages
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
ZH = {
    "Site": "站点",
    "lead": "导语",
    "introduction": "简介",
    "Featured courses": "推荐课程",
    "home page": "首页",
    "course": "课程",
    "body": "正文",
    "standard page": "普通页面",
    "platform name": "平台名称",
    "platform name (English)": "平台英文名称",
    "tagline": "标语",
    "issuing organisation": "发证机构",
    "Printed on certificates as the issuer.": "作为发证机构印在证书上。",
    "seal image": "印章图片",
    "footer text": "页脚文字",
    "Platform": "平台",
    "Certificates": "证书",
    "branding": "品牌设置",
    "Quality Academy": "质量学堂",
    "Courses": "课程",
    "Section heading": "节标题",
    "Sub-heading": "小标题",
    "Text": "文字",
    "Heading": "标题",
    "Image": "图片",
    "Alternative text": "替代文字",
    "What the image shows, for readers who cannot see it.": "为无法看到图片的读者说明图片内容。",
    "Caption": "图注",
    "Image with caption": "带图注的图片",
    "Video link": "视频链接",
    "A hosted video URL.": "视频网站上的视频地址。",
    "Uploaded video file": "上传的视频文件",
    "MP4 or WebM.": "MP4 或 WebM 格式。",
    "Video": "视频",
    "Give a video link or choose an uploaded file.": "请填写视频链接或选择已上传的视频文件。",
    "Document": "文档",
    "Link text": "链接文字",
    "Downloadable document": "可下载的文档",
    "Key point": "要点",
    "Table": "表格",
    "Audience": "学习对象",
    "All audiences": "全部学习对象",
    "There is no such audience; showing all audiences.": "没有这个学习对象，已显示全部学习对象的课程。",
    "Subject": "主题",
    "All subjects": "全部主题",
    "There is no such subject; showing all subjects.": "没有这个主题，已显示全部主题的课程。",
    "All grades": "全部学段",
    "Grade band": "学段",
    "There is no such grade band; showing all grades.": "没有这个学段，已显示全部学段的课程。",
    "Search courses": "搜索课程",
    "Please shorten your search to %(limit_value)d characters or fewer.": "搜索词太长了，请缩短到 %(limit_value)d 个字以内。",
    "Nothing was imported. %(error)s": "没有导入任何内容。%(error)s",
    "Primary school": "小学",
    "Junior secondary": "初中",
    "Senior secondary": "高中",
    "course catalog": "课程目录",
    "summary": "简介",
    "language": "语言",
    "grade band": "学段",
    "School courses only.": "仅用于中小学课程。",
    "training hours": "学时",
    "Training hours (学时) credited on completion.": "完成课程后记入的学时。",
    "awards a certificate": "颁发证书",
    "Catalog": "目录信息",
    "Credit": "学时与证书",
    "courses": "课程",
    "estimated minutes": "预计学习分钟数",
    "lead video": "课时视频",
    "lesson": "课时",
    "lessons": "课时",
    "slug": "标识",
    "name (Chinese)": "中文名称",
    "name (English)": "英文名称",
    "short description (Chinese)": "中文简介",
    "short description (English)": "英文简介",
    "sort order": "排序",
    "audience": "学习对象",
    "audiences": "学习对象",
    "subject": "主题",
    "subjects": "主题",
    "Page not found": "页面不存在",
    "We could not find that page": "没有找到这个页面",
    "The address may be mistyped, or the course may have been moved or withdrawn.": "网址可能输错了，或者课程已经移动或下线。",
    "Browse all courses": "浏览全部课程",
    "Go to the home page": "返回首页",
    "Skip to content": "跳到正文",
    "Main": "主导航",
    "About": "关于",
    "e.g. metrology, ISO 9001": "例如：计量、ISO 9001",
    "Search": "搜索",
    "Free quality education for everyone in the city: enterprises, schools and the public.": "面向全市企业、学校和市民的免费质量教育。",
    "Home": "首页",
    "Quality is everyone's business": "人人学质量，处处讲质量",
    "Free courses in metrology, standards, certification, inspection and testing, and quality "
    "law, for chief quality officers, frontline workers, small enterprises, schools and every "
    "citizen.": "免费的计量、标准化、认证认可、检验检测与质量法律法规课程，面向首席质量官、一线职工、"
    "小微企业、中小学生和每一位市民。",
    "Who is it for?": "为谁而设",
    "Subjects": "学习主题",
    "Newest courses": "最新课程",
    "No courses have been published yet.": "还没有发布课程。",
    "Search: %(query)s": "搜索：%(query)s",
    "Type a word such as 计量, 标准 or ISO 9001 into the search box.": "在搜索框中输入关键词，例如“计量”“标准”或“ISO 9001”。",
    "%(counter)s result for “%(query)s”": "“%(query)s”的搜索结果：%(counter)s 条",
    "Lessons": "课时",
    "Nothing found. Try a shorter word, or browse the catalog.": "没有找到结果。试试更短的关键词，或者浏览课程目录。",
    "Course catalog": "课程目录",
    "Filter courses": "筛选课程",
    "Filter": "筛选",
    "Clear filters": "清除筛选",
    "%(counter)s course": "共 %(counter)s 门课程",
    "No course matches these filters yet.": "暂时没有符合这些条件的课程。",
    "See all courses": "查看全部课程",
    "Pages": "分页",
    "Previous": "上一课时",
    "Page %(n)s of %(total)s": "第 %(n)s 页，共 %(total)s 页",
    "Next": "下一课时",
    "Previous page": "上一页",
    "Next page": "下一页",
    "Breadcrumb": "当前位置",
    "Training hours": "学时",
    "Units": "课时数",
    "Study time": "学习时间",
    "about %(minutes)s min": "约 %(minutes)s 分钟",
    "Certificate": "证书",
    "Awarded on completion": "完成后颁发",
    "No certificate": "不颁发证书",
    "Start learning": "开始学习",
    "What you will learn": "你将学到",
    "%(minutes)s min": "%(minutes)s 分钟",
    "Unit %(n)s of %(total)s": "第 %(n)s 课时，共 %(total)s 课时",
    "Watch the lesson video": "观看本课时视频",
    "Finished": "已学完",
    "Back to the course": "返回课程",
    "Units of this course": "本课程的课时",
    "Audiences": "学习对象",
    "%(hours)s training hours": "%(hours)s 学时",
}


def main():
    missing = []
    for po_path in ROOT.glob("locale/*/LC_MESSAGES/django.po"):
        po = polib.pofile(str(po_path))
        chinese = "zh_Hans" in str(po_path)
        for entry in po:
            if chinese:
                text = ZH.get(entry.msgid)
                if text is None:
                    if not entry.msgstr and not entry.msgstr_plural.get(0):
                        missing.append(entry.msgid)
                    continue
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: text}
                else:
                    entry.msgstr = text
            elif entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        if chinese:
            po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
        po.save()
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
