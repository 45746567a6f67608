"""Knowledge-base search in Chinese on both engines: one- and two-character terms, Chinese
mixed with English, traditional and simplified kept apart, ranking, highlighted snippets;
the ``kb`` commands' JSON and exit codes."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.service import kb
from agentdesk.service.kb import ArticleText, import_articles, search

ARTICLES = {
    "refund": ("退款流程", "客户申请退款时，先核对订单号。Refund within 7 days of delivery."),
    "card": ("信用卡付款失败", "信用卡被拒：请客户联系发卡银行，或改用支付宝付款。"),
    "traditional": ("帳戶退費", "繁體中文：帳戶退費需要主管核准，信用卡退費約五個工作天。"),
    "simplified": ("账户冻结", "账户被冻结时请联系风控部门，提供身份证明。"),
    "phone": ("iPhone 无法开机", "长按电源键十秒；仍无法开机请预约维修 repair。"),
    "meeting": ("会议室预订", "用卡片在前台预订会议室；信用记录与此无关。"),
}


def _load(sessions: sessionmaker[Session]) -> None:
    articles = [
        ArticleText(title, body, "客服/" + key, None, f"test:{key}")
        for key, (title, body) in ARTICLES.items()
    ]
    summary = import_articles(sessions, articles, agent=None)
    assert summary.added == len(ARTICLES)


def titles(sessions: sessionmaker[Session], query: str) -> list[str]:
    return [hit.title for hit in search(sessions, query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("退款", {"退款流程"}),  # two characters
        ("冻", {"账户冻结"}),  # one character
        ("款", {"退款流程", "信用卡付款失败"}),
        ("帳戶", {"帳戶退費"}),  # traditional finds traditional only
        ("账户", {"账户冻结"}),  # simplified finds simplified only
        ("退費", {"帳戶退費"}),
        ("退费", set()),
        ("REFUND 订单", {"退款流程"}),  # mixed, Latin case-insensitive
        ("iphone 开机", {"iPhone 无法开机"}),
        ("repair", {"iPhone 无法开机"}),
        ("信用卡", {"信用卡付款失败", "帳戶退費"}),
        ("不存在的词", set()),
        ("退款 zzz", set()),
    ],
)
def test_chinese_terms_are_found_on_both_engines(
    sessions: sessionmaker[Session], query: str, expected: set[str]
) -> None:
    _load(sessions)
    assert set(titles(sessions, query)) == expected


def test_ranking_and_highlighted_snippets(sessions: sessionmaker[Session]) -> None:
    _load(sessions)
    # the title's 信用卡 (written twice in the column) ranks first; 会议室预订, where 信用 and
    # 用卡 only meet by chance (用卡片, 信用记录), is not a hit
    hits = search(sessions, "信用卡")
    assert [h.title for h in hits] == ["信用卡付款失败", "帳戶退費"]
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))
    refund = search(sessions, "退款 refund")[0]
    assert refund.topic == "客服/refund"
    assert "<mark>退款</mark>" in refund.snippet and "<mark>Refund</mark>" in refund.snippet
    one = search(sessions, "冻")[0]
    assert one.snippet.startswith("账户被<mark>冻</mark>结")


def test_reimport_makes_a_new_revision_not_a_copy(sessions: sessionmaker[Session]) -> None:
    _load(sessions)
    changed = ArticleText("退款流程", "新的退款规定：三十天内可退货。", "客服/refund", None,
                          "test:refund")  # fmt: skip
    summary = import_articles(sessions, [changed], agent=None)
    assert (summary.added, summary.revised) == (0, 1)
    assert titles(sessions, "退货") == ["退款流程"]
    assert titles(sessions, "订单") == []  # the old text is gone from the index


def test_kb_commands(capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    (folder / "账务" / "退款").mkdir(parents=True)
    (folder / "账务" / "退款" / "refund.md").write_text(
        "Intro line\n# 退款规则\n\n七天无理由退款，refund 需要订单号。\n", encoding="utf-8"
    )
    (folder / "没有标题.md").write_text("只有正文，没有标题。\n", encoding="gb18030")
    (folder / "faq.csv").write_text(
        "title,body,topic\n发票,电子发票在订单页下载。,账务\n", encoding="utf-8-sig"
    )
    code = main(["--db", db_url, "kb", "import", str(folder), "--json"])
    out = capsys.readouterr().out
    assert code == 0 and json.loads(out) == {"added": 3, "revised": 0}

    def found(query: str) -> list[dict[str, object]]:
        code = main(["--db", db_url, "kb", "search", query, "--json"])
        result = json.loads(capsys.readouterr().out)
        assert code == 0 and list(result) == ["results"]
        return list(result["results"])

    hits = found("退款")
    assert [(h["title"], h["topic"]) for h in hits] == [("退款规则", "账务/退款")]
    assert set(hits[0]) == {"id", "title", "topic", "score", "snippet"}
    assert [h["title"] for h in found("标题")] == ["没有标题"]  # no heading: the file's name
    assert [h["title"] for h in found("订单")] == ["退款规则", "发票"] or {
        h["title"] for h in found("订单")
    } == {"退款规则", "发票"}
    assert found("没有这个") == []
    code = main(["--db", db_url, "kb", "search", "退款"])
    assert code == 0 and "[退款]" in capsys.readouterr().out
    code = main(["--db", db_url, "kb", "import", str(tmp_path / "missing.md")])
    assert code == 2 and "file not found" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("name,text\nx,y\n", encoding="utf-8")
    code = main(["--db", db_url, "kb", "import", str(bad)])
    assert code == 2 and "needs the columns title and body" in capsys.readouterr().err


def test_drafts_and_deleted_articles_are_not_found(sessions: sessionmaker[Session]) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import update

    from agentdesk.db.engine import unit_of_work
    from agentdesk.service.models import Article

    _load(sessions)

    def change(**values: object) -> None:
        with unit_of_work(sessions) as s:
            s.execute(update(Article).where(Article.source == "test:refund").values(**values))

    change(status="draft")
    assert titles(sessions, "退款") == []
    change(status="published")
    assert titles(sessions, "退款") == ["退款流程"]
    change(deleted_at=datetime.now(UTC))
    assert titles(sessions, "退款") == []


def test_a_common_term_ranks_a_bounded_set_of_matches(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = [
        ArticleText(f"说明{n}", "客" * (1 + n % 3) + "服务说明。", None, None, f"w:{n}")
        for n in range(8)
    ]
    for article in articles:  # one at a time: each later article is newer
        import_articles(sessions, [article], agent=None)
    every = [hit.title for hit in search(sessions, "客")]
    assert set(every) == {f"说明{n}" for n in range(8)}  # fewer matches than the window: all
    monkeypatch.setattr(kb, "WINDOW", 3)
    bounded = [hit.title for hit in search(sessions, "客")]
    assert len(bounded) == 3 and set(bounded) < set(every)
    if sessions.kw["bind"].dialect.name == "sqlite":
        assert set(bounded) == {"说明5", "说明6", "说明7"}  # the newest
    # a term the window still covers in full is ranked as before
    assert [hit.title for hit in search(sessions, "说明7")] == ["说明7"]
