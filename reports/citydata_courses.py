"""The generated courses of the city data set, written as course packages and imported.

Courses are Wagtail pages with revisions, search text and a place in the tree, so they go
through the course-package importer like any real course rather than being written as rows.
Each course has its own title and lesson titles; the lesson text and quiz questions come from
a short pool per subject, which is plausible for a benchmark and keeps this file small.
"""

import tempfile
from pathlib import Path

import yaml

from courses.package.services import import_packages

SLUG_PREFIX = "city-"

# slug, title, audiences, subjects, grade band, hours, certificate, lesson titles
# fmt: off
COURSES = [
    ("retail-scales", "零售商户计量器具使用与管理", ["small-enterprise", "public"], ["metrology"], None, 1.5, True, ["电子计价秤的强制检定", "菜场公平秤与缺斤短两投诉", "计量器具的日常核查"]),
    ("workshop-gauges", "车间量具的正确使用与日常点检", ["frontline"], ["metrology"], None, 2, True, ["游标卡尺与千分尺的读数", "量具的点检与保养", "量具失准后的产品追溯", "测量环境：温度与清洁"]),
    ("measurement-management", "企业测量管理体系与校准计划", ["chief-quality-officer"], ["metrology"], None, 3, True, ["测量管理体系的要素", "编制年度校准计划", "校准证书的确认与计量确认间隔"]),
    ("prepackaged-net-content", "定量包装商品净含量计量要求", ["small-enterprise"], ["metrology"], None, 1.5, True, ["净含量标注的规定", "允许短缺量与抽样检验", "“C”标志与计量保证能力"]),
    ("units-for-pupils", "身边的计量单位", ["school"], ["metrology"], "primary", 1, True, ["米、千克和秒从哪里来", "动手量一量：教室有多长", "家里的计量器具"]),
    ("uncertainty-intro", "测量不确定度入门", ["frontline", "chief-quality-officer"], ["metrology"], None, 2.5, True, ["误差与不确定度的区别", "A类与B类评定", "合成与扩展不确定度", "测量结果的正确表达"]),
    ("energy-metering", "能源计量与节能管理", ["small-enterprise", "chief-quality-officer"], ["metrology"], None, 2, True, ["能源计量器具的配备", "水、电、气计量数据的利用", "用能单位的计量责任"]),
    ("standard-self-declaration", "企业标准自我声明公开实务", ["small-enterprise"], ["standards"], None, 1.5, True, ["为什么要公开企业标准", "企业标准的编写要点", "在公共服务平台上声明公开"]),
    ("association-standards", "团体标准的制定与应用", ["chief-quality-officer"], ["standards"], None, 2, True, ["团体标准的定位", "制定程序与技术审查", "用团体标准提升竞争力"]),
    ("reading-product-standards", "看懂产品标准：一线职工读标准", ["frontline"], ["standards"], None, 1.5, True, ["标准编号里的信息", "技术要求与试验方法", "检验规则与判定", "作业指导书与标准的关系"]),
    ("standardisation-good-practice", "标准化良好行为企业创建", ["chief-quality-officer", "small-enterprise"], ["standards"], None, 2.5, True, ["企业标准体系的构成", "标准体系表的编制", "自我评价与确认"]),
    ("standards-in-daily-life", "生活中的标准", ["school"], ["standards"], "junior", 1, True, ["插座、螺丝和纸张尺寸", "标准让世界连起来", "我们来写一份班级标准"]),
    ("catering-standardisation", "餐饮服务标准化", ["small-enterprise", "frontline"], ["standards"], None, 1.5, True, ["后厨操作规范", "菜品标准化与出品一致", "服务流程标准化"]),
    ("internal-auditor", "质量管理体系内部审核员基础", ["chief-quality-officer", "frontline"], ["certification"], None, 3, True, ["审核的原则与类型", "编制审核计划与检查表", "现场审核与取证", "不符合项报告与跟踪验证"]),
    ("food-licence-haccp", "食品生产许可与HACCP体系", ["small-enterprise"], ["certification"], None, 2.5, True, ["食品生产许可的条件", "危害分析与关键控制点", "HACCP体系认证的流程"]),
    ("green-products", "绿色产品认证与能效标识", ["small-enterprise", "public"], ["certification"], None, 1.5, True, ["绿色产品认证的范围", "能效标识的等级", "如何识别真假认证标志"]),
    ("service-certification", "服务认证入门", ["small-enterprise"], ["certification"], None, 1.5, True, ["什么是服务认证", "服务特性与顾客体验", "申请服务认证的准备"]),
    ("certification-marks", "读懂产品上的认证标志", ["public"], ["certification"], None, 1, False, ["CCC标志", "自愿性认证标志", "查询证书真伪"]),
    ("incoming-inspection", "来料检验与抽样方案", ["frontline"], ["inspection"], None, 2, True, ["来料检验的依据", "GB/T 2828.1抽样方案", "不合格来料的处置"]),
    ("first-article-patrol", "首件检验与过程巡检", ["frontline"], ["inspection"], None, 1.5, True, ["首件检验的时机", "巡检的频次与记录", "发现异常后的处置"]),
    ("choosing-testing-bodies", "如何选择与委托检验检测机构", ["small-enterprise"], ["inspection"], None, 1.5, True, ["CMA资质与能力范围", "委托检测的合同与送样", "读懂检测报告"]),
    ("lab-quality-control", "实验室质量控制基础", ["frontline", "chief-quality-officer"], ["inspection"], None, 2.5, True, ["人员、设备与环境", "质量控制图与期间核查", "能力验证与比对", "原始记录与数据完整性"]),
    ("little-inspectors", "小小检验员：动手做检测", ["school"], ["inspection"], "primary", 1, True, ["检验员在做什么", "比一比谁的纸飞机飞得远", "记录与报告"]),
    ("food-rapid-tests", "食品安全快速检测常识", ["public"], ["inspection"], None, 1, False, ["快检能查什么", "快检结果怎么看", "发现问题向谁反映"]),
    ("liability-and-recall", "产品质量责任与召回制度", ["chief-quality-officer", "small-enterprise"], ["quality-law"], None, 2, True, ["生产者与销售者的质量义务", "缺陷产品召回的程序", "产品责任与赔偿"]),
    ("metrology-and-standards-law", "计量法与标准化法要点", ["small-enterprise"], ["quality-law"], None, 2, True, ["计量法的主要规定", "标准化法的主要规定", "常见违法情形与处罚"]),
    ("labels-and-advertising", "广告与标签合规：质量承诺不越线", ["small-enterprise"], ["quality-law"], None, 1.5, True, ["产品标识的法定内容", "广告中的质量用语", "虚假宣传的法律责任"]),
    ("consumer-rights-aftersales", "消费者权益保护法与售后服务", ["frontline", "public"], ["quality-law"], None, 1.5, False, ["消费者的九项权利", "三包与七日无理由退货", "投诉处理的沟通技巧"]),
    ("special-equipment-safety", "特种设备安全法规入门", ["chief-quality-officer", "frontline"], ["quality-law"], None, 2, True, ["哪些是特种设备", "使用登记与定期检验", "作业人员持证上岗"]),
    ("rule-of-law-for-youth", "质量法治与青少年", ["school"], ["quality-law"], "senior", 1, True, ["从一起质量案件说起", "法律如何保护消费者", "做理性的消费者"]),
    ("cqo-duties", "首席质量官履职要点", ["chief-quality-officer"], ["quality-management"], None, 3, True, ["首席质量官的职责", "质量战略与目标分解", "质量信息与决策", "质量文化建设"]),
    ("excellence-model", "卓越绩效模式导读", ["chief-quality-officer"], ["quality-management"], None, 2.5, True, ["GB/T 19580的框架", "领导、战略与顾客", "过程、测量与结果"]),
    ("lean-and-5s", "精益生产与现场5S管理", ["frontline"], ["quality-management"], None, 2, True, ["整理、整顿、清扫", "清洁与素养", "目视化管理", "识别七种浪费"]),
    ("cost-of-quality", "质量成本分析", ["chief-quality-officer", "small-enterprise"], ["quality-management"], None, 2, True, ["预防、鉴定与损失成本", "质量成本的归集", "用质量成本找改进机会"]),
    ("eight-disciplines", "质量问题分析与8D报告", ["frontline", "chief-quality-officer"], ["quality-management"], None, 2.5, True, ["组建团队与描述问题", "临时措施与根本原因", "永久措施与预防再发"]),
    ("supplier-quality", "供应商质量管理", ["small-enterprise", "chief-quality-officer"], ["quality-management"], None, 2, True, ["供应商的选择与评价", "来料质量协议", "供应商绩效与帮扶"]),
    ("small-firm-quality-uplift", "小微企业质量提升实务", ["small-enterprise"], ["quality-management"], None, 2, True, ["从顾客投诉找问题", "一页纸质量制度", "用好政府的质量服务"]),
    ("campus-quality-projects", "校园里的质量管理小课题", ["school"], ["quality-management"], "junior", 1, True, ["发现身边的质量问题", "用鱼骨图找原因", "用PDCA改进"]),
]
# fmt: on

