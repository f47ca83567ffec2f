"""People, organisations and places of the city data set: plausible Shanghai content.

Everything here is drawn from a ``random.Random`` passed in, so a seed gives the same city.
"""

from accounts.models import District
from accounts.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

# Resident population by district, 10,000s (7th national census, 2020): where people live
# and, roughly, where firms are, so 浦东新区 and 闵行区 get the most organisations.
DISTRICT_WEIGHTS = {
    District.PUDONG: 568,
    District.MINHANG: 265,
    District.BAOSHAN: 223,
    District.SONGJIANG: 191,
    District.JIADING: 183,
    District.QINGPU: 127,
    District.PUTUO: 124,
    District.YANGPU: 124,
    District.FENGXIAN: 114,
    District.XUHUI: 111,
    District.JINGAN: 98,
    District.JINSHAN: 82,
    District.HONGKOU: 76,
    District.CHANGNING: 69,
    District.HUANGPU: 66,
    District.CHONGMING: 64,
}

DISTRICT_NAMES = {
    District.PUDONG: ("浦东新区", ["张江", "金桥", "外高桥", "川沙", "周浦", "惠南"]),
    District.MINHANG: ("闵行区", ["莘庄", "七宝", "梅陇", "颛桥", "吴泾"]),
    District.BAOSHAN: ("宝山区", ["大场", "顾村", "罗店", "杨行", "月浦"]),
    District.SONGJIANG: ("松江区", ["九亭", "泗泾", "洞泾", "车墩", "佘山"]),
    District.JIADING: ("嘉定区", ["南翔", "安亭", "马陆", "江桥", "外冈"]),
    District.QINGPU: ("青浦区", ["朱家角", "赵巷", "华新", "白鹤", "徐泾"]),
    District.PUTUO: ("普陀区", ["真如", "长征", "桃浦", "万里"]),
    District.YANGPU: ("杨浦区", ["五角场", "新江湾", "控江", "平凉"]),
    District.FENGXIAN: ("奉贤区", ["南桥", "奉城", "庄行", "柘林"]),
    District.XUHUI: ("徐汇区", ["漕河泾", "田林", "龙华", "华泾"]),
    District.JINGAN: ("静安区", ["彭浦", "大宁", "临汾", "江宁"]),
    District.JINSHAN: ("金山区", ["朱泾", "枫泾", "亭林", "张堰"]),
    District.HONGKOU: ("虹口区", ["江湾", "曲阳", "四川北路", "嘉兴路"]),
    District.CHANGNING: ("长宁区", ["虹桥", "新泾", "天山", "周家桥"]),
    District.HUANGPU: ("黄浦区", ["外滩", "打浦桥", "老西门", "五里桥"]),
    District.CHONGMING: ("崇明区", ["城桥", "堡镇", "陈家镇", "长兴"]),
}

# The most common surnames, weighted roughly by frequency, then rarer and compound ones.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
RARE_SURNAMES = [
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "亓",
    "仉",
    "佘",
    "笪",
    "郗",
    "禤",
    "逄",
    "訾",
]
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国文辉宇浩然欣怡子轩梓涵雨桐一诺佳琪"
    "思远嘉怡晨曦俊杰晓东海燕志刚春梅立新国庆永红丹丹慧琳宏伟家豪若曦昊天雅婷天佑梦瑶博文诗涵"
)
# Characters that real names use and fonts and databases sometimes get wrong: 𠮷 lies
# outside the Basic Multilingual Plane, the others are rare in most word lists.
RARE_GIVEN = [
    "堃",
    "喆",
    "昇",
    "燊",
    "淼",
    "赟",
    "犇",
    "彧",
    "玥",
    "珺",
    "祎",
    "翀",
    "昶",
    "𠮷",
    "垚",
    "鑫",
]
# Names of Uyghur, Kazakh and other citizens, written with the middle dot.
DOTTED_NAMES = [
    "阿卜杜拉·艾力",
    "古丽米热·买买提",
    "热依拉·吐尔逊",
    "努尔兰·哈力木",
    "迪丽娜尔·阿不都",
    "艾合买提·依明",
    "巴哈尔古丽·吾斯曼",
]


def person_name(rng):
    roll = rng.random()
    if roll < 0.004:
        return rng.choice(DOTTED_NAMES)
    surname = rng.choice(RARE_SURNAMES) if roll < 0.02 else rng.choice(SURNAMES)
    length = 1 if rng.random() < 0.3 else 2
    given = "".join(
        rng.choice(RARE_GIVEN) if rng.random() < 0.03 else rng.choice(GIVEN) for _ in range(length)
    )
    return surname + given


