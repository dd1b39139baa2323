"""Realistic Chinese demo content for the Ningbo (宁波) credit portal.

Pure and deterministic: every function takes a ``random.Random`` and uses nothing else (no global
random state, no database, standard library only). All templates are plain tuples built once at
import time; a call only picks from them and fills ``str.format`` fields.

Penalty texts never touch the topics of spec section 9 (see portal/rules/overreach.py).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from itertools import accumulate

from portal import city
from portal.rules.categories import LICENSE_CATEGORIES, PENALTY_CATEGORIES
from portal.rules.publicity import SEVERITIES

__all__ = [
    "CITY",
    "REGIONS",
    "BRANDS",
    "INDUSTRIES",
    "SURNAMES",
    "COMPOUND_SURNAMES",
    "LICENSE_CATEGORIES",
    "PENALTY_CATEGORIES",
    "SEVERITIES",
    "COLUMNS",
    "COMMITMENT_TYPES",
    "org_name",
    "shop_name",
    "person_name",
    "license_fields",
    "penalty_fields",
    "article",
    "commitment_fields",
]

# The demo city's districts come from its city file (portal/city/), not from a list of their own.
_DEMO_CITY = city.load(city.DEFAULT_FILE)
CITY = _DEMO_CITY.city
REGIONS = tuple((d.code, d.name) for d in _DEMO_CITY.districts)
_REGION_NAMES = tuple(name for _, name in REGIONS)

_CAT_ORDER = {c: i for i, c in enumerate(PENALTY_CATEGORIES)}
COLUMNS = ("信用动态", "政策法规", "通知公告", "典型案例", "诚信宣传")
_COLUMN_SLUGS = {
    "news": "信用动态",
    "policy": "政策法规",
    "notice": "通知公告",
    "cases": "典型案例",
    "promotion": "诚信宣传",
}
COMMITMENT_TYPES = ("审批替代型", "容缺受理型", "证明事项告知承诺", "信用修复型", "行业自律型", "主动型", "其他")


def _pick(rng, seq):
    # Cheaper than rng.choice for the hot paths; same determinism.
    return seq[int(rng.random() * len(seq))]


# ---------------------------------------------------------------------------------------------
# Places

# Streets / towns (real ones) and main roads of each division.
_TOWNS = {
    "海曙区": (
        "鼓楼街道",
        "月湖街道",
        "南门街道",
        "白云街道",
        "段塘街道",
        "集士港镇",
        "高桥镇",
        "古林镇",
        "石碶街道",
        "横街镇",
    ),
    "江北区": ("中马街道", "白沙街道", "孔浦街道", "甬江街道", "庄桥街道", "洪塘街道", "慈城镇", "文教街道"),
    "北仑区": ("新碶街道", "大碶街道", "小港街道", "霞浦街道", "柴桥街道", "春晓街道", "戚家山街道", "白峰街道"),
    "镇海区": ("招宝山街道", "蛟川街道", "骆驼街道", "庄市街道", "贵驷街道", "澥浦镇", "九龙湖镇"),
    "鄞州区": (
        "首南街道",
        "钟公庙街道",
        "中河街道",
        "下应街道",
        "姜山镇",
        "五乡镇",
        "咸祥镇",
        "东钱湖镇",
        "邱隘镇",
        "云龙镇",
        "福明街道",
        "百丈街道",
    ),
    "奉化区": ("锦屏街道", "岳林街道", "江口街道", "溪口镇", "萧王庙街道", "莼湖街道", "西坞街道", "尚田街道"),
    "象山县": ("丹东街道", "丹西街道", "爵溪街道", "石浦镇", "西周镇", "贤庠镇", "定塘镇", "墙头镇"),
    "宁海县": ("跃龙街道", "桃源街道", "梅林街道", "西店镇", "长街镇", "力洋镇", "深甽镇", "桥头胡街道"),
    "余姚市": ("阳明街道", "凤山街道", "兰江街道", "梨洲街道", "泗门镇", "马渚镇", "陆埠镇", "朗霞街道", "低塘街道"),
    "慈溪市": (
        "浒山街道",
        "白沙路街道",
        "坎墩街道",
        "古塘街道",
        "宗汉街道",
        "周巷镇",
        "观海卫镇",
        "龙山镇",
        "逍林镇",
        "掌起镇",
    ),
}
_ROADS = {
    "海曙区": (
        "中山西路",
        "解放南路",
        "开明街",
        "药行街",
        "柳汀街",
        "望春路",
        "环城西路",
        "长春路",
        "镇明路",
        "气象路",
    ),
    "江北区": ("人民路", "大庆南路", "江北大道", "康庄南路", "大闸路", "环城北路", "洪塘中路", "北环西路", "湾头路"),
    "北仑区": ("新大路", "明州路", "长江路", "太河路", "黄山西路", "庐山西路", "岷山路", "松花江路", "泰山路"),
    "镇海区": ("车站路", "庄市大道", "镇骆东路", "沿江东路", "东邑北路", "胜利路", "聚兴东路", "329国道"),
    "鄞州区": (
        "天童南路",
        "鄞州大道",
        "四明中路",
        "钱湖北路",
        "福明路",
        "中山东路",
        "百丈路",
        "兴宁路",
        "首南中路",
        "江东北路",
        "日丽中路",
        "嵩江中路",
    ),
    "奉化区": ("南山路", "中山路", "大成路", "岳林东路", "长汀路", "锦屏南路", "武岭路"),
    "象山县": ("丹河路", "天安路", "象山港路", "靖南大街", "丹峰路", "金山路"),
    "宁海县": ("桃源北路", "兴宁中路", "金水路", "气象北路", "西子路", "时代大道"),
    "余姚市": ("阳明西路", "新建北路", "谭家岭东路", "舜水南路", "南雷南路", "长安路", "世南西路"),
    "慈溪市": ("三北大街", "孙塘北路", "新城大道", "峙山路", "青少年宫路", "浒崇公路", "环城北路"),
}
# Doc-number abbreviations of each division.
_REGION_ABBR = {
    "海曙区": "甬海",
    "江北区": "甬江",
    "北仑区": "甬仑",
    "镇海区": "甬镇",
    "鄞州区": "甬鄞",
    "奉化区": "甬奉",
    "象山县": "象",
    "宁海县": "宁",
    "余姚市": "余",
    "慈溪市": "慈",
}


class _Region:
    __slots__ = ("name", "full", "short", "abbr", "char", "towns", "town_short", "roads")

    def __init__(self, name):
        self.name = name
        # Districts are written under the city; county-level cities and counties stand alone.
        self.full = CITY + name if name.endswith("区") else name
        self.short = name[:-1] if len(name) > 2 and name[-1] in "区县市" else name
        self.abbr = _REGION_ABBR.get(name, "甬")
        self.char = self.abbr[-1]
        self.towns = _TOWNS.get(name) or ("城区",)
        self.town_short = tuple(_strip_town(t) for t in self.towns)
        self.roads = _ROADS.get(name) or ("中山路", "人民路", "解放路")


def _strip_town(town):
    for suffix in ("街道", "镇", "乡"):
        if town.endswith(suffix):
            return town[: -len(suffix)]
    return town


_REGION_CACHE = {name: _Region(name) for name in _REGION_NAMES}
_REGION_OBJS = tuple(_REGION_CACHE[n] for n in _REGION_NAMES)


def _region(rng, region_name):
    if region_name is None:
        return _pick(rng, _REGION_OBJS)
    reg = _REGION_CACHE.get(region_name)
    if reg is None:
        # Unknown names (e.g. a development zone) still work; not cached to stay pure.
        reg = _Region(region_name)
    return reg


def _address(rng, reg):
    return f"{reg.full}{_pick(rng, reg.roads)}{int(rng.random() * 998) + 1}号"


_PROJECT_KINDS = (
    "安置房二期工程",
    "邻里中心项目",
    "商业综合体项目",
    "住宅小区一期工程",
    "中学新建工程",
    "幼儿园新建工程",
    "标准厂房项目",
    "道路综合整治工程",
    "污水管网改造工程",
    "人才公寓项目",
    "社区卫生服务中心迁建工程",
    "农贸市场改造工程",
    "体育中心项目",
    "产业园研发楼项目",
    "老旧小区改造工程",
)


def _project(rng, reg):
    return f"{reg.full}{_pick(rng, reg.towns)}{_pick(rng, _PROJECT_KINDS)}"


_PLATE_FIRST = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def _plate(rng):
    return f"浙B{_pick(rng, _PLATE_FIRST)}{int(rng.random() * 10000):04d}"


# ---------------------------------------------------------------------------------------------
# Organisation names

_BRAND_FIRST = "恒华永鑫金宏泰盛瑞隆德信嘉兴万丰富通海天宇东汇源安新中博凯荣昌福祥和佳美联达利康明光顺正诚元民合协君启雅创睿卓越拓远锦鸿耀晟辉晨奥星蓝甬浙三亿百千科立强广方贝维亚欧舜港江宁龙腾飞益润众银久大长国泽聚盈伟精友骏振森朗铭舟申吉兆豪晶翔邦"
_BRAND_SECOND = "达联盛源泰丰利兴昌隆发安信诚通鑫宇华德祥和瑞康美佳成辉光明星海洋峰力创业邦盈润豪程宏远鸿腾飞龙凯捷锐迪威赛特尔克奇越嘉恒晟翔科伟宝茂旺森朗铭舟吉兆骏晶汇久禾实辰灿泽"
_BRAND_CURATED = (
    "恒达",
    "华联",
    "永盛",
    "鑫源",
    "金鹰",
    "宏图",
    "泰康",
    "瑞丰",
    "隆鑫",
    "德润",
    "信诚",
    "嘉禾",
    "万通",
    "丰华",
    "富达",
    "海天",
    "天宇",
    "东方",
    "汇丰",
    "安泰",
    "博威",
    "凯迪",
    "荣安",
    "昌盛",
    "福田",
    "祥和",
    "佳宝",
    "美达",
    "联创",
    "明州",
    "甬兴",
    "四明",
    "天一",
    "月湖",
    "三江",
    "东海",
)
BRANDS = tuple(
    dict.fromkeys(
        _BRAND_CURATED
        + tuple(a + b for a in dict.fromkeys(_BRAND_FIRST) for b in dict.fromkeys(_BRAND_SECOND) if a != b)
    )
)

INDUSTRIES = (
    "建筑工程",
    "建设工程",
    "装饰工程",
    "市政工程",
    "食品",
    "餐饮管理",
    "电子科技",
    "物流",
    "机械制造",
    "贸易",
    "国际贸易",
    "进出口",
    "房地产开发",
    "环保科技",
    "医药",
    "服装",
    "服饰",
    "汽车销售",
    "汽车服务",
    "网络科技",
    "信息技术",
    "化工",
    "新材料科技",
    "塑料制品",
    "模具",
    "电器",
    "五金制品",
    "轴承",
    "紧固件",
    "汽车零部件",
    "家居用品",
    "厨具",
    "文具",
    "针织",
    "纺织",
    "包装材料",
    "印刷",
    "船务",
    "海运",
    "国际货运代理",
    "港口服务",
    "水产",
    "农业开发",
    "生物科技",
    "医疗器械",
    "智能科技",
    "光电科技",
    "新能源科技",
    "电力工程",
    "机电设备",
    "自动化设备",
    "仪器仪表",
    "液压",
    "阀门",
    "灯饰",
    "家电",
    "工艺品",
    "文化传媒",
    "广告",
    "教育科技",
    "旅游开发",
    "酒店管理",
    "商贸",
    "实业",
    "供应链管理",
    "人力资源",
    "劳务",
    "园林绿化",
    "建材",
    "钢结构",
    "石化",
    "金属材料",
    "精密机械",
    "电机",
    "照明电器",
    "水暖器材",
    "日用品",
    "电子商务",
    "软件",
    "数据科技",
    "健康科技",
    "食品科技",
    "机械设备",
    "电缆",
    "化纤",
    "工程机械",
    "仓储",
    "冷链物流",
    "农产品",
    "茶业",
    "家具",
    "卫浴",
    "玩具",
    "体育用品",
    "检测技术",
    "企业管理咨询",
)
_FACTORY_GOODS = (
    "五金",
    "塑料制品",
    "电器",
    "模具",
    "服装",
    "针织",
    "包装",
    "轴承",
    "紧固件",
    "木制品",
    "灯具",
    "橡胶制品",
    "机械配件",
    "不锈钢制品",
    "电子元件",
    "纸制品",
    "日用品",
    "线缆",
    "滤清器",
)
_COOP_GOODS = (
    "果蔬",
    "水稻",
    "茶叶",
    "杨梅",
    "柑橘",
    "红美人柑橘",
    "葡萄",
    "草莓",
    "竹笋",
    "蔬菜",
    "水产养殖",
    "畜禽养殖",
    "花卉苗木",
    "食用菌",
    "农机",
    "蜜梨",
    "榨菜",
    "雪菜",
    "水蜜桃",
    "白枇杷",
    "粮油",
    "西瓜",
)


def org_name(rng: random.Random, region_name: str) -> str:
    """A registered organisation name such as 宁波市鄞州区恒达建筑工程有限公司."""
    reg = _region(rng, region_name)
    brand = _pick(rng, BRANDS)
    ind = _pick(rng, INDUSTRIES)
    r = rng.random()
    if r < 0.40:
        return f"宁波{brand}{ind}有限公司"
    if r < 0.60:
        return f"{reg.full}{brand}{ind}有限公司"
    if r < 0.66:
        return f"宁波{brand}{ind}股份有限公司"
    if r < 0.71:
        return f"宁波市{brand}{ind}有限责任公司"
    if r < 0.75:
        return f"浙江{brand}{ind}有限公司"
    if r < 0.79:
        # 宁波市鄞州恒达… for districts; counties and county-level cities use their own name.
        lead = f"宁波市{reg.short}" if reg.name.endswith("区") else reg.full
        return f"{lead}{brand}{ind}有限公司"
    if r < 0.85:
        return f"宁波{brand}{ind}有限公司{reg.short}分公司"
    if r < 0.88:
        if r < 0.865:
            return f"宁波{brand}（集团）有限公司"
        return f"宁波{brand}{ind}集团有限公司"
    if r < 0.94:
        return f"{reg.full}{brand}{_pick(rng, _FACTORY_GOODS)}厂"
    town = _pick(rng, reg.town_short)
    return (
        f"{reg.full}{town}{brand}{_pick(rng, _COOP_GOODS)}专业合作社"
        if r < 0.96
        else f"{reg.full}{town}{brand}{_pick(rng, _COOP_GOODS)}农民专业合作社"
    )


# ---------------------------------------------------------------------------------------------
# Person names

# Approximate shares per thousand (national census order, with some Ningbo-typical names).
_SURNAME_WEIGHTS = (
    ("王", 71),
    ("李", 70),
    ("张", 65),
    ("刘", 54),
    ("陈", 60),
    ("杨", 31),
    ("黄", 21),
    ("赵", 20),
    ("吴", 22),
    ("周", 21),
    ("徐", 18),
    ("孙", 14),
    ("马", 13),
    ("朱", 14),
    ("胡", 15),
    ("郭", 12),
    ("何", 12),
    ("林", 13),
    ("高", 11),
    ("罗", 10),
    ("郑", 11),
    ("梁", 9),
    ("谢", 8),
    ("宋", 7),
    ("唐", 7),
    ("许", 8),
    ("韩", 7),
    ("冯", 6),
    ("邓", 6),
    ("曹", 6),
    ("彭", 6),
    ("曾", 6),
    ("肖", 6),
    ("田", 5),
    ("董", 5),
    ("袁", 5),
    ("潘", 5),
    ("于", 5),
    ("蒋", 5),
    ("蔡", 5),
    ("余", 5),
    ("杜", 5),
    ("叶", 6),
    ("程", 4),
    ("苏", 4),
    ("魏", 4),
    ("吕", 4),
    ("丁", 4),
    ("任", 4),
    ("沈", 5),
    ("姚", 4),
    ("卢", 4),
    ("姜", 3),
    ("崔", 3),
    ("钟", 3),
    ("谭", 3),
    ("陆", 4),
    ("汪", 3),
    ("范", 3),
    ("金", 4),
    ("石", 3),
    ("廖", 3),
    ("贾", 3),
    ("夏", 3),
    ("韦", 2),
    ("付", 3),
    ("方", 4),
    ("白", 2),
    ("邹", 2),
    ("孟", 2),
    ("熊", 2),
    ("秦", 2),
    ("邱", 2),
    ("江", 2),
    ("尹", 2),
    ("薛", 2),
    ("闫", 2),
    ("段", 2),
    ("雷", 2),
    ("侯", 2),
    ("龙", 2),
    ("史", 2),
    ("陶", 2),
    ("黎", 2),
    ("贺", 2),
    ("顾", 2),
    ("毛", 3),
    ("郝", 2),
    ("龚", 2),
    ("邵", 3),
    ("万", 2),
    ("钱", 2),
    ("严", 2),
    ("戴", 2),
    ("孔", 2),
    ("汤", 2),
    ("应", 3),
    ("邬", 2),
    ("竺", 1),
    ("俞", 3),
    ("虞", 2),
    ("励", 1),
    ("鲍", 2),
    ("童", 2),
    ("舒", 1),
    ("岑", 1),
    ("柴", 1),
    ("包", 1),
    ("翁", 1),
    ("屠", 1),
)
SURNAMES = tuple(s for s, _ in _SURNAME_WEIGHTS)
_SURNAME_CUM = tuple(accumulate(w for _, w in _SURNAME_WEIGHTS))
_SURNAME_TOTAL = _SURNAME_CUM[-1]
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
_COMPOUND_SHARE = 0.004

_GIVEN_MALE = "伟强军勇杰涛斌明超刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林磊峰建国文志海东永晨阳昊天睿博轩泽宏成康锋亮兵彬诚毅振坤荣庆祥德新忠胜立群航"
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧莉萍红琳洁颖倩佳琴云莹晶蓉梅兰英玉秀凤丹薇妍怡悦欣雨思梦诗涵彤璐瑶蕾月琪露"
_GIVEN_NEUTRAL = "子一文嘉安晓佳思雨梓家宇俊晨亦可心乐"


def person_name(rng: random.Random) -> str:
    """A realistic Chinese personal name, surname weighted by frequency."""
    if rng.random() < _COMPOUND_SHARE:
        surname = _pick(rng, COMPOUND_SURNAMES)
    else:
        surname = SURNAMES[bisect_right(_SURNAME_CUM, rng.random() * _SURNAME_TOTAL)]
    pool = _GIVEN_MALE if rng.random() < 0.5 else _GIVEN_FEMALE
    if rng.random() < 0.18:
        return surname + _pick(rng, pool)
    first = _pick(rng, _GIVEN_NEUTRAL) if rng.random() < 0.3 else _pick(rng, pool)
    return surname + first + _pick(rng, pool)


# ---------------------------------------------------------------------------------------------
# Individual businesses (个体工商户)

_SHOP_TYPES = (
    "小吃店",
    "五金店",
    "理发店",
    "便利店",
    "水果店",
    "面馆",
    "烟酒店",
    "服装店",
    "快餐店",
    "烧烤店",
    "美容美发店",
    "副食品店",
    "汽车修理部",
    "电动车维修店",
    "日用品商店",
    "家电维修部",
    "干洗店",
    "饺子馆",
    "早餐店",
    "奶茶店",
    "鲜花店",
    "手机店",
    "建材经营部",
    "装饰材料商行",
    "茶叶店",
    "海鲜排档",
    "土菜馆",
    "麻辣烫店",
    "小吃部",
    "超市",
    "食品店",
    "水产摊",
    "粮油店",
    "酒家",
    "饭店",
    "足浴店",
    "图文广告部",
    "眼镜店",
    "钟表修理店",
    "裁缝店",
    "床上用品店",
    "童装店",
    "鞋店",
    "汽车美容店",
    "洗车店",
    "书店",
    "母婴用品店",
    "文具店",
    "电脑经营部",
    "摄影工作室",
    "百货商店",
    "蔬菜店",
    "干货店",
    "卤味店",
    "甜品店",
)
_SHOP_WORDS = (
    "美佳",
    "佳佳",
    "好运来",
    "金太阳",
    "一品",
    "乡味",
    "兄弟",
    "鸿运",
    "顺心",
    "开心",
    "如意",
    "福满多",
    "一家人",
    "好邻居",
    "大发",
    "红红",
    "欣欣",
    "鑫鑫",
    "百味",
    "阿婆",
    "老街",
    "甬味",
    "聚福",
    "喜乐",
    "平安",
    "满意",
    "实惠",
    "放心",
    "邻家",
    "新新",
    "益民",
    "惠民",
    "万家",
    "乐购",
    "优品",
    "金牌",
    "味道",
)


def shop_name(rng: random.Random, region_name: str) -> str:
    """An individual business name such as 宁波市鄞州区首南老王小吃店 or 慈溪市美佳理发店."""
    reg = _region(rng, region_name)
    r = rng.random()
    if r < 0.30:
        owner = _surname_only(rng) + "记"
    elif r < 0.50:
        owner = "老" + _surname_only(rng)
    elif r < 0.58:
        owner = "阿" + _pick(rng, _GIVEN_MALE if r < 0.54 else _GIVEN_FEMALE)
    elif r < 0.62:
        owner = "小" + _surname_only(rng)
    elif r < 0.90:
        owner = _pick(rng, _SHOP_WORDS)
    else:
        owner = person_name(rng)[1:] or "兴旺"
    kind = _pick(rng, _SHOP_TYPES)
    r = rng.random()
    if r < 0.45:
        return f"{reg.full}{_pick(rng, reg.town_short)}{owner}{kind}"
    if r < 0.75:
        return f"{reg.full}{owner}{kind}"
    return f"{reg.name}{owner}{kind}"


def _surname_only(rng):
    return SURNAMES[bisect_right(_SURNAME_CUM, rng.random() * _SURNAME_TOTAL)]


# ---------------------------------------------------------------------------------------------
# Departments

# The city-level departments (name, abbreviation) come from the city file; here the pattern of each
# field's district-level office and whether it numbers its documents branch-style.
# key: (district-level pattern, branch-style numbering)
_DEPTS = {
    "sc": ("{full}市场监督管理局", False),
    "env": ("{city_dept}{short}分局", True),
    "build": ("{full}住房和城乡建设局", False),
    "plan": ("{city_dept}{short}分局", True),
    "traffic": ("{full}交通运输局", False),
    "health": ("{full}卫生健康局", False),
    "safety": ("{full}应急管理局", False),
    "fire": ("{full}消防救援大队", False),
    "tax": ("国家税务总局{full}税务局", False),
    "law": ("{full}综合行政执法局", False),
    "culture": ("{full}文化和广电旅游体育局", False),
    "hr": ("{full}人力资源和社会保障局", False),
    "water": ("{full}水利局", False),
    "dev": ("{full}发展和改革局", False),
}
_CITY_DEPTS = {d.code: d for d in _DEMO_CITY.departments}
CITY_DEPARTMENT_CODES = {d.name: d.uscc for d in _DEMO_CITY.departments}
_CITY_LEVEL_SHARE = 0.3


def _dept_entry(dept, reg):
    pattern, branch = _DEPTS[dept]
    name = pattern.format(full=reg.full, short=reg.short, city_dept=_CITY_DEPTS[dept].name)
    abbr = _CITY_DEPTS[dept].short
    prefix = f"{_DEMO_CITY.emblem}{abbr}{reg.char}" if branch else f"{reg.abbr}{abbr}"
    return name, prefix


_DEPT_REGION = {(d, r.name): _dept_entry(d, r) for d in _DEPTS for r in _REGION_OBJS}
_DEPT_CITY = {d: (_CITY_DEPTS[d].name, _DEMO_CITY.emblem + _CITY_DEPTS[d].short) for d in _DEPTS}


def _authority(rng, dept, reg, city_share=_CITY_LEVEL_SHARE):
    if rng.random() < city_share:
        return _DEPT_CITY[dept]
    hit = _DEPT_REGION.get((dept, reg.name))
    return hit if hit is not None else _dept_entry(dept, reg)


# ---------------------------------------------------------------------------------------------
# Administrative licences

_FOOD_SCOPES = (
    "预包装食品销售（含冷藏冷冻食品）",
    "散装食品销售（不含冷藏冷冻食品）",
    "热食类食品制售",
    "冷食类食品制售",
    "糕点类食品制售（不含裱花蛋糕）",
    "自制饮品制售（不含自酿酒）",
    "保健食品销售",
    "婴幼儿配方乳粉销售",
)
_FOOD_PROD = (
    "糕点（烘烤类糕点）",
    "饮料（果蔬汁类及其饮料）",
    "调味品（酱油）",
    "水产制品（熟干水产品）",
    "速冻食品（速冻面米制品）",
    "肉制品（酱卤肉制品）",
    "蔬菜制品（酱腌菜）",
    "酒类（黄酒）",
    "炒货食品及坚果制品",
)
_EQUIP = ("乘客电梯", "载货电梯", "叉车", "压力容器", "燃气锅炉", "桥式起重机", "门式起重机", "自动扶梯")
_POLLUTANT_KINDS = ("废气", "废水", "废气、废水", "废气、废水、固体废物")
_ENV_INDUSTRIES = (
    "塑料制品业",
    "汽车零部件及配件制造",
    "金属表面处理及热处理加工",
    "纺织服装、服饰业",
    "家具制造业",
    "印刷和记录媒介复制业",
    "电子元件制造",
    "通用设备制造业",
    "水产品加工",
)
_QUALIFICATIONS = (
    "建筑工程施工总承包三级",
    "建筑工程施工总承包二级",
    "市政公用工程施工总承包三级",
    "建筑装修装饰工程专业承包二级",
    "钢结构工程专业承包三级",
    "地基基础工程专业承包三级",
    "施工劳务不分等级",
    "环保工程专业承包三级",
)
_CHEMS = ("甲苯", "二甲苯", "乙醇", "丙酮", "乙酸乙酯", "过氧化氢溶液", "氢氧化钠", "硫酸", "盐酸", "油漆")
_CLINIC_SUBJECTS = ("内科", "外科", "口腔科", "中医科", "预防保健科", "医学检验科", "医学影像科", "妇科", "儿科")
_PUBLIC_PLACES = ("理发店", "美容店", "宾馆", "游泳场所", "沐浴场所", "足浴店", "健身房")
_CROWD_PREMISES = ("歌舞娱乐场所", "宾馆", "健身房", "室内游乐场", "餐饮场所", "商场", "培训机构", "剧本娱乐场所")
_CARGO_TYPES = (
    "道路普通货物运输",
    "货物专用运输（集装箱）",
    "大型物件运输",
    "道路危险货物运输（第3类）",
    "货物专用运输（冷藏保鲜）",
)


def _lic_business(rng, reg):
    if rng.random() < 0.6:
        return (
            "准予设立登记通知书",
            "登记",
            "营业执照",
            _pick(rng, ("企业设立登记", "准予设立登记", "个体工商户设立登记")),
        )
    what = _pick(rng, ("经营范围", "住所", "法定代表人", "注册资本", "名称", "股东", "经营者"))
    return ("准予变更登记通知书", "登记", "营业执照", f"准予变更登记：变更{what}")


def _lic_food_trade(rng, reg):
    n = 1 + int(rng.random() * 3)
    scopes = "，".join(rng.sample(_FOOD_SCOPES, n))
    kind = _pick(rng, ("新办", "新办", "延续", "变更"))
    return (
        _pick(rng, ("食品经营许可决定书", "准予行政许可决定书")),
        "普通",
        "食品经营许可证",
        f"食品经营许可（{kind}）：{scopes}",
    )


def _lic_food_prod(rng, reg):
    return ("准予行政许可决定书", "普通", "食品生产许可证", f"食品生产许可：{_pick(rng, _FOOD_PROD)}")


def _lic_equip(rng, reg):
    return ("特种设备使用登记决定", "登记", "特种设备使用登记证", f"{_pick(rng, _EQUIP)}使用登记")


def _lic_drug(rng, reg):
    if rng.random() < 0.6:
        return (
            "准予行政许可决定书",
            "普通",
            "药品经营许可证",
            "药品零售：处方药、甲类非处方药、乙类非处方药；中药饮片、中成药、化学药制剂、抗生素制剂、生化药品",
        )
    return ("准予行政许可决定书", "普通", "第三类医疗器械经营许可证", "第三类医疗器械经营（零售）")


def _lic_discharge(rng, reg):
    return (
        _pick(rng, ("排污许可证核发决定书", "准予行政许可决定书")),
        "普通",
        "排污许可证",
        f"行业类别：{_pick(rng, _ENV_INDUSTRIES)}；主要污染物类别：{_pick(rng, _POLLUTANT_KINDS)}",
    )


def _lic_eia(rng, reg):
    return (
        "建设项目环境影响报告表审批意见",
        "普通",
        "建设项目环境影响评价文件批复",
        f"同意{reg.full}{_pick(rng, _ENV_PROJECTS)}项目环境影响报告表",
    )


def _lic_construction(rng, reg):
    area = 2000 + int(rng.random() * 120000)
    return (
        _pick(rng, ("建筑工程施工许可决定书", "准予行政许可决定书")),
        "普通",
        "建筑工程施工许可证",
        f"工程名称：{_project(rng, reg)}；建筑面积{area}平方米",
    )


def _lic_presale(rng, reg):
    area = 8000 + int(rng.random() * 60000)
    return (
        "准予行政许可决定书",
        "普通",
        "商品房预售许可证",
        f"{_pick(rng, reg.town_short)}{_pick(rng, ('府', '苑', '里', '湾', '名邸', '花园'))}"
        f"{1 + int(rng.random() * 20)}幢至{21 + int(rng.random() * 10)}幢，预售面积{area}平方米",
    )


def _lic_qualification(rng, reg):
    return ("建筑业企业资质审批决定", "认可", "建筑业企业资质证书", _pick(rng, _QUALIFICATIONS))


def _lic_gas(rng, reg):
    return (
        "准予行政许可决定书",
        "特许",
        "燃气经营许可证",
        _pick(rng, ("燃气经营（瓶装液化石油气供应）", "燃气经营（管道天然气供应）", "燃气经营（汽车加气站）")),
    )


def _lic_fire_check(rng, reg):
    return ("特殊建设工程消防验收意见书", "其他", "特殊建设工程消防验收意见", f"{_project(rng, reg)}消防验收合格")


def _lic_planning(rng, reg):
    area = 3000 + int(rng.random() * 90000)
    return ("准予行政许可决定书", "普通", "建设工程规划许可证", f"{_project(rng, reg)}，总建筑面积{area}平方米")


def _lic_transport(rng, reg):
    r = rng.random()
    if r < 0.6:
        return ("道路运输经营许可决定书", "普通", "道路运输经营许可证", f"经营范围：{_pick(rng, _CARGO_TYPES)}")
    if r < 0.85:
        return ("准予行政许可决定书", "普通", "道路运输证", f"营运车辆：{_plate(rng)}")
    return ("准予行政许可决定书", "特许", "网络预约出租汽车运输证", f"车辆号牌：{_plate(rng)}")


def _lic_clinic(rng, reg):
    subjects = "；".join(rng.sample(_CLINIC_SUBJECTS, 1 + int(rng.random() * 3)))
    return ("准予行政许可决定书", "普通", "医疗机构执业许可证", f"诊疗科目：{subjects}")


def _lic_public_place(rng, reg):
    return ("准予行政许可决定书", "普通", "公共场所卫生许可证", f"许可项目：{_pick(rng, _PUBLIC_PLACES)}")


def _lic_chem(rng, reg):
    chems = "、".join(rng.sample(_CHEMS, 2 + int(rng.random() * 3)))
    return (
        "准予行政许可决定书",
        "普通",
        "危险化学品经营许可证",
        f"经营方式：{_pick(rng, ('批发（无仓储）', '批发（带储存）', '零售'))}；品种：{chems}",
    )


def _lic_fireworks(rng, reg):
    return ("准予行政许可决定书", "普通", "烟花爆竹经营（零售）许可证", "烟花爆竹零售（C级、D级）")


def _lic_crowd(rng, reg):
    area = 100 + int(rng.random() * 3000)
    return (
        "公众聚集场所投入使用、营业前消防安全检查意见书",
        "普通",
        "公众聚集场所投入使用、营业前消防安全检查合格证",
        f"{_pick(rng, _CROWD_PREMISES)}，使用面积{area}平方米",
    )


def _lic_culture(rng, reg):
    if rng.random() < 0.6:
        return ("准予行政许可决定书", "普通", "娱乐经营许可证", _pick(rng, ("歌舞娱乐场所", "游艺娱乐场所")))
    return ("准予行政许可决定书", "普通", "旅行社业务经营许可证", "国内旅游业务和入境旅游业务")


def _lic_hr(rng, reg):
    if rng.random() < 0.5:
        return ("准予行政许可决定书", "普通", "劳务派遣经营许可证", "劳务派遣经营")
    return ("准予行政许可决定书", "普通", "人力资源服务许可证", "职业中介活动；人力资源供求信息的收集和发布")


def _lic_water(rng, reg):
    volume = 1 + int(rng.random() * 80)
    return (
        "取水许可决定书",
        "普通",
        "取水许可证",
        f"取水用途：{_pick(rng, ('工业用水', '农业灌溉', '生活用水'))}；年取水量{volume}万立方米",
    )


def _lic_tax(rng, reg):
    limit = _pick(rng, ("十万元", "一百万元", "一万元"))
    return ("准予税务行政许可决定书", "普通", "增值税专用发票最高开票限额", f"增值税专用发票最高开票限额审批：{limit}")


def _lic_road_use(rng, reg):
    area = 20 + int(rng.random() * 400)
    return (
        "准予行政许可决定书",
        "其他",
        "临时占用城市道路许可",
        f"临时占用{_pick(rng, reg.roads)}人行道{area}平方米用于施工围挡",
    )


def _lic_project_approval(rng, reg):
    return ("项目核准批复", "核准", "企业投资项目核准文件", f"同意{reg.full}{_pick(rng, _ENV_PROJECTS)}项目核准")


# (builder, department, weight, share decided at city level)
_LICENSE_KINDS = (
    (_lic_business, "sc", 30, 0.1),
    (_lic_food_trade, "sc", 18, 0.1),
    (_lic_food_prod, "sc", 3, 0.5),
    (_lic_equip, "sc", 4, 0.3),
    (_lic_drug, "sc", 3, 0.5),
    (_lic_discharge, "env", 5, 0.3),
    (_lic_eia, "env", 3, 0.3),
    (_lic_construction, "build", 5, 0.3),
    (_lic_presale, "build", 2, 0.4),
    (_lic_qualification, "build", 2, 0.6),
    (_lic_gas, "build", 1, 0.7),
    (_lic_fire_check, "build", 1, 0.3),
    (_lic_planning, "plan", 2, 0.3),
    (_lic_transport, "traffic", 5, 0.4),
    (_lic_clinic, "health", 2, 0.3),
    (_lic_public_place, "health", 3, 0.1),
    (_lic_chem, "safety", 2, 0.4),
    (_lic_fireworks, "safety", 1, 0.1),
    (_lic_crowd, "fire", 2, 0.2),
    (_lic_culture, "culture", 2, 0.3),
    (_lic_hr, "hr", 1, 0.4),
    (_lic_water, "water", 1, 0.4),
    (_lic_tax, "tax", 2, 0.1),
    (_lic_road_use, "law", 1, 0.1),
    (_lic_project_approval, "dev", 1, 0.6),
)
_LICENSE_CUM = tuple(accumulate(k[2] for k in _LICENSE_KINDS))


def license_fields(rng: random.Random, region_name: str | None = None) -> dict:
    """Text fields of one administrative licence with a coherent authority and doc prefix.

    ``region_name`` (optional) keeps district-level authorities in the subject's division.
    """
    reg = _region(rng, region_name)
    build, dept, _, city_share = _LICENSE_KINDS[bisect_right(_LICENSE_CUM, rng.random() * _LICENSE_CUM[-1])]
    doc_name, category, cert, content = build(rng, reg)
    authority, prefix = _authority(rng, dept, reg, city_share)
    return {
        "行政许可决定文书名称": doc_name,
        "许可类别": category,
        "许可证书名称": cert,
        "许可内容": content,
        "authority": authority,
        "doc_prefix": prefix + "许",
    }


# ---------------------------------------------------------------------------------------------
# Administrative penalties


def _nice_amounts(lo, hi):
    """Round fines (two significant digits) between lo and hi yuan, inclusive."""
    out = []
    scale = 1
    while scale * 10 <= hi * 10:
        for m in range(10, 100):
            v = m * scale
            if lo <= v <= hi:
                out.append(v)
        scale *= 10
    return tuple(sorted(set(out))) or (lo,)


def _wan(yuan):
    """Yuan as a 万元 decimal string: 5000 -> '0.5', 3200 -> '0.32', 120000 -> '12'."""
    q, r = divmod(yuan, 10000)
    return str(q) if not r else f"{q}.{r:04d}".rstrip("0")


_SEVERITY_CUTS = (0.15, 0.80)  # 轻微 15 %, 一般 65 %, 严重 20 %
# Fraction of a template's fine / amount range used at each severity.
_BANDS = {"轻微": (0.0, 0.12), "一般": (0.0, 0.5), "严重": (0.4, 1.0)}

# Default wording of each category in 处罚内容.
_CAT_TEXT = {
    "警告": "警告",
    "通报批评": "通报批评",
    "暂扣许可证件": "暂扣《{licence}》{months}个月",
    "降低资质等级": "降低建筑业企业资质等级",
    "吊销许可证件": "吊销《{licence}》",
    "限制开展生产经营活动": "限制开展生产经营活动{months}个月",
    "责令停产停业": "责令停产停业整顿{days}日",
    "责令关闭": "责令关闭",
    "限制从业": "对直接负责的主管人员五年内禁止从事相关生产经营管理工作",
    "其他": "其他",
}

_INTROS_SUBJECT = (
    "经查，当事人",
    "经查明，当事人",
    "经调查，当事人",
    "本机关执法人员在日常监督检查中发现，当事人",
    "根据投诉举报线索，经查，当事人",
    "经立案调查，当事人",
)
_INTROS_FREE = ("经查，", "经查明，", "经调查，", "")
_TAILS = {
    "轻微": (
        "案发后，当事人积极配合调查，主动改正了违法行为，未造成危害后果。",
        "当事人系初次违法，危害后果轻微并已及时改正。",
        "当事人在检查当日即完成整改。",
    ),
    "一般": (
        "当事人对上述事实无异议。",
        "当事人已按要求完成整改。",
        "",
    ),
    "严重": (
        "经责令限期改正，当事人逾期仍未改正。",
        "当事人的违法行为持续时间长，社会危害较大。",
        "当事人在二年内曾因同类违法行为受到行政处罚。",
    ),
}

# Shared value lists for fact templates.
_L = {
    "food_trade": ("熟食", "糕点", "盒饭", "小吃", "冷冻肉制品", "预包装食品", "现制饮品", "卤味", "烧烤", "散装熟食"),
    "food_pack": (
        "酸奶",
        "面包",
        "果汁饮料",
        "速冻水饺",
        "调味酱",
        "饼干",
        "方便面",
        "火腿肠",
        "牛奶",
        "果冻",
        "糕点",
        "豆制品",
    ),
    "eatery": ("餐厅", "快餐店", "面馆", "单位食堂", "火锅店", "小吃店", "农家乐"),
    "food|indicator": (
        ("韭菜", "腐霉利"),
        ("芹菜", "毒死蜱"),
        ("豇豆", "灭蝇胺"),
        ("鸡蛋", "恩诺沙星"),
        ("草鱼", "孔雀石绿"),
        ("鲈鱼", "恩诺沙星"),
        ("油条", "铝的残留量"),
        ("馒头", "甜蜜素"),
        ("花生油", "酸价"),
        ("粉丝", "铝的残留量"),
        ("黄酒", "酒精度"),
        ("蜜饯", "二氧化硫残留量"),
    ),
    "lab": ("宁波市食品检验检测研究院", "宁波市产品食品质量检验研究院", "浙江省食品药品检验研究院"),
    "lab2": ("宁波市产品食品质量检验研究院", "浙江省产品质量安全科学研究院", "宁波市计量测试研究院"),
    "shop_goods": (
        "水果",
        "服装",
        "烟酒",
        "日用百货",
        "汽车配件",
        "五金工具",
        "茶叶",
        "海鲜",
        "化妆品",
        "家用电器",
        "鞋帽",
        "眼镜",
    ),
    "platform": ("淘宝", "抖音", "拼多多", "京东", "微信小程序", "美团"),
    "media": ("微信公众号", "短视频平台", "户外广告牌", "宣传单页", "网店页面", "电梯广告屏"),
    "ad|claim": (
        ("保健食品", "可治疗高血压、糖尿病"),
        ("空气净化器", "除甲醛率100%"),
        ("培训课程", "包过率100%、不过全额退款"),
        ("净水器", "长期饮用可预防癌症"),
        ("化妆品", "七天祛斑、永不反弹"),
        ("商品房", "距地铁站步行仅需3分钟"),
        ("理财咨询服务", "保本保息、年化收益12%"),
        ("口腔医疗服务", "无痛种植、终身保修"),
        ("减肥茶", "一个月瘦十斤、无任何副作用"),
    ),
    "absolute": ("最好", "最佳", "第一品牌", "国家级", "顶级", "全网销量第一", "最低价", "史上最强"),
    "product|pindicator": (
        ("电线电缆", "导体电阻"),
        ("移动式插座", "插套保持力"),
        ("电热水壶", "耐潮湿"),
        ("儿童服装", "绳带要求"),
        ("儿童玩具", "小零件"),
        ("安全帽", "冲击吸收性能"),
        ("水嘴", "铅析出量"),
        ("床上用品", "甲醛含量"),
        ("电动自行车", "整车质量"),
        ("羽绒服", "含绒量"),
        ("家用燃气灶具", "熄火保护装置"),
    ),
    "equip": ("电梯", "叉车", "桥式起重机", "压力容器", "燃气锅炉", "门式起重机"),
    "mark": ("凌峰", "星驰", "悦途", "蓝鲸", "雅尚", "金穗", "鹰翔", "云帆", "锐途"),
    "fake_goods": ("运动鞋", "箱包", "服装", "手表", "蓝牙耳机", "白酒", "化妆品", "汽车滤清器"),
    "unlicensed": (
        "汽车美容",
        "电动自行车销售",
        "二手手机回收",
        "服装加工",
        "餐饮",
        "健身培训",
        "五金加工",
        "家具销售",
    ),
    "wstd": (
        "污水综合排放标准（GB 8978-1996）",
        "电镀污染物排放标准（GB 21900-2008）",
        "纺织染整工业水污染物排放标准（GB 4287-2012）",
        "污水排入城镇下水道水质标准（GB/T 31962-2015）",
    ),
    "env_project": (
        "年产5000吨塑料制品",
        "汽车零部件喷涂生产线",
        "金属表面处理生产线",
        "年产20万套木制家具",
        "年产300万只注塑件",
        "年产1万吨水产品加工",
        "五金件酸洗生产线",
        "年产50万件针织服装",
    ),
    "hw": ("废矿物油", "废乳化液", "废活性炭", "漆渣", "废包装桶", "含铬污泥", "废酸液", "废有机溶剂"),
    "spot": ("东侧空地", "仓库外侧", "车间北侧", "围墙边", "污水处理站旁", "停车场一角"),
    "tons": ("0.3", "0.8", "1.2", "2.5", "3.6", "5", "8.6", "12"),
    "voc_work": ("喷漆", "涂装", "印刷", "注塑", "烘干", "调漆"),
    "water": ("河道", "雨水管网", "农田灌溉渠"),
    "night_work": ("混凝土浇筑", "桩基施工", "土方开挖", "钢筋切割"),
    "workshop": ("冲压车间", "注塑车间", "焊接车间", "成品仓库", "装配车间", "喷涂车间"),
    "hazard": (
        "生产车间安全出口被货物堵塞",
        "冲床未安装光电保护装置",
        "有限空间作业场所未设置安全警示标志",
        "粉尘涉爆车间除尘系统未按规定清理",
        "危险化学品仓库未设置通风设施",
        "配电箱未安装漏电保护装置",
        "叉车作业区域与人行通道未有效隔离",
    ),
    "chem": ("甲苯", "二甲苯", "乙醇", "丙酮", "乙酸乙酯", "过氧化氢溶液", "油漆稀释剂"),
    "special_work": ("电焊", "低压电工", "高处安装", "制冷与空调", "熔化焊接与热切割"),
    "premise": ("商场", "宾馆", "生产厂房", "仓库", "餐饮场所", "公寓", "超市", "写字楼"),
    "fire_defect": (
        "室内消火栓无水",
        "火灾自动报警系统处于故障状态",
        "部分灭火器压力不足",
        "多处应急照明灯损坏",
        "自动喷水灭火系统末端试水装置压力不足",
        "防火卷帘无法正常降落",
    ),
    "exit_issue": ("安全出口被锁闭", "常闭式防火门处于常开状态", "疏散指示标志被货物遮挡"),
    "crowd_premise": _CROWD_PREMISES,
    "subwork": ("主体结构劳务", "钢结构", "幕墙", "土石方", "消防安装", "机电安装"),
    "material": ("钢筋", "商品混凝土", "防水卷材", "保温材料", "蒸压加气混凝土砌块"),
    "truck": ("重型厢式货车", "轻型厢式货车", "重型半挂牵引车", "中型普通货车", "重型自卸货车"),
    "cargo": ("钢材", "集装箱", "建筑材料", "塑料粒子", "家电产品", "冷冻水产品", "纸箱", "砂石"),
    "check_station": ("公路超限检测站", "治超非现场执法检测点", "货运源头治超检测站"),
    "evasion": (
        "使用个人账户收取货款不入账",
        "虚列成本费用",
        "隐匿销售收入",
        "账外经营",
        "取得虚开的增值税专用发票抵扣进项税额",
    ),
    "taxkind": ("增值税", "企业所得税", "增值税及附加税费", "个人所得税（代扣代缴）"),
    "public_place": ("宾馆", "足浴店", "游泳馆", "美容店", "沐浴场所"),
    "clinic": ("诊所", "口腔门诊部", "医疗美容诊所", "中医诊所"),
    "medwork": ("诊疗", "口腔诊疗", "护理", "医疗美容"),
    "water_source": ("厂区自备井", "附近河道", "山塘水库"),
    "water_use": ("生产冷却", "混凝土搅拌", "洗砂作业", "苗木灌溉"),
}
_LOCATIONS = (
    "宁波舟山港北仑港区",
    "宁波舟山港穿山港区",
    "梅山保税港区",
    "前湾新区",
    "慈溪周巷",
    "余姚城区",
    "象山石浦",
    "宁海西店",
    "上海洋山",
    "绍兴柯桥",
    "杭州萧山",
    "舟山定海",
    "镇海化工区",
    "奉化江口",
)
# Pollutant, measured concentration (mg/L) and how many times it exceeds an assumed limit.
_POLLUTANT_LIMITS = (
    ("化学需氧量", 500),
    ("氨氮", 45),
    ("总磷", 8),
    ("总铬", 1.5),
    ("石油类", 20),
    ("悬浮物", 400),
    ("总锌", 5),
    ("总镍", 1),
)
_EXCESS = ("0.2", "0.35", "0.6", "0.8", "1.1", "1.4", "1.8", "2.4", "3.5", "5.2")
_L["pollutant|conc|times"] = tuple(
    (name, f"{limit * (1 + float(t)):.4g}", t) for name, limit in _POLLUTANT_LIMITS for t in _EXCESS
)
_L["origin|dest"] = tuple((a, b) for a in _LOCATIONS for b in _LOCATIONS if a != b)
_ENV_PROJECTS = _L["env_project"]


class _Violation:
    """One violation template; every placeholder it needs is found at import time."""

    __slots__ = (
        "dept",
        "vtype",
        "facts",
        "rule",
        "basis",
        "fine",
        "ratio",
        "fine_text",
        "gain",
        "base",
        "gain_pct",
        "lists",
        "ranges",
        "always",
        "severe",
        "texts",
        "licence",
        "warn",
        "minor",
        "serious",
        "needs_project",
        "needs_plate",
        "fine_bands",
        "ratio_bands",
        "gain_bands",
        "base_bands",
        "seize_pct",
        "seize_bands",
    )

    def __init__(
        self,
        dept,
        vtype,
        facts,
        rule,
        basis,
        fine=None,
        ratio=None,
        fine_text="罚款人民币{fine}元",
        gain=None,
        base=None,
        gain_pct=(5, 40),
        ranges=None,
        always=(),
        severe=(),
        texts=None,
        licence="",
        warn=False,
        minor=True,
        serious=True,
        seize_value=(500, 20000),
        seize_pct=None,
    ):
        self.dept, self.vtype, self.rule, self.basis = dept, vtype, rule, basis
        # facts: (intro choices, format string); a leading '*' means the fact starts a sentence itself.
        self.facts = tuple((_INTROS_FREE, f[1:]) if f.startswith("*") else (_INTROS_SUBJECT, f) for f in facts)
        self.fine, self.ratio, self.fine_text = fine, ratio, fine_text
        self.gain, self.base, self.gain_pct = gain, base, gain_pct
        self.always, self.severe = always, severe
        self.texts = {**_CAT_TEXT, **(texts or {})}
        self.licence, self.warn, self.minor, self.serious = licence, warn, minor, serious
        self.ranges = tuple((k, lo, hi - lo + 1) for k, (lo, hi) in (ranges or {}).items())
        all_text = "".join(facts) + "".join(self.texts.values())
        names = [k for k in _L if any(f"{{{part}}}" in all_text for part in k.split("|"))]
        self.lists = tuple((tuple(k.split("|")) if "|" in k else k, _L[k]) for k in names)
        self.needs_project = "{project}" in all_text
        self.needs_plate = "{plate}" in all_text
        for _, f in self.facts:
            if gain and "{gain}" not in f:
                raise ValueError(f"{vtype}: every fact must state the illegal gain")
            if ratio and "{base}" not in f:
                raise ValueError(f"{vtype}: every fact must state the amount the fine is computed from")
        self.fine_bands = {}
        if fine:
            amounts = _nice_amounts(*fine)
            lo, hi = fine
            for sev, (a, b) in _BANDS.items():
                band = tuple(v for v in amounts if lo + (hi - lo) * a <= v <= lo + (hi - lo) * b)
                self.fine_bands[sev] = band or (amounts[0] if sev != "严重" else amounts[-1],)
        self.ratio_bands = {}
        if ratio:
            n = len(ratio)
            self.ratio_bands = {"轻微": ratio[:1], "一般": ratio[: max(1, (n + 1) // 2)], "严重": ratio[n // 2 :]}
        self.gain_bands = _amount_bands(gain)
        self.base_bands = _amount_bands(base)
        # Value of confiscated goods: a share of `base` (goods value) when given, else its own range.
        self.seize_pct = seize_pct if base else None
        self.seize_bands = _amount_bands(seize_value)


def _amount_bands(rng_pair):
    if not rng_pair:
        return {}
    lo, hi = rng_pair
    out = {}
    for sev, (a, b) in _BANDS.items():
        x, y = int(lo + (hi - lo) * a), int(lo + (hi - lo) * b)
        out[sev] = (x, max(1, y - x + 1))
    return out


_FOOD_LAW = "《中华人民共和国食品安全法》"
_V = _Violation
_VIOLATIONS = (
    # --- food safety (市场监管) ---
    _V(
        "sc",
        "未取得食品经营许可从事食品经营活动",
        (
            "于{when}，在未取得食品经营许可证的情况下，在{place}从事{food_trade}经营活动，违法所得人民币{gain}元。",
            "自{since}起在{place}擅自从事{food_trade}经营，至{day}检查时仍未取得食品经营许可证，违法所得人民币{gain}元。",
        ),
        _FOOD_LAW + "第三十五条第一款",
        _FOOD_LAW + "第一百二十二条第一款",
        fine=(5000, 100000),
        gain=(300, 60000),
        severe=(("没收非法财物", 0.6),),
        seize_value=(500, 20000),
        texts={"没收非法财物": "没收用于违法经营的工具、设备等物品"},
    ),
    _V(
        "sc",
        "经营超过保质期的食品",
        (
            "在{place}经营的超市货架上陈列销售的{food_pack}共计{qty}件已超过保质期，货值金额人民币{base}元，违法所得人民币{gain}元。",
            "于{when}购进并销售{food_pack}，{day}经检查发现其中{qty}件已超过标注的保质期仍在销售，货值金额人民币{base}元，违法所得人民币{gain}元。",
        ),
        _FOOD_LAW + "第三十四条第（十）项",
        _FOOD_LAW + "第一百二十四条第一款第（五）项",
        fine=(2000, 100000),
        gain=(1, 1),
        base=(100, 20000),
        ranges={"qty": (3, 260)},
        seize_pct=(100, 100),
        always=("没收非法财物",),
        texts={"没收非法财物": "没收超过保质期的{food_pack}{qty}件"},
        severe=(("吊销许可证件", 0.1),),
        licence="食品经营许可证",
    ),
    _V(
        "sc",
        "安排未取得健康证明的人员从事接触直接入口食品的工作",
        (
            "在{place}经营餐饮服务期间，安排{n}名未取得健康证明的人员从事接触直接入口食品的工作。",
            "*{day}，执法人员检查发现当事人经营的{eatery}后厨有{n}名从业人员未取得有效健康证明即从事食品加工制作。",
        ),
        _FOOD_LAW + "第四十五条第一款",
        _FOOD_LAW + "第一百二十六条第一款第（六）项",
        fine=(5000, 50000),
        warn=True,
        ranges={"n": (1, 6)},
        severe=(("责令停产停业", 0.4), ("吊销许可证件", 0.15)),
        licence="食品经营许可证",
    ),
    _V(
        "sc",
        "餐饮具未按规定清洗消毒",
        (
            "在{place}经营的{eatery}内，餐具、饮具使用前未按规定洗净、消毒，现场检查发现已使用的餐具与消毒后的餐具混放。",
            "*{day}经检查，当事人经营的{eatery}消毒柜未正常运行，当日使用的{n}批次餐具未经消毒。",
        ),
        _FOOD_LAW + "第三十三条第一款第（五）项",
        _FOOD_LAW + "第一百二十六条第一款第（五）项",
        fine=(5000, 50000),
        warn=True,
        ranges={"n": (2, 9)},
        severe=(("责令停产停业", 0.3),),
    ),
    _V(
        "sc",
        "经营不符合食品安全标准的食品",
        (
            "销售的{food}经{lab}抽样检验，{indicator}项目不符合食品安全国家标准，检验结论为不合格。经查，该批次产品共购进{qty}千克，货值金额人民币{base}元，违法所得人民币{gain}元。",
            "于{when}在{place}销售的{food}，经{lab}检验{indicator}项目不合格，货值金额人民币{base}元，违法所得人民币{gain}元。",
        ),
        _FOOD_LAW + "第三十四条第（二）项",
        _FOOD_LAW + "第一百二十四条第一款第（一）项",
        fine=(10000, 150000),
        gain=(1, 1),
        base=(200, 30000),
        ranges={"qty": (5, 400)},
        seize_pct=(10, 60),
        always=("没收非法财物",),
        texts={"没收非法财物": "没收违法经营的{food}"},
        severe=(("吊销许可证件", 0.25), ("限制从业", 0.15)),
        licence="食品经营许可证",
        minor=False,
    ),
    # --- pricing, advertising, quality, trade (市场监管) ---
    _V(
        "sc",
        "未按规定明码标价",
        (
            "在{place}经营{shop_goods}过程中，有{n}种商品未按规定明码标价。",
            "*{day}，执法人员检查发现当事人经营场所内销售的{shop_goods}未标示价格，服务价目表未在显著位置公示。",
        ),
        "《中华人民共和国价格法》第十三条第一款",
        "《中华人民共和国价格法》第四十二条",
        fine=(500, 5000),
        warn=True,
        ranges={"n": (3, 40)},
        serious=False,
    ),
    _V(
        "sc",
        "利用虚假的或者使人误解的价格手段诱骗消费者进行交易",
        (
            "于{when}在{place}开展促销活动期间，对{shop_goods}标示的“原价”从未实际成交，以虚构原价的方式诱骗消费者购买，违法所得人民币{gain}元。",
            "通过{platform}销售{shop_goods}时，在商品页面标示虚假的划线价格，虚构优惠折扣，违法所得人民币{gain}元。",
        ),
        "《中华人民共和国价格法》第十四条第（四）项",
        "《中华人民共和国价格法》第四十条第一款、《价格违法行为行政处罚规定》第七条",
        fine=(5000, 500000),
        gain=(500, 80000),
        warn=True,
        severe=(("通报批评", 0.2),),
    ),
    _V(
        "sc",
        "发布虚假广告",
        (
            "于{when}通过{media}发布{ad}广告，宣称“{claim}”，经查上述内容无事实依据，广告费用人民币{base}元。",
            "在其{media}发布的{ad}广告中使用“{claim}”等虚假内容，欺骗、误导消费者，广告费用人民币{base}元。",
        ),
        "《中华人民共和国广告法》第二十八条第一款",
        "《中华人民共和国广告法》第五十五条第一款",
        ratio=((3, 1, "三倍"), (4, 1, "四倍"), (5, 1, "五倍")),
        fine_text="处广告费用{word}的罚款，计人民币{fine}元",
        base=(2000, 60000),
        minor=False,
        severe=(("吊销许可证件", 0.1),),
        licence="营业执照",
    ),
    _V(
        "sc",
        "广告使用绝对化用语",
        (
            "在其{platform}网店的{shop_goods}商品详情页中使用“{absolute}”等绝对化用语进行宣传。",
            "在{place}门店外墙设置的广告牌中使用“{absolute}”用语宣传其经营的{shop_goods}。",
        ),
        "《中华人民共和国广告法》第九条第（三）项",
        "《中华人民共和国广告法》第五十七条第（一）项",
        fine=(10000, 200000),
    ),
    _V(
        "sc",
        "生产、销售不合格产品",
        (
            "生产销售的{product}经{lab2}监督抽查，{pindicator}项目不合格。经核实，当事人共生产该批次产品{qty}件，货值金额人民币{base}元，违法所得人民币{gain}元。",
            "于{when}在{place}销售的{product}经{lab2}检验，{pindicator}项目不符合国家标准，货值金额人民币{base}元，违法所得人民币{gain}元。",
        ),
        "《中华人民共和国产品质量法》第三十九条",
        "《中华人民共和国产品质量法》第四十九条",
        ratio=((1, 2, "百分之五十"), (1, 1, "一倍"), (3, 2, "一点五倍"), (2, 1, "二倍"), (3, 1, "三倍")),
        fine_text="处违法生产、销售产品货值金额{word}的罚款，计人民币{fine}元",
        base=(3000, 300000),
        gain=(1, 1),
        ranges={"qty": (50, 5000)},
        seize_pct=(10, 60),
        always=("没收非法财物",),
        texts={"没收非法财物": "没收库存的不合格{product}"},
        severe=(("吊销许可证件", 0.1),),
        licence="营业执照",
    ),
    _V(
        "sc",
        "使用未经定期检验的特种设备",
        (
            "在{place}使用的{n}台{equip}已超过定期检验有效期，未按规定申报定期检验仍继续使用。",
            "*{day}，执法人员检查发现当事人使用的{equip}检验有效期已于{y}年{m1}月届满，未经定期检验继续投入使用。",
        ),
        "《中华人民共和国特种设备安全法》第四十条第三款",
        "《中华人民共和国特种设备安全法》第八十四条第（一）项",
        fine=(30000, 300000),
        ranges={"n": (1, 4)},
        severe=(("责令停产停业", 0.3),),
        texts={"责令停产停业": "责令停止使用有关特种设备"},
    ),
    _V(
        "sc",
        "销售侵犯注册商标专用权的商品",
        (
            "于{when}在{place}销售侵犯“{mark}”注册商标专用权的{fake_goods}共计{qty}件，违法经营额人民币{base}元。",
            "通过{platform}网店销售假冒“{mark}”注册商标的{fake_goods}{qty}件，违法经营额人民币{base}元。",
        ),
        "《中华人民共和国商标法》第五十七条第（三）项",
        "《中华人民共和国商标法》第六十条第二款",
        fine=(5000, 250000),
        base=(1000, 49000),
        ranges={"qty": (10, 900)},
        seize_pct=(20, 80),
        always=("没收非法财物",),
        texts={"没收非法财物": "没收、销毁侵权商品{fake_goods}{qty}件"},
    ),
    _V(
        "sc",
        "未依法取得营业执照从事经营活动",
        ("在未依法取得营业执照的情况下，于{when}在{place}从事{unlicensed}经营活动，违法所得人民币{gain}元。",),
        "《无证无照经营查处办法》第二条",
        "《无证无照经营查处办法》第十三条",
        fine=(500, 10000),
        gain=(200, 20000),
        serious=False,
    ),
    _V(
        "sc",
        "电子商务经营者未公示营业执照信息",
        ("通过{platform}开设网店从事{shop_goods}销售，未在其网店首页显著位置持续公示营业执照信息或者相关链接标识。",),
        "《中华人民共和国电子商务法》第十五条第一款",
        "《中华人民共和国电子商务法》第七十六条第一款第（一）项",
        fine=(500, 10000),
        serious=False,
    ),
    _V(
        "sc",
        "使用不合格的计量器具",
        ("在{place}经营{shop_goods}时使用的{n}台电子计价秤未经检定，{day}经检查其称量示值误差超过最大允许误差。",),
        "《中华人民共和国计量法》第九条第一款",
        "《中华人民共和国计量法实施细则》第四十三条",
        fine=(200, 2000),
        ranges={"n": (1, 5)},
        always=("没收非法财物",),
        seize_value=(200, 2400),
        texts={"没收非法财物": "没收不合格的电子计价秤{n}台"},
        serious=False,
    ),
    # --- environment (生态环境) ---
    _V(
        "env",
        "超标排放水污染物",
        (
            "*{day}，本机关执法人员对当事人位于{place}的废水总排放口进行采样监测，结果显示{pollutant}浓度为{conc}毫克/升，超过《{wstd}》规定的排放限值{times}倍。",
            "位于{place}的厂区于{when}排放的生产废水中{pollutant}浓度为{conc}毫克/升，超过《{wstd}》规定的排放限值{times}倍。",
        ),
        "《中华人民共和国水污染防治法》第十条",
        "《中华人民共和国水污染防治法》第八十三条第（二）项",
        fine=(100000, 1000000),
        minor=False,
        severe=(("限制开展生产经营活动", 0.3), ("责令停产停业", 0.4)),
        texts={"限制开展生产经营活动": "责令限制生产{months}个月", "责令停产停业": "责令停产整治"},
    ),
    _V(
        "env",
        "建设项目环境影响评价文件未经批准擅自开工建设",
        (
            "在{place}建设的{env_project}项目，环境影响报告表未经审批，擅自于{day}开工建设，项目总投资额人民币{base}元。",
        ),
        "《中华人民共和国环境影响评价法》第二十五条",
        "《中华人民共和国环境影响评价法》第三十一条第一款",
        ratio=(
            (1, 100, "百分之一"),
            (3, 200, "百分之一点五"),
            (2, 100, "百分之二"),
            (3, 100, "百分之三"),
            (5, 100, "百分之五"),
        ),
        fine_text="处建设项目总投资额{word}的罚款，计人民币{fine}元",
        base=(200000, 30000000),
        minor=False,
    ),
    _V(
        "env",
        "未按照国家环境保护标准贮存危险废物",
        (
            "将生产过程中产生的{hw}约{tons}吨露天堆放于厂区{spot}，未设置危险废物识别标志，未采取防扬散、防流失、防渗漏措施。",
        ),
        "《中华人民共和国固体废物污染环境防治法》第八十一条第一款",
        "《中华人民共和国固体废物污染环境防治法》第一百一十二条第一款第（六）项",
        fine=(100000, 1000000),
        minor=False,
        severe=(("责令停产停业", 0.3),),
        texts={"责令停产停业": "责令停业整治"},
    ),
    _V(
        "env",
        "未按规定采取挥发性有机物污染防治措施",
        ("在{place}从事{voc_work}作业过程中，未在密闭空间或者设备中进行，含挥发性有机物废气未经收集处理直接排放。",),
        "《中华人民共和国大气污染防治法》第四十五条",
        "《中华人民共和国大气污染防治法》第一百零八条第（一）项",
        fine=(20000, 200000),
        severe=(("责令停产停业", 0.3),),
        texts={"责令停产停业": "责令停产整治"},
    ),
    _V(
        "env",
        "通过暗管逃避监管的方式排放水污染物",
        ("利用私设的暗管将生产废水直接排入厂区外{water}，经采样监测，外排废水中{pollutant}浓度为{conc}毫克/升。",),
        "《中华人民共和国水污染防治法》第三十九条",
        "《中华人民共和国水污染防治法》第八十三条第（三）项",
        fine=(200000, 1000000),
        minor=False,
        severe=(("责令停产停业", 0.5), ("责令关闭", 0.15)),
        texts={"责令停产停业": "责令停产整治"},
    ),
    _V(
        "law",
        "未取得夜间施工证明进行产生噪声的建筑施工作业",
        (
            "作为{project}的施工单位，于{day}22时至次日{hour}时，在未取得夜间施工证明的情况下进行{night_work}作业，产生环境噪声污染。",
        ),
        "《中华人民共和国噪声污染防治法》第四十三条第一款",
        "《中华人民共和国噪声污染防治法》第七十七条第（二）项",
        fine=(10000, 100000),
        ranges={"hour": (1, 5)},
    ),
    # --- work safety (应急管理) ---
    _V(
        "safety",
        "未按照规定对从业人员进行安全生产教育和培训",
        ("未按照规定对{n}名新入职从业人员进行安全生产教育和培训，即安排其在{workshop}上岗作业。",),
        "《中华人民共和国安全生产法》第二十八条第一款",
        "《中华人民共和国安全生产法》第九十七条第（三）项",
        fine=(5000, 100000),
        ranges={"n": (2, 30)},
        severe=(("责令停产停业", 0.3),),
    ),
    _V(
        "safety",
        "未采取措施消除事故隐患",
        (
            "*{day}，本机关执法人员对当事人位于{place}的生产经营场所进行安全检查，发现{hazard}，存在事故隐患，当事人未采取措施予以消除。",
            "在{place}的生产经营场所内{hazard}，存在事故隐患，经检查指出后未采取措施予以消除。",
        ),
        "《中华人民共和国安全生产法》第四十一条第二款",
        "《中华人民共和国安全生产法》第一百零二条",
        fine=(5000, 50000),
        severe=(("责令停产停业", 0.5),),
    ),
    _V(
        "safety",
        "未取得危险化学品经营许可证经营危险化学品",
        ("在未取得危险化学品经营许可证的情况下，于{when}在{place}销售{chem}共计{tons}吨，违法所得人民币{gain}元。",),
        "《危险化学品安全管理条例》第三十三条第一款",
        "《危险化学品安全管理条例》第七十七条第三款",
        fine=(100000, 200000),
        gain=(1000, 80000),
        minor=False,
        always=("没收非法财物",),
        seize_value=(2000, 60000),
        texts={"没收非法财物": "没收违法经营的{chem}"},
    ),
    _V(
        "safety",
        "特种作业人员未按照规定经专门的安全作业培训并取得相应资格上岗作业",
        (
            "安排{n}名未取得特种作业操作证的人员从事{special_work}作业。",
            "*{day}，执法人员检查发现当事人{n}名从事{special_work}作业的人员未取得特种作业操作证。",
        ),
        "《中华人民共和国安全生产法》第三十条第一款",
        "《中华人民共和国安全生产法》第九十七条第（七）项",
        fine=(5000, 100000),
        ranges={"n": (1, 5)},
    ),
    # --- fire safety (消防救援) ---
    _V(
        "fire",
        "消防设施、器材未保持完好有效",
        (
            "*{day}，消防救援机构对当事人位于{place}的{premise}进行消防监督检查，发现{fire_defect}。",
            "位于{place}的{premise}{fire_defect}，消防设施、器材未保持完好有效。",
        ),
        "《中华人民共和国消防法》第十六条第一款第（二）项",
        "《中华人民共和国消防法》第六十条第一款第（一）项",
        fine=(5000, 50000),
    ),
    _V(
        "fire",
        "占用、堵塞、封闭疏散通道、安全出口",
        ("在其经营的位于{place}的{premise}内堆放货物，占用、堵塞疏散通道，{exit_issue}。",),
        "《中华人民共和国消防法》第二十八条",
        "《中华人民共和国消防法》第六十条第一款第（三）项",
        fine=(5000, 50000),
    ),
    _V(
        "fire",
        "公众聚集场所未经消防安全检查擅自投入使用、营业",
        ("位于{place}的{crowd_premise}未经消防救援机构许可，于{day}起擅自投入使用、营业。",),
        "《中华人民共和国消防法》第十五条第一款",
        "《中华人民共和国消防法》第五十八条第一款第（四）项",
        fine=(30000, 300000),
        minor=False,
        always=("责令停产停业",),
        texts={"责令停产停业": "责令停止使用、营业"},
    ),
    # --- construction (住房和城乡建设) ---
    _V(
        "build",
        "未取得施工许可证擅自施工",
        (
            "作为{project}的建设单位，在未取得建筑工程施工许可证的情况下，于{day}擅自组织开工建设，工程合同价款人民币{base}元。",
        ),
        "《中华人民共和国建筑法》第七条第一款",
        "《建筑工程施工许可管理办法》第十二条",
        ratio=((1, 100, "百分之一"), (3, 200, "百分之一点五"), (2, 100, "百分之二")),
        fine_text="处工程合同价款{word}的罚款，计人民币{fine}元",
        base=(500000, 50000000),
        minor=False,
    ),
    _V(
        "build",
        "违法分包工程",
        ("承接{project}后，将其中的{subwork}工程分包给不具备相应资质条件的个人施工，承包工程合同价款人民币{base}元。",),
        "《中华人民共和国建筑法》第二十九条第三款",
        "《建设工程质量管理条例》第六十二条第一款",
        ratio=((5, 1000, "千分之五"), (7, 1000, "千分之七"), (1, 100, "百分之一")),
        fine_text="处工程合同价款{word}的罚款，计人民币{fine}元",
        base=(500000, 30000000),
        minor=False,
        severe=(("降低资质等级", 0.5), ("责令停产停业", 0.4), ("吊销许可证件", 0.08)),
        texts={"责令停产停业": "责令停业整顿{days}日"},
        licence="建筑业企业资质证书",
    ),
    _V(
        "build",
        "施工工地未采取有效防尘降尘措施",
        ("在{project}施工过程中，施工现场裸露土方未采取覆盖措施，运输车辆驶出工地前未进行冲洗，造成扬尘污染。",),
        "《中华人民共和国大气污染防治法》第六十九条第三款",
        "《中华人民共和国大气污染防治法》第一百一十五条第一款第（一）项",
        fine=(10000, 100000),
        severe=(("责令停产停业", 0.3),),
        texts={"责令停产停业": "责令停工整治"},
    ),
    _V(
        "build",
        "未对建筑材料、建筑构配件进行检验",
        ("在{project}施工中，未对进场的{material}进行检验即投入使用。",),
        "《建设工程质量管理条例》第二十九条",
        "《建设工程质量管理条例》第六十五条",
        fine=(100000, 200000),
        minor=False,
        severe=(("降低资质等级", 0.4), ("责令停产停业", 0.3)),
        texts={"责令停产停业": "责令停业整顿{days}日"},
    ),
    _V(
        "hr",
        "未按规定开设农民工工资专用账户",
        ("作为{project}的施工总承包单位，未按规定开设农民工工资专用账户，经责令限期改正，逾期仍未改正。",),
        "《保障农民工工资支付条例》第二十六条第一款",
        "《保障农民工工资支付条例》第五十五条第（一）项",
        fine=(50000, 100000),
        minor=False,
    ),
    # --- transport (交通运输) ---
    _V(
        "traffic",
        "未取得道路运输经营许可擅自从事道路普通货物运输经营",
        (
            "使用车牌号为{plate}的{truck}，在未取得道路运输经营许可证的情况下，于{day}从{origin}运送{cargo}至{dest}，收取运费人民币{gain}元。",
        ),
        "《中华人民共和国道路运输条例》第二十四条",
        "《中华人民共和国道路运输条例》第六十三条",
        fine=(3000, 10000),
        gain=(300, 9000),
        serious=False,
    ),
    _V(
        "traffic",
        "车辆超限运输",
        (
            "使用车牌号为{plate}的{truck}装载{cargo}，于{day}经{short}{check_station}检测，车货总质量超过限定标准{over}吨，未办理超限运输许可擅自在公路上行驶。",
        ),
        "《公路安全保护条例》第三十三条第一款",
        "《公路安全保护条例》第六十四条",
        fine=(500, 30000),
        ranges={"over": (1, 30)},
    ),
    _V(
        "traffic",
        "未取得网络预约出租汽车运输证从事网约车经营",
        (
            "驾驶车牌号为{plate}的小型轿车，在未取得网络预约出租汽车运输证的情况下，于{day}通过网络平台接单从事网约车经营活动。",
        ),
        "《网络预约出租汽车经营服务管理暂行办法》第十三条",
        "《网络预约出租汽车经营服务管理暂行办法》第三十四条第（一）项",
        fine=(10000, 30000),
        serious=False,
    ),
    # --- tax (税务) ---
    _V(
        "tax",
        "偷税",
        ("于{y0}年1月至{y}年12月期间，通过{evasion}的方式少申报收入，造成少缴{taxkind}人民币{base}元。",),
        "《中华人民共和国税收征收管理法》第六十三条第一款",
        "《中华人民共和国税收征收管理法》第六十三条第一款",
        ratio=((1, 2, "百分之五十"), (1, 2, "百分之五十"), (1, 1, "一倍"), (3, 2, "一点五倍"), (2, 1, "二倍")),
        fine_text="对少缴的税款处{word}的罚款，计人民币{fine}元",
        base=(5000, 3000000),
        minor=False,
    ),
    _V(
        "tax",
        "未按照规定期限办理纳税申报",
        ("未按照规定期限办理{y}年{m1}月（所属期）{taxkind}的纳税申报。",),
        "《中华人民共和国税收征收管理法》第二十五条第一款",
        "《中华人民共和国税收征收管理法》第六十二条",
        fine=(200, 10000),
        serious=False,
    ),
    _V(
        "tax",
        "虚开发票",
        ("在没有真实交易的情况下，为他人开具增值税普通发票{n}份，金额合计人民币{base}元，收取开票费人民币{gain}元。",),
        "《中华人民共和国发票管理办法》第二十二条第二款",
        "《中华人民共和国发票管理办法》第三十七条第一款",
        fine=(50000, 500000),
        gain=(1, 1),
        gain_pct=(2, 8),
        base=(20000, 2000000),
        ranges={"n": (3, 120)},
        minor=False,
    ),
    # --- health, culture, water ---
    _V(
        "health",
        "未取得公共场所卫生许可证擅自营业",
        ("经营的位于{place}的{public_place}未取得公共场所卫生许可证，于{when}擅自营业。",),
        "《公共场所卫生管理条例实施细则》第二十二条第一款",
        "《公共场所卫生管理条例实施细则》第三十五条第一款",
        fine=(500, 30000),
        warn=True,
    ),
    _V(
        "health",
        "医疗机构使用非卫生技术人员从事医疗卫生技术工作",
        ("在其开办的{clinic}内使用{n}名未取得相应执业资格的非卫生技术人员从事{medwork}工作。",),
        "《医疗机构管理条例》第二十七条",
        "《医疗机构管理条例》第四十七条",
        fine=(10000, 100000),
        ranges={"n": (1, 3)},
        minor=False,
        severe=(("吊销许可证件", 0.3),),
        licence="医疗机构执业许可证",
    ),
    _V(
        "culture",
        "互联网上网服务营业场所接纳未成年人",
        ("经营的位于{place}的网吧于{day}接纳{n}名未成年人进入营业场所上网。",),
        "《互联网上网服务营业场所管理条例》第二十一条",
        "《互联网上网服务营业场所管理条例》第三十一条第（二）项",
        fine=(1000, 15000),
        warn=True,
        ranges={"n": (1, 6)},
        severe=(("责令停产停业", 0.5), ("吊销许可证件", 0.2)),
        texts={"责令停产停业": "责令停业整顿"},
        licence="网络文化经营许可证",
    ),
    _V(
        "water",
        "未经批准擅自取水",
        ("未依法取得取水许可，于{when}在{place}擅自从{water_source}取水用于{water_use}，累计取水量约{qty}立方米。",),
        "《中华人民共和国水法》第七条",
        "《中华人民共和国水法》第六十九条第（一）项",
        fine=(20000, 100000),
        ranges={"qty": (500, 50000)},
    ),
)
del _V

_POOLS = {
    "轻微": tuple(v for v in _VIOLATIONS if v.minor),
    "一般": _VIOLATIONS,
    "严重": tuple(v for v in _VIOLATIONS if v.serious),
}
_DEFAULT_YEARS = (2021, 2022, 2023, 2024)


def penalty_fields(rng: random.Random, region_name: str | None = None, year: int | None = None) -> dict:
    """Text fields of one administrative penalty, consistent between facts, categories and amounts.

    ``region_name`` (optional) keeps the place and district-level authority in that division;
    ``year`` (optional) is the year the conduct ended: pass one before the decision date.
    """
    r = rng.random()
    severity = "轻微" if r < _SEVERITY_CUTS[0] else ("一般" if r < _SEVERITY_CUTS[1] else "严重")
    pool = _POOLS[severity]
    v = pool[int(rng.random() * len(pool))]
    reg = _region(rng, region_name)

    # Dates: a period m1..m2 within year y; the inspection day closes it.
    y = year if year is not None else _pick(rng, _DEFAULT_YEARS)
    m1 = 1 + int(rng.random() * 10)
    m2 = m1 + 1 + int(rng.random() * (12 - m1))
    d2 = 1 + int(rng.random() * 28)
    day = f"{y}年{m2}月{d2}日"
    r = rng.random()
    if r < 0.45:
        when = f"{y}年{m1}月至{y}年{m2}月期间"
    elif r < 0.7:
        when = f"{y}年{m1}月{1 + int(rng.random() * 28)}日至{day}"
    else:
        when = day
    vals = {
        "y": y,
        "y0": y - 1,
        "m1": m1,
        "when": when,
        "day": day,
        "since": f"{y}年{m1}月",
        "place": _address(rng, reg),
        "short": reg.short,
        "licence": v.licence,
    }
    for key, seq in v.lists:
        item = seq[int(rng.random() * len(seq))]
        if type(key) is tuple:
            for name, value in zip(key, item, strict=False):
                vals[name] = value
        else:
            vals[key] = item
    for key, lo, span in v.ranges:
        vals[key] = lo + int(rng.random() * span)
    if v.needs_project:
        vals["project"] = _project(rng, reg)
    if v.needs_plate:
        vals["plate"] = _plate(rng)

    base = gain = 0
    if v.base_bands:
        lo, span = v.base_bands[severity]
        base = vals["base"] = lo + int(rng.random() * span)
    if v.gain_bands:
        if base:
            lo, hi = v.gain_pct
            gain = max(1, base * (lo + int(rng.random() * (hi - lo + 1))) // 100)
        else:
            lo, span = v.gain_bands[severity]
            gain = lo + int(rng.random() * span)
        vals["gain"] = gain

    # Categories and the fine.
    cats = list(v.always)
    fine = 0
    word = ""
    if severity == "轻微" and v.warn and rng.random() < 0.75:
        cats.append("警告")
        if rng.random() < 0.3:
            fine = _pick(rng, v.fine_bands["轻微"])
    else:
        if v.ratio:
            num, den, word = _pick(rng, v.ratio_bands[severity])
            fine = max(1, base * num // den)
        else:
            fine = _pick(rng, v.fine_bands[severity])
        if v.warn and severity == "一般" and rng.random() < 0.15:
            cats.append("警告")
    if fine:
        cats.append("罚款")
    if gain:
        cats.append("没收违法所得")
    if severity == "严重":
        for cat, p in v.severe:
            if rng.random() < p:
                cats.append(cat)
        vals["months"] = 1 + int(rng.random() * 6)
        vals["days"] = _pick(rng, (7, 10, 15, 30, 60, 90))
    if len(cats) > 1:
        cats = sorted(set(cats), key=_CAT_ORDER.__getitem__)
    if not cats:  # defensive: a record always carries one category
        cats = ["警告"]

    # The importer needs an amount whenever something is confiscated: goods carry their value.
    seized = 0
    if "没收非法财物" in cats:
        if v.seize_pct:
            lo, hi = v.seize_pct
            seized = max(1, base * (lo + int(rng.random() * (hi - lo + 1))) // 100)
        else:
            lo, span = v.seize_bands[severity]
            seized = lo + int(rng.random() * span)

    parts = []
    texts = v.texts
    for cat in cats:
        if cat == "罚款":
            parts.append(v.fine_text.format(fine=fine, word=word) if v.ratio else f"罚款人民币{fine}元")
        elif cat == "没收违法所得":
            parts.append(f"没收违法所得人民币{gain}元")
        elif cat == "没收非法财物":
            parts.append(f"{texts[cat].format_map(vals)}（价值人民币{seized}元）")
        else:
            parts.append(texts[cat].format_map(vals))
    r = rng.random()
    if r < 0.25 and len(parts) > 1:
        content = "；".join(f"{i}.{p}" for i, p in enumerate(parts, 1)) + "。"
    elif r < 0.5:
        content = "责令改正，" + "，".join(parts) + "。"
    else:
        content = "，".join(parts) + "。"

    intros, fmt = _pick(rng, v.facts)
    fact = _pick(rng, intros) + fmt.format_map(vals)
    r = rng.random()
    if r < 0.45:
        fact += f"当事人的上述行为违反了{v.rule}的规定。"
    tail = _pick(rng, _TAILS[severity])
    if tail and rng.random() < 0.6:
        fact += tail

    authority, prefix = _authority(rng, v.dept, reg)
    return {
        "违法行为类型": v.vtype,
        "违法事实": fact,
        "处罚依据": v.basis,
        "处罚类别": ";".join(cats),
        "处罚内容": content,
        "fine_wan": _wan(fine) if fine else "",
        "confiscated_wan": _wan(gain + seized) if gain or seized else "",
        "authority": authority,
        "doc_prefix": prefix + "罚",
        "severity": severity,
    }


# ---------------------------------------------------------------------------------------------
# Articles

_PLACES_FOR_NEWS = ("我市",) + tuple(_REGION_NAMES)
_INDUSTRY_FIELDS = (
    "食品安全",
    "生态环境",
    "安全生产",
    "建筑市场",
    "交通运输",
    "市场监管",
    "税收",
    "医疗卫生",
    "家政服务",
    "电子商务",
    "养老服务",
    "旅游",
    "物流",
    "知识产权",
)
_TITLES = {
    "信用动态": (
        "{place}召开{year}年社会信用体系建设工作推进会",
        "{year}年{q}季度我市归集公共信用信息{n}万条",
        "{place}“信易贷”平台累计为中小微企业授信{yi}亿元",
        "{place}开展{field}领域信用分级分类监管试点",
        "我市信用修复“网上办”平均办理时间缩短至{k}个工作日",
        "{place}深化“信用+”场景应用 惠企便民再提速",
        "市发展改革委赴{place}调研社会信用体系建设工作",
        "{place}召开{field}领域信用监管工作座谈会",
        "我市{year}年双公示数据报送及时率达{pct}%",
    ),
    "政策法规": (
        "关于进一步规范信用修复工作的通知",
        "宁波市{field}领域信用评价管理办法（试行）",
        "{place}推行证明事项告知承诺制实施方案",
        "一图读懂：信用修复管理办法要点",
        "关于印发《宁波市信用承诺管理办法》的通知",
        "关于加强{field}领域信用监管的实施意见",
        "政策解读：行政处罚信息公示期限有哪些变化",
        "关于推进公共信用信息归集共享的若干规定",
    ),
    "通知公告": (
        "关于开展{year}年度双公示数据质量专项检查的通知",
        "关于信用中国（浙江宁波）网站系统升级维护的公告",
        "关于{year}年第{q}季度信用修复办理情况的通告",
        "关于征集社会信用体系建设典型案例的通知",
        "关于公示{year}年度诚信示范企业拟推荐名单的公告",
        "关于举办{year}年信用管理业务培训班的通知",
        "{place}关于{year}年{field}领域信用评价结果的公示",
    ),
    "典型案例": (
        "{field}领域典型失信案例（第{k}批）",
        "某{trade}公司未取得许可擅自经营被依法处罚",
        "信用修复典型案例：某{trade}公司主动纠错重塑信用",
        "守信激励典型案例：“信用+”助力{place}企业融资",
        "信用承诺典型案例：告知承诺制让企业少跑腿",
        "{place}某企业违反{field}管理规定被处罚案例",
    ),
    "诚信宣传": (
        "“诚信建设万里行”走进{place}",
        "6·14信用记录关爱日：守护您的信用记录",
        "{place}举办“诚信兴商”宣传月活动",
        "信用小课堂：什么是统一社会信用代码？",
        "信用小课堂：企业如何查询自己的信用报告？",
        "诚信，从每一次承诺开始",
        "{place}诚信文化进校园活动侧记",
        "信用小课堂：行政处罚信息何时可以申请修复？",
    ),
}
_TRADES = ("餐饮", "建筑", "物流", "贸易", "汽车销售", "食品", "环保科技", "机械制造", "电子商务", "装饰工程")
_LEADS = {
    "信用动态": (
        "近日，{place}召开会议，总结{year}年以来社会信用体系建设工作成效，部署下一阶段重点任务。",
        "{year}年以来，{place}围绕“信用宁波”建设目标，持续完善信用信息归集、共享和应用机制。",
        "记者从市发展改革委获悉，{place}信用监管和信用服务各项工作取得新进展。",
    ),
    "政策法规": (
        "为进一步健全以信用为基础的新型监管机制，规范{field}领域信用管理，结合本市实际，制定本文件。",
        "为贯彻落实国家和省关于社会信用体系建设的决策部署，保护信用主体合法权益，现就有关事项通知如下。",
    ),
    "通知公告": (
        "各有关单位：根据社会信用体系建设年度工作安排，现将有关事项通知如下。",
        "为提升公共信用信息质量，进一步做好{year}年度相关工作，现就有关事项公告如下。",
    ),
    "典型案例": (
        "{year}年{month}月，{place}{field}监管部门在日常检查中发现某{trade}公司存在违法行为，依法作出行政处罚。",
        "某{trade}公司于{year}年受到行政处罚后，积极履行处罚决定并完成整改，主动申请信用修复。",
    ),
    "诚信宣传": (
        "诚信是社会和谐的基石，也是市场经济的“金字招牌”。近日，{place}组织开展了形式多样的诚信宣传活动。",
        "信用记录是经济社会活动中的“身份证”。为普及信用知识，我们整理了市民和企业关心的常见问题。",
    ),
}
_PARAS = {
    "信用动态": (
        "截至{year}年底，全市累计归集各类公共信用信息{n}万条，双公示信息报送合规率保持在{pct}%以上。",
        "会议要求，各部门要<strong>压实信用信息报送责任</strong>，确保行政许可和行政处罚信息在作出决定之日起7个工作日内上网公示。",
        "下一步，{place}将持续拓展“信用+”应用场景，在政务服务、公共资源交易、融资信贷等领域推广信用承诺和信用报告应用。",
        "依托公共信用信息平台，相关部门对{field}领域企业开展信用分级分类监管，对信用良好的企业减少检查频次，对失信企业加大抽查比例。",
        "在融资服务方面，“信易贷”平台已入驻金融机构{banks}家，发布金融产品{products}款，有效缓解中小微企业融资难题。",
    ),
    "政策法规": (
        "本办法所称公共信用信息，是指行政机关和法律、法规授权的具有管理公共事务职能的组织在履行职责过程中产生或者获取的信用信息。",
        "行政处罚信息按照失信严重程度实行分类公示：<strong>轻微失信信息原则上不予公示</strong>，一般失信信息最短公示期三个月、最长一年，严重失信信息最短公示期一年、最长三年。",
        "信用主体在最短公示期届满后，已履行行政处罚决定且纠正失信行为的，可以向认定单位或者信用平台申请信用修复。",
        "信用主体认为公示的信用信息存在错误、遗漏或者超期公示的，可以提出异议申请，有关单位应当在规定时限内核实处理。",
        "各有关部门应当建立信用承诺制度，将信用承诺履行情况纳入信用记录，作为事中事后监管的重要参考。",
        "本办法自印发之日起施行，由宁波市发展和改革委员会负责解释。",
    ),
    "通知公告": (
        "请各单位对照国家双公示数据标准，重点核查行政相对人名称、统一社会信用代码、决定日期等必填字段的完整性和准确性。",
        "维护期间，网站信用信息查询、信用报告下载、信用修复申请等功能将暂停服务，给您带来的不便敬请谅解。",
        "请各单位于{year}年{month}月{day}日前将有关材料报送至市信用办，逾期未报送的视为放弃。",
        "公示期间，如对公示名单有异议，可通过信用中国（浙江宁波）网站或书面形式向市信用办反映。",
        "{year}年第{q}季度共受理信用修复申请{n}件，办结{n2}件，平均办理时长{k}个工作日。",
    ),
    "典型案例": (
        "经查，该公司在未取得相关许可的情况下擅自开展经营活动，执法部门依法对其作出<strong>罚款并没收违法所得</strong>的行政处罚，相关信息已在信用网站公示。",
        "该公司在最短公示期满后，提交了信用修复申请书、信用修复承诺书、罚款缴纳凭证和整改报告，经认定部门核实，依法准予信用修复。",
        "信用修复完成后，该公司的行政处罚信息停止公示，顺利参加了政府采购项目投标。",
        "通过“信用+融资”服务，该企业凭借良好的信用记录获得银行信用贷款{loan}万元，无需提供抵押担保。",
        "本案提醒广大经营者：要依法诚信经营，失信行为将被记入信用记录并向社会公示。",
    ),
    "诚信宣传": (
        "活动现场，工作人员通过发放宣传资料、现场答疑等方式，向市民普及信用报告查询、信用修复办理等知识。",
        "统一社会信用代码由18位阿拉伯数字或大写英文字母组成，是法人和非法人组织的唯一身份识别码，<strong>终身不变</strong>。",
        "企业可以登录信用中国（浙江宁波）网站，免费查询本单位公共信用信息并下载信用报告。",
        "“人无信不立，业无信不兴。”诚信不仅是个人立身之本，也是企业发展的生命线。",
        "今后，{place}将持续开展诚信主题宣传活动，营造“守信光荣、失信可耻”的良好社会氛围。",
    ),
}
_LISTS = {
    "信用动态": (
        "加强信用信息归集共享",
        "深化信用分级分类监管",
        "推广信用承诺制",
        "优化信用修复服务",
        "拓展“信用+”应用场景",
    ),
    "政策法规": ("信用修复申请书", "信用修复承诺书", "已履行行政处罚决定的证明材料", "整改报告", "营业执照复印件"),
    "通知公告": ("数据完整性", "数据准确性", "报送及时性", "公示规范性"),
    "典型案例": ("依法取得相关许可后再开展经营", "按时足额缴纳罚款", "主动申请信用修复", "积极参与诚信承诺"),
    "诚信宣传": ("诚信经营，守法纳税", "按时还款，珍爱信用记录", "履行承诺，言而有信", "不传谣，不造假"),
}


def article(rng: random.Random, column_name: str) -> tuple[str, str]:
    """(title, body_html) for one of the five columns; body is 3-5 paragraphs of simple HTML."""
    column = _COLUMN_SLUGS.get(column_name, column_name)
    if column not in _TITLES:
        raise ValueError(f"unknown column: {column_name}")
    n = 20 + int(rng.random() * 980)
    vals = {
        "place": _pick(rng, _PLACES_FOR_NEWS),
        "year": _pick(rng, (2022, 2023, 2024, 2025)),
        "q": _pick(rng, "一二三四"),
        "n": n,
        "n2": max(1, n - int(rng.random() * 20)),
        "k": 2 + int(rng.random() * 12),
        "pct": _pick(rng, (95, 96, 97, 98, 99)),
        "field": _pick(rng, _INDUSTRY_FIELDS),
        "trade": _pick(rng, _TRADES),
        "month": 1 + int(rng.random() * 12),
        "day": 1 + int(rng.random() * 28),
        "yi": 5 + int(rng.random() * 146),
        "banks": 10 + int(rng.random() * 40),
        "products": 30 + int(rng.random() * 270),
        "loan": 50 + int(rng.random() * 951),
    }
    title = _pick(rng, _TITLES[column]).format_map(vals)
    paras = [_pick(rng, _LEADS[column]).format_map(vals)]
    count = 2 + int(rng.random() * 3)  # plus the lead: 3-5 paragraphs
    paras += [p.format_map(vals) for p in rng.sample(_PARAS[column], count)]
    body = [f"<p>{p}</p>" for p in paras]
    if rng.random() < 0.5:
        items = rng.sample(_LISTS[column], 3)
        body.insert(2, "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
    return title, "\n".join(body)


# ---------------------------------------------------------------------------------------------
# Credit commitments

_NUMERALS = "一二三四五六七八九十"
_STANDARD_CLAUSES = (
    (
        "所提交的申请材料合法、真实、准确、有效，不存在隐瞒、虚报或者伪造等情形",
        "所提供的全部材料及信息真实、合法、有效，复印件与原件一致",
    ),
    ("严格遵守国家法律、法规、规章和政策规定，依法诚信经营", "自觉遵守法律法规和行业规范，守法经营、诚实守信"),
    ("违背承诺的，愿意承担相应的违诺责任和法律责任", "如有违反，自愿接受有关部门依法作出的处理并承担相应法律责任"),
    ("自觉接受行政管理部门的监督检查和社会公众监督", "主动接受政府、行业组织、社会公众和新闻舆论的监督"),
    (
        "同意将本承诺书在信用网站公开，履约情况记入信用记录",
        "同意本承诺纳入信用档案，并通过信用中国（浙江宁波）网站向社会公开",
    ),
)
_APPROVAL_LICENCES = (
    "食品经营许可证",
    "公共场所卫生许可证",
    "道路运输经营许可证",
    "建筑工程施工许可证",
    "排污许可证",
    "娱乐经营许可证",
    "药品经营许可证（零售）",
    "人力资源服务许可证",
)
_MISSING = (
    "房屋产权证明",
    "特殊建设工程消防验收意见",
    "环境影响评价批复文件",
    "法定代表人身份证明原件",
    "场地租赁合同备案证明",
)
_PROOFS = (
    "无犯罪记录证明",
    "社会保险缴纳证明",
    "学历证明",
    "住所使用证明",
    "纳税证明",
    "无违法违规记录证明",
    "从业经历证明",
)
_MATTERS = (
    "企业设立登记",
    "食品经营许可申请",
    "建设工程施工许可申请",
    "人力资源服务许可申请",
    "道路运输经营许可申请",
    "医疗机构执业登记",
    "高新技术企业认定申报",
)
_ASSOCIATIONS = (
    "宁波市餐饮行业协会",
    "宁波市物流协会",
    "宁波市建筑业协会",
    "宁波市电子商务协会",
    "宁波市家政服务业协会",
    "宁波市汽车流通行业协会",
    "宁波市装饰行业协会",
)
_OTHER_REASONS = ("参加政府采购活动", "申请财政专项资金", "参加招标投标活动", "申报评优评先", "申请享受税收优惠政策")
_REPAIR_DEPTS = ("sc", "env", "build", "traffic", "safety", "fire", "tax", "health")


def _letter(rng, extra):
    clauses = [_pick(rng, alts) for alts in _STANDARD_CLAUSES]
    if extra:
        clauses.insert(2, extra)
    lead = _pick(rng, ("本单位郑重承诺：", "本承诺人郑重承诺：", "我单位自愿作出如下承诺："))
    return lead + "".join(f"{_NUMERALS[i]}、{c}；" for i, c in enumerate(clauses))[:-1] + "。"


def commitment_fields(rng: random.Random, commitment_type) -> dict:
    """承诺事由, 承诺内容 and 违诺责任 for one commitment of the given type (str or str-Enum)."""
    ctype = getattr(commitment_type, "value", commitment_type)
    y = _pick(rng, (2022, 2023, 2024, 2025))
    if ctype == "审批替代型":
        lic = _pick(rng, _APPROVAL_LICENCES)
        reason = f"申请办理{lic}，自愿选择告知承诺方式办理"
        extra = f"已经知晓{lic}的许可条件，本单位现已具备相应条件，并在领取许可证后按要求接受核查"
        breach = (
            f"经核查不符合许可条件或承诺内容不实的，自愿接受撤销{lic}的处理，并承担相应法律责任，违诺信息记入信用记录。"
        )
    elif ctype == "容缺受理型":
        matter, missing = _pick(rng, _MATTERS), _pick(rng, _MISSING)
        days = _pick(rng, (5, 10, 15, 20, 30))
        reason = f"办理{matter}时{missing}暂缺，申请容缺受理"
        extra = f"在{days}个工作日内补齐{missing}，补交材料与承诺内容一致"
        breach = "未在承诺期限内补齐材料或者补交材料与承诺不符的，同意撤销已作出的决定，由此产生的后果由本单位承担，违诺信息记入信用记录。"
    elif ctype == "证明事项告知承诺":
        matter, proof = _pick(rng, _MATTERS), _pick(rng, _PROOFS)
        reason = f"办理{matter}涉及的{proof}，以告知承诺方式替代"
        extra = f"本单位符合{proof}所要证明的条件，承诺内容与实际情况一致"
        breach = "承诺不实的，自愿承担撤销相关决定、依法追究法律责任等后果，并同意将虚假承诺行为记入信用记录。"
    elif ctype == "信用修复型":
        dept = _pick(rng, _REPAIR_DEPTS)
        reg = _pick(rng, _REGION_OBJS)
        authority, prefix = _authority(rng, dept, reg)
        reason = (
            f"申请对{authority}于{y}年{1 + int(rng.random() * 12)}月作出的行政处罚决定"
            f"（{prefix}罚〔{y}〕{1 + int(rng.random() * 900)}号）进行信用修复"
        )
        extra = "已全面履行行政处罚决定规定的义务，违法行为已纠正完毕，今后不再发生同类违法行为"
        breach = "违背承诺的，同意该行政处罚信息按最长公示期限予以公示，且三年内不再受理本单位的信用修复申请，并承担相应法律责任。"
    elif ctype == "行业自律型":
        assoc = _pick(rng, _ASSOCIATIONS)
        reason = f"参加{assoc}组织的诚信自律承诺活动"
        extra = "遵守行业自律公约，公平竞争，不以不正当手段损害同行和消费者合法权益"
        breach = f"违反承诺的，自愿接受{assoc}的自律惩戒措施，相关情况记入行业信用档案并向社会公开。"
    elif ctype == "主动型":
        reason = _pick(rng, ("主动向社会作出信用承诺", "开展“诚信经营”主动承诺", "主动公开产品和服务质量承诺"))
        extra = _pick(
            rng,
            (
                "明码标价，不虚假宣传，不以次充好",
                "保障产品质量安全，建立健全质量追溯制度",
                "按时足额支付员工工资，依法缴纳社会保险",
            ),
        )
        breach = "违背承诺的，自愿接受社会监督和有关部门依法依规处理，违诺信息记入信用记录。"
    elif ctype == "其他":
        reason = _pick(rng, _OTHER_REASONS)
        extra = "近三年内无重大违法记录，未被列入严重失信主体名单"
        breach = "承诺不实的，自愿取消相关资格，已享受的政策予以退回，并承担相应法律责任，违诺信息记入信用记录。"
    else:
        raise ValueError(f"unknown commitment type: {commitment_type}")
    return {"承诺事由": reason, "承诺内容": _letter(rng, extra), "违诺责任": breach}
