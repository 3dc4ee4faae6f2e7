"""Rule model of the NEC SupportPack サービス実施条件 family.

The deadlines a customer must meet to be served (registration, notices of change), the windows
NEC commits to (refusal notice, re-performance) and the confidentiality and claim periods. The
items of 第1条 and 第9条第1項 are addressed by their ordinal ((1) → item 1).
"""

from __future__ import annotations

from pipeline.rules import Parameter, RuleModel, Select, period

RULES = RuleModel(
    name="nec",
    family="nec",
    description="NEC SupportPack サービス実施条件: deadlines and periods customers rely on",
    parameters=[
        Parameter(
            name="registration_deadline_days",
            description="第1条(1): register customer and product within this period of purchase",
            select=Select(article="1", title="登録", contains="登録申請", item=1),
            near="購入日",
            window=20,
            expect=period(30, "day", bound="within"),
        ),
        Parameter(
            name="express5800_registration_deadline",
            description="第1条(2): register an Express5800 server within this period of purchase",
            select=Select(article="1", title="登録", contains="Express5800", item=2),
            near="購入日",
            window=20,
            expect=period(6, "month", bound="within"),
        ),
        Parameter(
            name="refusal_notice_days",
            description="第1条(4): NEC notifies a refusal within this period of the application",
            select=Select(article="1", title="登録", contains="承諾拒絶", item=4),
            near="受け取った日から",
            window=10,
            expect=period(30, "day", bound="within"),
        ),
        Parameter(
            name="change_notice_days",
            description="第1条(5): the customer notifies changes this long before they take effect",
            select=Select(article="1", title="登録", contains="変更日の", item=5),
            near="変更日の",
            window=10,
            expect=period(30, "day", bound="before"),
        ),
        Parameter(
            name="no_refund_return_window_days",
            description="第2条: a pack is refunded only if returned within this period of purchase",
            select=Select(article="2", title="代金の不返金", contains="返却"),
            near="購入日",
            window=20,
            expect=period(14, "day", bound="within"),
        ),
        Parameter(
            name="defect_recurrence_window",
            description="第7条第1項: a recurrence within this period of service is a defect",
            select=Select(article="7", title="責任の制限", contains="再実施", paragraph=1),
            near="再発",
            window=20,
            expect=period(3, "month", bound="within"),
        ),
        Parameter(
            name="reperformance_period_after_end",
            description="第7条第1項: NEC re-performs for this long after the service period ends",
            select=Select(article="7", title="責任の制限", contains="再実施", paragraph=1),
            near="終了した日から",
            window=10,
            expect=period(1, "year", bound="for"),
        ),
        Parameter(
            name="confidentiality_period",
            description="第9条第1項: secrets are kept this long after receipt",
            select=Select(article="9", title="秘密保持義務", contains="秘密情報", paragraph=1),
            near="受領後",
            window=10,
            expect=period(3, "year", bound="for"),
        ),
        Parameter(
            name="oral_disclosure_record_days",
            description="第9条第1項(2): oral disclosures count if put in writing in time",
            select=Select(article="9", title="秘密保持義務", contains="口頭", paragraph=1, item=2),
            near="開示後",
            window=10,
            expect=period(14, "day", bound="within"),
        ),
        Parameter(
            name="damages_claim_window",
            description="第15条第4項: a damages claim must be made within this period",
            select=Select(article="15", title="損害賠償", contains="知り得た時から", paragraph=4),
            near="知り得た時から",
            window=10,
            expect=period(1, "year", bound="within"),
        ),
    ],
)
