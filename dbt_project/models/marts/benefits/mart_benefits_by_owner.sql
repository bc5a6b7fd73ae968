with

benefit_months as (

    select * from {{ ref('mart_benefits_realization') }}

),

owner_months as (

    select
        coalesce(benefit_owner, 'unassigned') as benefit_owner,
        month_start_on,
        month_end_on,
        count(*) as benefit_count,
        count(case when is_after_project_close then 1 end) as benefits_after_close_count,
        sum(planned_value_reporting_amount) as planned_amount,
        sum(realized_value_reporting_amount) as realized_amount,
        sum(case when is_after_project_close then planned_value_reporting_amount end) as planned_after_close_amount,
        sum(case when is_after_project_close then realized_value_reporting_amount end) as realized_after_close_amount
    from benefit_months
    where is_monetised
    group by coalesce(benefit_owner, 'unassigned'), month_start_on, month_end_on

),

cumulated as (

    select
        *,
        sum(coalesce(planned_amount, 0)) over owner_to_date as cumulative_planned_amount,
        sum(coalesce(realized_amount, 0)) over owner_to_date as cumulative_realized_amount,
        sum(coalesce(planned_after_close_amount, 0)) over owner_to_date as cumulative_planned_after_close_amount,
        sum(coalesce(realized_after_close_amount, 0)) over owner_to_date as cumulative_realized_after_close_amount
    from owner_months
    window owner_to_date as (
        partition by benefit_owner order by month_start_on rows between unbounded preceding and current row
    )

),

final as (

    select
        benefit_owner,
        month_start_on,
        month_end_on,
        cast(benefit_count as integer) as benefit_count,
        cast(benefits_after_close_count as integer) as benefits_after_close_count,
        cast(coalesce(planned_amount, 0) as decimal(18, 2)) as planned_value_reporting_amount,
        cast(coalesce(realized_amount, 0) as decimal(18, 2)) as realized_value_reporting_amount,
        cast(coalesce(planned_after_close_amount, 0) as decimal(18, 2))
            as planned_value_after_close_reporting_amount,
        cast(coalesce(realized_after_close_amount, 0) as decimal(18, 2))
            as realized_value_after_close_reporting_amount,
        cast(cumulative_planned_amount as decimal(18, 2)) as cumulative_planned_value_reporting_amount,
        cast(cumulative_realized_amount as decimal(18, 2)) as cumulative_realized_value_reporting_amount,
        cast(cumulative_planned_after_close_amount as decimal(18, 2))
            as cumulative_planned_value_after_close_reporting_amount,
        cast(cumulative_realized_after_close_amount as decimal(18, 2))
            as cumulative_realized_value_after_close_reporting_amount,
        '{{ var("reporting_currency") }}' as reporting_currency
    from cumulated

)

select * from final