# Trade names (字号) and, per GB/T 4754 section, the words that follow them.
TRADE_NAMES = [
    "恒达",
    "永信",
    "华茂",
    "申瑞",
    "浦江",
    "汇丰",
    "金桥",
    "宏远",
    "鼎盛",
    "亚新",
    "博安",
    "中精",
    "瑞丰",
    "沪联",
    "新纪元",
    "天祥",
    "东升",
    "联合",
    "卓越",
    "锦程",
    "宝隆",
    "德辉",
    "正泰",
    "海纳",
    "明远",
    "同创",
    "兴业",
    "佳禾",
    "九州",
    "思源",
    "益民",
    "长风",
    "银河",
    "凯顺",
    "久隆",
    "信诚",
    "建峰",
    "万通",
    "星火",
    "富春",
    "和睿",
    "立达",
    "盛源",
    "华胜",
    "景泰",
    "申通",
    "智源",
    "晨光",
    "新沪",
    "嘉禾",
    "安盛",
    "弘毅",
    "金鼎",
    "尚品",
    "源创",
    "欣荣",
    "众诚",
]
INDUSTRY_WORDS = {
    "A": ["农业科技", "果蔬种植", "水产养殖"],
    "B": ["矿产资源"],
    "C": [
        "精密机械",
        "电子科技",
        "塑料制品",
        "五金制品",
        "食品",
        "服饰",
        "包装材料",
        "汽车零部件",
        "医疗器械",
        "家具",
    ],
    "D": ["燃气", "新能源", "供水设备"],
    "E": ["建设工程", "装饰工程", "机电安装"],
    "F": ["贸易", "商贸", "食品销售", "建材销售", "便利店"],
    "G": ["物流", "供应链管理", "货运代理"],
    "H": ["餐饮管理", "酒店管理", "食品配送"],
    "I": ["信息技术", "软件", "网络科技"],
    "J": ["投资咨询"],
    "K": ["物业管理", "房地产经纪"],
    "L": ["企业管理咨询", "人力资源", "会展服务", "广告"],
    "M": ["检测技术", "计量技术", "工程设计", "生物科技"],
    "N": ["环保科技", "园林绿化"],
    "O": ["家政服务", "汽车维修", "洗染服务"],
    "P": ["职业技能培训"],
    "Q": ["门诊部", "护理服务"],
    "R": ["文化传播", "体育发展"],
    "S": ["社会服务"],
    "T": ["国际交流服务"],
}
# Share of each GB/T 4754 section among the city's small firms (a plausible mix).
INDUSTRY_WEIGHTS = {
    "C": 25,
    "F": 22,
    "L": 12,
    "I": 9,
    "M": 8,
    "E": 6,
    "G": 5,
    "H": 4,
    "O": 3,
    "K": 2,
    "Q": 1,
    "R": 1,
    "N": 1,
    "D": 0.5,
    "P": 0.5,
    "A": 0.5,
    "J": 0.3,
    "S": 0.2,
    "B": 0.05,
    "T": 0.01,
}
SCHOOL_KINDS = ["小学", "实验小学", "中学", "初级中学", "高级中学", "实验学校"]


def enterprise_name(rng, district, industry):
    place = rng.choice(DISTRICT_NAMES[district][1]) if rng.random() < 0.15 else ""
    company = "有限公司" if rng.random() < 0.9 else "股份有限公司"
    return f"上海{place}{rng.choice(TRADE_NAMES)}{rng.choice(INDUSTRY_WORDS[industry])}{company}"


def school_name(rng, district):
    name, places = DISTRICT_NAMES[district]
    return f"上海市{name}{rng.choice(places)}{rng.choice(SCHOOL_KINDS)}"


DEPARTMENTS = {
    "micro": ["经营部", "门店", "生产组"],
    "small": ["生产部", "质量部", "销售部", "采购部", "行政部", "装配车间"],
    "medium": [
        "生产部",
        "质量部",
        "技术部",
        "销售部",
        "采购部",
        "仓储物流部",
        "人力资源部",
        "财务部",
        "机加工车间",
        "装配车间",
        "检验科",
    ],
    "large": [
        "质量管理部",
        "研发中心",
        "制造一部",
        "制造二部",
        "检测中心",
        "供应链管理部",
        "市场营销部",
        "人力资源部",
        "财务部",
        "设备动力部",
        "安全环保部",
        "总装车间",
    ],
}
TEACHING_GROUPS = [
    "语文教研组",
    "数学教研组",
    "科学教研组",
    "物理教研组",
    "化学教研组",
    "劳动技术教研组",
]


def class_name(rng):
    return f"{rng.choice('一二三四五六七八九')}年级（{rng.randint(1, 8)}）班"


# GB 11714 organisation codes: 8 characters and a check digit.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(body):
    total = sum(
        CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng, district, school=False):
    """A GB 32100 unified social credit code with a correct check character.

    91 = registered with market regulation, an enterprise; 12 = registered by the staffing
    authority, a public institution (schools). Firms founded since 2015 mostly carry an
    "MA" organisation code; older ones a numeric GB 11714 code converted with its check digit.
    """
    head = "12" if school else "91"
    if not school and rng.random() < 0.7:
        body = "MA1" + "".join(rng.choice(CREDIT_CODE_ALPHABET[:31]) for _ in range(6))
    else:
        digits = "".join(rng.choice("0123456789") for _ in range(8))
        body = digits + _org_code_check(digits)
    first17 = head + district + body
    return first17 + credit_code_check_character(first17)