# Per subject: paragraphs for lesson text, key points, and GIFT questions for the final quiz.
SUBJECT_TEXT = {
    "metrology": (
        [
            "计量是实现单位统一、量值准确可靠的活动。用于贸易结算、安全防护、医疗卫生、环境监测方面并列入强制检定目录的工作计量器具，必须按规定申请强制检定，未经检定或者检定不合格的不得使用。",
            "校准是在规定条件下确定测量仪器示值与对应标准量值之间关系的一组操作。校准证书给出的是示值误差和测量不确定度，是否满足使用要求，要由企业自己对照允许误差作出计量确认。",
            "量具在两次校准之间也可能失准：跌落、磕碰、磨损和温度变化都会带来偏差。每天开工前用标准件或量块做一次核查，比出了批量问题再追溯要省事得多。",
            "测量结果要连同单位和不确定度一起报告。只写一个数字而不说明它有多可靠，下游的人就无法判断产品是否真的合格。",
        ],
        [
            "强制检定的器具没有有效的检定合格标记，就不能继续用于结算。",
            "校准证书到手后要做计量确认，而不是直接归档。",
            "发现量具失准，要追溯上次核查以来用它测量过的产品。",
        ],
        [
            "::m1:: 我国法定计量单位以哪一种单位制为基础？ {=国际单位制 ~市制 ~英制}",
            "::m2:: 用于贸易结算并列入强制检定目录的电子秤，未经检定也可以先使用，年底统一送检。 {F}",
            "::m3:: 校准证书给出的主要是什么？ {=示值误差及其测量不确定度 ~产品合格结论 ~器具的使用年限}",
            "::m4:: 量具跌落后，最恰当的做法是： {=停止使用，经核查或校准确认后再用 ~外观无损就继续使用 ~等下次年度校准时再说}",
            "::m5:: 报告测量结果时，应同时给出单位和测量不确定度。 {T}",
            "::m6:: 质量的国际单位制基本单位是： {=千克 ~克 ~斤}",
        ],
    ),
    "standards": (
        [
            "标准是为了在一定范围内获得最佳秩序，经协商一致制定并由公认机构批准，共同使用和重复使用的文件。按照《标准化法》，我国标准分为国家标准、行业标准、地方标准和团体标准、企业标准。",
            "强制性国家标准必须执行，推荐性标准鼓励采用。企业一旦在产品或包装上声明执行某项推荐性标准，这项标准对它就有了约束力，产品必须符合。",
            "国家实行企业标准自我声明公开和监督制度。企业应当公开其执行的强制性标准、推荐性标准、团体标准或者企业标准的编号和名称；执行自行制定的企业标准的，还应当公开产品、服务的功能指标和产品的性能指标。",
            "标准编号中的“GB”表示强制性国家标准，“GB/T”表示推荐性国家标准，斜杠后的年份是发布年份。读标准先看范围，再看术语、技术要求、试验方法和检验规则。",
        ],
        [
            "声明执行的标准就是对顾客的承诺，产品必须符合。",
            "企业标准的技术要求不得低于强制性国家标准。",
            "标准要用到作业指导书里，才真正落到岗位上。",
        ],
        [
            "::s1:: 标准编号“GB/T”中的“T”表示： {=推荐性 ~试行 ~团体}",
            "::s2:: 强制性国家标准必须执行。 {T}",
            "::s3:: 企业自行制定的企业标准，其技术要求可以低于强制性国家标准。 {F}",
            "::s4:: 企业标准自我声明公开时，执行自行制定的企业标准的，还应公开： {=产品、服务的功能指标和产品的性能指标 ~企业的财务报表 ~员工名单}",
            "::s5:: 下列哪一类标准由学会、协会等社会团体制定？ {=团体标准 ~行业标准 ~地方标准}",
            "::s6:: 阅读一项产品标准，通常应先看： {=范围 ~附录 ~参考文献}",
        ],
    ),
    "certification": (
        [
            "认证是由认证机构证明产品、服务、管理体系符合相关技术规范或者标准的合格评定活动。认证分为强制性认证和自愿性认证，列入强制性产品认证目录的产品，必须经过认证并标注认证标志后，方可出厂、销售、进口。",
            "管理体系认证审核一般分两个阶段：第一阶段了解体系策划和准备情况，第二阶段到现场评价体系是否有效运行。获证后每年至少接受一次监督审核，证书有效期为三年。",
            "内部审核是企业自己检查体系运行的手段。审核员要依据审核准则收集客观证据，用事实说话，不审核自己的工作，发现的不符合要写清事实、依据和判断。",
            "认证证书和标志可以在国家认证认可监督管理委员会的认证认可业务信息统一查询平台上查询。证书被暂停、撤销或过期后仍然使用，属于违法行为。",
        ],
        [
            "证书覆盖的范围之外，不能使用认证标志宣传。",
            "内部审核要有客观证据，不凭印象下结论。",
            "获证后变更关键要素，要先告知认证机构。",
        ],
        [
            "::c1:: 列入强制性产品认证目录的产品，未获认证可以先出厂销售。 {F}",
            "::c2:: 管理体系认证证书的有效期一般为： {=三年 ~一年 ~长期有效}",
            "::c3:: 内部审核员审核时应依据什么作出判断？ {=客观证据 ~个人经验 ~受审部门的自我评价}",
            "::c4:: 查询认证证书真伪，可以使用： {=国家认监委的认证认可业务信息统一查询平台 ~企业自己的官网 ~产品说明书}",
            "::c5:: 审核员可以审核自己负责的工作。 {F}",
            "::c6:: 认证是由谁证明符合要求的合格评定活动？ {=认证机构 ~生产企业自己 ~消费者}",
        ],
    ),
    "inspection": (
        [
            "检验是通过观察和判断，适当时结合测量、试验所进行的符合性评价。来料检验、过程检验和最终检验环环相扣，任何一道把关松懈，不合格品都可能流到顾客手里。",
            "计数抽样检验常用GB/T 2828.1。先按批量和检验水平查样本量字码，再按接收质量限（AQL）查出样本量和接收数、拒收数。抽样要随机，不能只拿最上面的几箱。",
            "首件检验在每班开始、换模、换料或设备调整后进行，首件合格才能批量生产。巡检按规定频次抽查，发现异常要立即停线、隔离并追溯上次合格以来的产品。",
            "向社会出具具有证明作用数据、结果的检验检测机构，应当取得资质认定（CMA）。选择机构时，要确认所检项目在其资质认定的能力范围之内，报告上的样品信息要与送检样品一致。",
        ],
        [
            "抽样必须随机，样本才能代表整批。",
            "首件不合格，不得开始批量生产。",
            "不合格品要标识、隔离、评审和处置，并留下记录。",
        ],
        [
            "::i1:: 计数抽样检验常用的国家标准是： {=GB/T 2828.1 ~GB/T 19001 ~GB 7718}",
            "::i2:: 换模或换料后，应先做首件检验再批量生产。 {T}",
            "::i3:: 巡检发现过程异常，首先应该： {=停线、隔离可疑产品并追溯 ~继续生产，等下班后再处理 ~把不合格品混入合格品中}",
            "::i4:: 向社会出具具有证明作用数据的检验检测机构，应当取得： {=资质认定（CMA） ~营业执照即可 ~行业协会会员资格}",
            "::i5:: 抽样时只从最上面几箱取样也能代表整批。 {F}",
            "::i6:: 发现的不合格品应当： {=标识、隔离、评审和处置 ~直接报废不做记录 ~降价卖给顾客不告知}",
        ],
    ),
    "quality-law": (
        [
            "《产品质量法》规定，生产者应当对其生产的产品质量负责，产品不得存在危及人身、财产安全的不合理的危险；销售者应当建立并执行进货检查验收制度，验明产品合格证明和其他标识。",
            "因产品存在缺陷造成人身、缺陷产品以外的其他财产损害的，生产者应当承担赔偿责任。受害人可以向产品的生产者要求赔偿，也可以向产品的销售者要求赔偿。",
            "产品或者其包装上的标识必须真实，有产品质量检验合格证明，有中文标明的产品名称、生产厂厂名和厂址。限期使用的产品，应当在显著位置清晰地标明生产日期和安全使用期或者失效日期。",
            "《消费者权益保护法》规定经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加赔偿其受到的损失，增加赔偿的金额为消费者购买商品的价款或者接受服务的费用的三倍；增加赔偿的金额不足五百元的，为五百元。",
        ],
        [
            "产品标识必须真实，中文标明名称、厂名和厂址。",
            "销售者要执行进货检查验收制度。",
            "发现缺陷产品，要主动停止生产销售并依法召回。",
        ],
        [
            "::l1:: 因产品缺陷造成损害，受害人只能向生产者要求赔偿。 {F}",
            "::l2:: 产品标识中，下列哪一项必须用中文标明？ {=产品名称、生产厂厂名和厂址 ~企业的注册资本 ~产品的出厂价格}",
            "::l3:: 经营者有欺诈行为，增加赔偿的金额一般为商品价款的： {=三倍 ~一倍 ~十倍}",
            "::l4:: 销售者应当建立并执行进货检查验收制度。 {T}",
            "::l5:: 限期使用的产品，应当在显著位置标明： {=生产日期和安全使用期或者失效日期 ~销售人员姓名 ~仓库地址}",
            "::l6:: 欺诈行为增加赔偿的金额不足五百元的，按五百元计。 {T}",
        ],
    ),
    "quality-management": (
        [
            "PDCA循环是质量改进的基本方法：策划（Plan）确定目标和措施，实施（Do）按计划执行，检查（Check）对照目标评价结果，处置（Act）把有效的做法标准化，把遗留问题转入下一轮循环。",
            "质量成本由预防成本、鉴定成本、内部损失成本和外部损失成本组成。把钱花在预防上，往往能成倍减少返工、报废和索赔带来的损失。",
            "分析质量问题要找到根本原因，而不是停在“员工不小心”。鱼骨图从人、机、料、法、环、测六个方面列出可能原因，再用数据逐一验证。",
            "质量管理体系强调以顾客为关注焦点、领导作用、全员积极参与、过程方法、改进、循证决策和关系管理。首席质量官要把这些原则落实到目标、资源和考核之中。",
        ],
        [
            "有效的改进措施要写进标准，防止问题再发。",
            "预防的投入通常比事后返工更划算。",
            "根本原因要用数据验证，不能只凭猜测。",
        ],
        [
            "::q1:: PDCA中的“C”代表： {=检查 ~控制 ~成本}",
            "::q2:: 下列哪一项属于外部损失成本？ {=顾客退货和索赔 ~员工培训 ~来料检验}",
            "::q3:: 鱼骨图常从人、机、料、法、环、测六个方面分析原因。 {T}",
            "::q4:: 质量问题的根本原因通常就是员工不小心，无需进一步分析。 {F}",
            "::q5:: 质量管理原则中的“循证决策”是指： {=基于数据和信息的分析与评价作出决策 ~由最高管理者凭经验决定 ~按多数人意见投票决定}",
            "::q6:: 改进措施验证有效后，应当： {=纳入标准或制度，防止再发 ~仅口头传达 ~等下次出问题再说}",
        ],
    ),
}


