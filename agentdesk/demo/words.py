"""Word lists and phone number plans for the demo-data generator (:mod:`agentdesk.demo.generate`).

The phone plans are slices of real numbering plans; the generator keeps only numbers that match
libphonenumber's pattern for the plan's type, so demo numbers survive a strict import.
"""

from __future__ import annotations

from dataclasses import dataclass

ENGLISH_FIRST = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Emily", "Mark",
    "Olivia", "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Sophie", "Noah",
    "Grace", "Liam", "Chloe",
)  # fmt: skip
ENGLISH_LAST = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson",
    "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
    "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Green", "Baker", "Evans", "Hughes", "Edwards", "Wood", "Roberts", "Patel",
    "O'Brien", "Murphy", "Kelly", "Turner",
)  # fmt: skip
GERMAN_FIRST = (
    "Lukas", "Anna", "Leon", "Lena", "Felix", "Marie", "Jonas", "Laura", "Paul", "Julia",
    "Maximilian", "Sophie", "Jürgen", "Katrin", "Stefan", "Sabine",
)  # fmt: skip
GERMAN_LAST = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
)  # fmt: skip
FRENCH_FIRST = ("Louis", "Camille", "Hugo", "Léa", "Jules", "Manon", "Gabriel", "Chloé")
FRENCH_LAST = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand")
# (hanzi, pinyin) so e-mail addresses stay ASCII.
CHINESE_SURNAMES = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
    ("高", "gao"), ("罗", "luo"), ("欧阳", "ouyang"), ("司马", "sima"),
)  # fmt: skip
CHINESE_GIVEN = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("秀英", "xiuying"), ("敏", "min"),
    ("静", "jing"), ("丽", "li"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"),
    ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"),
    ("超", "chao"), ("秀兰", "xiulan"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"),
    ("嘉怡", "jiayi"), ("子轩", "zixuan"), ("浩然", "haoran"), ("雨桐", "yutong"),
)  # fmt: skip

CITIES = {
    "US": ("New York", "Los Angeles", "Chicago", "Houston", "Seattle", "Boston", "Miami",
           "San Francisco", "Denver", "Atlanta"),
    "GB": ("London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Bristol", "Liverpool"),
    "CN": ("北京", "上海", "广州", "深圳", "杭州", "成都", "南京", "武汉"),
    "DE": ("Berlin", "München", "Hamburg", "Köln", "Frankfurt am Main", "Stuttgart"),
    "FR": ("Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux"),
    "AU": ("Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide"),
    "HK": ("香港", "Kowloon", "Sha Tin", "Tsuen Wan"),
}  # fmt: skip
COUNTRY_WEIGHTS = (("US", 35), ("CN", 25), ("GB", 15), ("DE", 10), ("FR", 5), ("AU", 5), ("HK", 5))
EMAIL_DOMAINS = {
    "US": ("example.com", "mail.example.com"), "GB": ("example.co.uk",),
    "CN": ("example.cn", "163.example.cn"), "DE": ("example.de",), "FR": ("example.fr",),
    "AU": ("example.com.au",), "HK": ("example.hk",),
}  # fmt: skip

COMPANY_WORDS = (
    "Acme", "Northwind", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Cyberdyne",
    "Hooli", "Vandelay", "Soylent", "Tyrell", "Wonka", "Gringotts", "Oceanic", "Pied Piper",
    "Blue Harbor", "Silver Peak", "Redwood", "Evergreen", "Summit", "Atlas", "Nimbus", "Orion",
)  # fmt: skip
COMPANY_KINDS = (
    "Logistics", "Consulting", "Foods", "Software", "Manufacturing", "Retail", "Energy",
    "Health", "Media", "Travel", "Finance", "Robotics", "Textiles", "Motors",
)  # fmt: skip
COMPANY_SUFFIX = {
    "US": ("Inc.", "LLC", "Corp."), "GB": ("Ltd", "plc"), "DE": ("GmbH", "AG"),
    "FR": ("SARL", "SA"), "AU": ("Pty Ltd",), "HK": ("Limited",), "CN": ("有限公司",),
}  # fmt: skip
CHINESE_COMPANY_WORDS = ("华信", "中科", "东方", "长城", "金桥", "天元", "新世纪", "宏图", "恒通")
CHINESE_COMPANY_KINDS = ("科技", "贸易", "物流", "食品", "软件", "电子", "医疗", "传媒")
INDUSTRIES = (
    "Software", "Retail", "Logistics", "Manufacturing", "Healthcare", "Finance", "Energy",
    "Education", "Hospitality", "Telecommunications",
)  # fmt: skip
TITLES = (
    "Purchasing Manager", "CEO", "CFO", "IT Director", "Office Manager", "Sales Director",
    "Operations Lead", "Engineer", "Accountant", "Head of Support", None, None,
)  # fmt: skip
CASE_SUBJECTS = (
    "Invoice amount is wrong", "Delivery has not arrived", "Cannot log in to the portal",
    "Request for a refund", "Product arrived damaged", "Change of billing address",
    "Question about the contract", "Service outage reported", "Upgrade request",
    "订单未收到", "发票抬头错误", "退款申请",
)  # fmt: skip
OPPORTUNITY_NAMES = (
    "Annual licence renewal", "Fleet upgrade", "New office fit-out", "Support contract",
    "Pilot project", "Framework agreement", "Expansion to new site", "Hardware refresh",
)  # fmt: skip
CALL_NOTES = (
    "Customer asked for a quote by e-mail.", "Left a message with the assistant.",
    "Explained the new pricing.", "Wants a call back next week.", "Issue resolved on the call.",
    "客户要求发送报价单。", "Asked to be removed from the list.", "Confirmed the delivery date.",
)  # fmt: skip
LEAD_SOURCES = ("web form", "trade show", "referral", "cold list", "partner", "webinar")


@dataclass(frozen=True, slots=True)
class PhonePlan:
    """A slice of a national numbering plan: prefixes plus random digits up to ``length``.

    ``groups`` splits the national significant number for display; ``first_digit_min`` keeps
    the first random digit in range (an exchange code cannot start with 0 or 1 in NANP).
    """

    region: str
    country_code: str
    trunk: str
    prefixes: tuple[str, ...]
    length: int
    groups: tuple[int, ...]
    mobile: bool
    first_digit_min: int = 0


_US_AREAS = (
    "201", "202", "206", "212", "213", "303", "305", "312", "404", "415", "503", "512", "617",
    "646", "702", "713", "718", "773", "808", "917", "929",
)  # fmt: skip

_CN_MOBILE_13X = tuple(f"13{d}" for d in range(10))

PHONE_PLANS: dict[str, tuple[PhonePlan, ...]] = {
    "US": (
        PhonePlan("US", "1", "", _US_AREAS, 10, (3, 3, 4), mobile=True, first_digit_min=2),
        PhonePlan("US", "1", "", _US_AREAS, 10, (3, 3, 4), mobile=False, first_digit_min=2),
    ),
    "GB": (
        PhonePlan("GB", "44", "0", ("7911", "7922", "7944", "7956", "7712", "7723", "7734",
                                    "7801", "7845", "7891", "7412", "7432", "7500", "7511"),
                  10, (4, 6), mobile=True),
        PhonePlan("GB", "44", "0", ("203", "207", "208"), 10, (2, 4, 4), mobile=False),
        PhonePlan("GB", "44", "0", ("161",), 10, (3, 3, 4), mobile=False, first_digit_min=2),
    ),
    "CN": (
        PhonePlan("CN", "86", "", (*_CN_MOBILE_13X, "150", "151", "152", "153", "155", "156",
                                   "157", "158", "159", "186", "187", "188", "189"),
                  11, (3, 4, 4), mobile=True),
        PhonePlan("CN", "86", "0", ("106", "108", "105"), 10, (2, 4, 4), mobile=False),
        PhonePlan("CN", "86", "0", ("215", "216"), 10, (2, 4, 4), mobile=False),
    ),
    "DE": (
        PhonePlan("DE", "49", "0", ("151", "152", "157", "160", "176"), 11, (3, 8), mobile=True),
        PhonePlan("DE", "49", "0", ("30",), 10, (2, 4, 4), mobile=False, first_digit_min=2),
        PhonePlan("DE", "49", "0", ("89",), 10, (2, 4, 4), mobile=False, first_digit_min=2),
    ),
    "FR": (
        PhonePlan("FR", "33", "0", ("6", "73", "75", "77"), 9, (1, 2, 2, 2, 2), mobile=True),
        PhonePlan("FR", "33", "0", ("14", "15", "17"), 9, (1, 2, 2, 2, 2), mobile=False),
    ),
    "AU": (
        PhonePlan("AU", "61", "0", ("40", "41", "42", "43", "45", "47"), 9, (3, 3, 3),
                  mobile=True),
        PhonePlan("AU", "61", "0", ("29", "28"), 9, (1, 4, 4), mobile=False),
    ),
    "HK": (
        PhonePlan("HK", "852", "", ("51", "61", "90", "91", "92", "93", "94", "97", "98"), 8,
                  (4, 4), mobile=True),
        PhonePlan("HK", "852", "", ("21", "23", "25", "27"), 8, (4, 4), mobile=False),
    ),
}  # fmt: skip
