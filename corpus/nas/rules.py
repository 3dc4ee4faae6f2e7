"""Rule model of the NAS サービス契約約款 family (日経統合システム, Ver1.6 as read).

Every period, rate and fraction a customer or an integrating system depends on: the contract
term and its renewal, notice periods, late-payment interest, outage credits, proration and
rounding, damages limits and the windows for objections and claims. Each parameter names its
article by number and by title, so a renumbered article is still found.
"""

from __future__ import annotations

from pipeline.rules import Parameter, RuleModel, Select, amount, fraction, percentage, period

RULES = RuleModel(
    name="nas",
    family="nas",
    description="日経統合システム(NAS)サービス契約約款: what customers and billing rely on",
    parameters=[
        Parameter(
            name="antisocial_forces_exclusion_period",
            description="第2条 反社会的勢力: a former gang member counts until 5 years have passed",
            select=Select(article="2", title="用語の定義", contains="反社会的勢力"),
            near="暴力団員でなくなった",
            expect=period(5, "year", bound="not_elapsed"),
        ),
        Parameter(
            name="minimum_term",
            description="第4条第1項 最短利用期間: the minimum term, counted from 利用開始日",
            select=Select(article="4", title="利用期間", contains="最短利用期間", paragraph=1),
            near="起算して",
            window=10,
            expect=period(1, "year", bound="for"),
        ),
        Parameter(
            name="default_term",
            description="第4条第3項: the term when the contract sets no end date",
            select=Select(article="4", title="利用期間", contains="自動的に更新", paragraph=3),
            near="利用開始日から",
            window=10,
            expect=period(1, "year", bound="for"),
        ),
        Parameter(
            name="auto_renewal_period",
            description="第4条第3項: the contract renews itself by this period, again and again",
            select=Select(article="4", title="利用期間", contains="自動的に更新", paragraph=3),
            near="自動的に更新",
            window=10,
            expect=period(1, "year", bound="for"),
        ),
        Parameter(
            name="succession_notice_period",
            description="第9条第1項: notice of a succession (merger etc.) within this period",
            select=Select(
                article="9", title="契約者の地位の承継", contains="承継の日から", paragraph=1
            ),
            near="承継の日から",
            window=10,
            expect=period(30, "day", bound="within"),
        ),
        Parameter(
            name="service_abolition_notice_period",
            description="第14条第3項: NAS notifies the abolition of a service at least this early",
            select=Select(
                article="14", title="サービス提供の廃止", contains="廃止日の", paragraph=3
            ),
            near="廃止日の",
            window=10,
            expect=period(3, "month", bound="before"),
        ),
        Parameter(
            name="termination_notice_period",
            description="第16条第1項: the customer's written notice before cancelling",
            select=Select(
                article="16", title="契約者が行う利用契約の解除", contains="書面にて", paragraph=1
            ),
            near="書面にて",
            expect=period(3, "month", bound="before"),
        ),
        Parameter(
            name="daily_proration_fraction",
            description="第22条第2項 日割計算: per day of use, this fraction of the monthly fee",
            select=Select(
                article="22", title="利用料金の計算方法", contains="日割計算", paragraph=2
            ),
            expect=fraction(1, 30),
        ),
        Parameter(
            name="outage_credit_threshold_hours",
            description="第23条: an outage lasting at least this long entitles to a fee reduction",
            select=Select(
                article="23", contains="減額", title="利用の一時中断等の場合における利用料金の精算"
            ),
            near="連続して",
            window=10,
            expect=period(6, "hour", bound="at_least"),
        ),
        Parameter(
            name="late_payment_interest_rate",
            description="第24条 遅延損害金: interest on late payment, per year",
            select=Select(article="24", title="遅延損害金", contains="遅延損害金"),
            expect=percentage(14.5, basis="year"),
        ),
        Parameter(
            name="rounding_threshold",
            description="第25条 端数処理: fractions of less than this amount are discarded",
            select=Select(article="25", title="端数処理", contains="端数"),
            expect=amount(1, bound="less_than"),
        ),
        Parameter(
            name="damages_outage_threshold_hours",
            description="第32条第1項: an outage lasting at least this long is compensated",
            select=Select(article="32", title="賠償範囲", contains="除した数", paragraph=1),
            near="連続して",
            window=10,
            expect=period(24, "hour", bound="at_least"),
        ),
        Parameter(
            name="damages_hours_divisor",
            description="第32条第1項: the hours of outage are divided by 24 (days of outage)",
            select=Select(article="32", title="賠償範囲", contains="除した数", paragraph=1),
            near="除した",
            window=10,
            expect=fraction(1, 24),
        ),
        Parameter(
            name="damages_daily_fraction",
            description="第32条第1項: per day of outage, this fraction of the monthly fee",
            select=Select(article="32", title="賠償範囲", contains="除した数", paragraph=1),
            near="月額利用料金",
            window=10,
            expect=fraction(1, 30),
        ),
        Parameter(
            name="damages_cap_period",
            description="第32条第2項: damages are capped at the fees paid over this latest period",
            select=Select(article="32", title="賠償範囲", contains="直近", paragraph=2),
            near="直近",
            window=10,
            expect=period(1, "year", bound="for"),
        ),
        Parameter(
            name="damages_claim_window",
            description="第32条第6項: a damages claim lapses unless made within this period",
            select=Select(article="32", title="賠償範囲", contains="その権利を失う", paragraph=6),
            near="経過する日",
            window=10,
            expect=period(6, "month", bound="until"),
        ),
        Parameter(
            name="terms_change_notice_period",
            description="第36条第2項: notice of a change of these terms before it takes effect",
            select=Select(article="36", title="約款の変更", contains="変更日の", paragraph=2),
            near="変更日の",
            window=10,
            expect=period(1, "month", bound="before"),
        ),
        Parameter(
            name="terms_change_objection_window",
            description="第36条第4項: the customer may cancel within this period of the notice",
            select=Select(article="36", title="約款の変更", contains="到達した日から", paragraph=4),
            near="到達した日から",
            window=10,
            expect=period(30, "day", bound="within"),
        ),
    ],
)