def course_count(scale):
    """Generated courses at a scale: 38 at 1.0 (50 with the 12 demo courses), at least 2."""
    return min(len(COURSES), max(2, round(len(COURSES) * scale)))


def package(index):
    slug, title, audiences, subjects, grade_band, hours, certificate, lessons = COURSES[index]
    paragraphs, points, questions = SUBJECT_TEXT[subjects[0]]
    units = []
    for number, lesson_title in enumerate(lessons):
        # Two paragraphs and one key point per lesson, rotated so neighbours differ.
        first = paragraphs[(index + number) % len(paragraphs)]
        second = paragraphs[(index + number + 1) % len(paragraphs)]
        point = points[(index + number) % len(points)]
        units.append(
            {
                "lesson": f"lesson-{number + 1}",
                "title": lesson_title,
                "minutes": 12 + (index * 7 + number * 5) % 14,
                "body": f"## {lesson_title}\n{first}\n\n{second}\n\n> **要点：** {point}\n",
            }
        )
    units.append(
        {
            "quiz": "final",
            "title": "结业测验",
            "pass_mark": 80 if "chief-quality-officer" in audiences else 60,
            "time_limit": 20,
            "max_attempts": 3 if certificate else None,
            "gift": "\n\n".join(questions[:5] if index % 2 else questions[1:]) + "\n",
        }
    )
    if units[-1]["max_attempts"] is None:
        del units[-1]["max_attempts"]
    subject_names = "、".join(SUBJECT_NAMES[s] for s in subjects)
    return {
        "format": "course-package/1",
        "slug": SLUG_PREFIX + slug,
        "title": title,
        "summary": f"{title}：{subject_names}方面的{len(lessons)}节课和一次结业测验，"
        f"共{hours}学时。",
        "language": "zh-hans",
        "audiences": audiences,
        "subjects": subjects,
        "grade_band": grade_band,
        "hours": hours,
        "certificate": certificate,
        "units": units,
    }


SUBJECT_NAMES = {
    "metrology": "计量",
    "standards": "标准化",
    "certification": "认证认可",
    "inspection": "检验检测",
    "quality-law": "质量法律法规",
    "quality-management": "质量管理",
}


def import_generated_courses(count):
    """Write ``count`` packages to a temporary folder and import them all or nothing."""
    with tempfile.TemporaryDirectory(prefix="citydata-") as folder:
        for index in range(count):
            data = package(index)
            path = Path(folder) / f"{data['slug']}.yaml"
            path.write_text(
                yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
        return import_packages([Path(folder)])
