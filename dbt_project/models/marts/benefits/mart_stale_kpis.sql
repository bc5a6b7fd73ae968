-- The KPIs whose monthly reading is overdue: one row per KPI and the benefit version it measures
-- (benefit, name, owner as mart_benefits_realization gives them), with the months a reading was due
-- and none arrived (is_stale), through the portfolio's as-of month.

with

benefit_months as (

    select * from {{ ref('mart_benefits_realization') }}

),

final as (

    select
        kpi_id,
        benefit_id,
        benefit_name,
        benefit_owner,
        cast(count(*) as integer) as stale_month_count,
        min(month_start_on) as first_stale_month_on,
        max(month_start_on) as last_stale_month_on,
        string_agg(strftime(month_start_on, '%Y-%m'), ', ' order by month_start_on) as stale_months
    from benefit_months
    where is_stale
    group by kpi_id, benefit_id, benefit_name, benefit_owner

)

select * from final
