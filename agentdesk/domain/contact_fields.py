"""The shape of a party's e-mail address and country code: one rule for the form, the services
and CSV import.

Countries are ISO 3166-1 alpha-2 codes as assigned by the ISO 3166 Maintenance Agency (249,
including territories without a telephone plan of their own such as AQ); phonenumbers' region
list would also accept AC, TA and XK, which are not ISO countries. An e-mail address is checked
for its shape only (one ``@``, a domain with a dot and a top-level part of two or more
characters, no spaces): whether the mailbox exists is for mail to find out.
"""

from __future__ import annotations

import re

_ISO_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
"""
ISO_COUNTRIES: frozenset[str] = frozenset(_ISO_CODES.split())

_EMAIL = re.compile(r"[^@\s]+@(?:[^@\s.]+\.)+[^@\s.]{2,}")


def is_country(code: str) -> bool:
    """``code`` (any case) is an ISO 3166-1 alpha-2 country code."""
    return code.upper() in ISO_COUNTRIES


def is_email(text: str) -> bool:
    """``text`` has the shape of an e-mail address (``name@example.com``); its length is the
    column's to check."""
    return _EMAIL.fullmatch(text) is not None
