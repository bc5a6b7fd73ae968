-- The portfolio's spend over all its months and the part of it serving no objective, in one row:
-- the sums of mart_strategic_alignment's monthly portfolio columns (they repeat on every objective
-- row of a month), and the latest month's unaligned share. No row when there is no month.

with

alignment as (

    select * from {{ ref('mart_strategic_alignment') }}

),

portfolio_months as (

    select
        month_start_on,
        any_value(portfolio_spend_amount) as spend_amount,
        any_value(portfolio_unaligned_spend_amount) as unaligned_spend_amount,
        any_value(portfolio_unaligned_spend_share) as unaligned_spend_share,
        any_value(reporting_currency) as reporting_currency
    from alignment
    group by month_start_on

),

latest_month as (

    select
        month_start_on,
        unaligned_spend_share
    from portfolio_months
    qualify row_number() over (order by month_start_on desc) = 1

),

totals as (

    select
        min(month_start_on) as first_month_start_on,
        max(month_start_on) as last_month_start_on,
        cast(count(*) as integer) as month_count,
        sum(spend_amount) as spend_amount,
        sum(unaligned_spend_amount) as unaligned_spend_amount,
        any_value(reporting_currency) as reporting_currency
    from portfolio_months
    having count(*) > 0

),

final as (

    select
        totals.first_month_start_on,
        totals.last_month_start_on,
        totals.month_count,
        cast(totals.spend_amount as decimal(18, 2)) as portfolio_spend_amount,
        cast(totals.unaligned_spend_amount as decimal(18, 2)) as portfolio_unaligned_spend_amount,
        cast(totals.unaligned_spend_amount / nullif(totals.spend_amount, 0) as double)
            as unaligned_spend_ratio,
        cast(latest_month.unaligned_spend_share as double) as last_month_unaligned_spend_ratio,
        totals.reporting_currency
    from totals
    cross join latest_month

)

select * from final
