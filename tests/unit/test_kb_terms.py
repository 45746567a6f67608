from __future__ import annotations

from agentdesk.service.kb_terms import (
    Group,
    fts5_query,
    index_terms,
    long_runs,
    query_groups,
    snippet,
    tsquery,
)


def test_the_search_column_has_words_pairs_characters_and_latin_words() -> None:
    terms = index_terms("信用卡", "Visa 信用卡被拒").split()
    assert terms.count("信用卡") == 3  # jieba's word: twice for the title, once in the body
    for term in ("信用", "用卡", "卡被", "被拒", "信", "拒", "visa"):
        assert term in terms
    assert "Visa" not in terms


def test_a_query_requires_pairs_and_offers_the_longer_word() -> None:
    groups = query_groups("信用卡 退 Refund")
    assert groups == [Group(("信用", "用卡"), ("信用卡",)), Group(("退",)), Group(("refund",))]
    assert fts5_query(groups) == '(("信用" AND "用卡") OR "信用卡") AND (("退")) AND (("refund"))'
    assert tsquery(groups) == "(('信用' & '用卡') | '信用卡') & (('退')) & (('refund'))"
    assert query_groups("!!! ...") == []
    assert long_runs("信用卡 退款 退") == ["信用卡"]


def test_snippets_mark_the_terms_and_escape_the_rest() -> None:
    text = "# 标题\n\n" + "前文" * 40 + "客户申请 5 < 6 & 7 退款，refund 可以。"
    piece = snippet(text, "退款 REFUND")
    assert "<mark>退款</mark>" in piece and "<mark>refund</mark>" in piece
    assert "5 &lt; 6 &amp; 7" in piece and piece.startswith("…")
    assert snippet("没有匹配", "退款") == "没有匹配"
