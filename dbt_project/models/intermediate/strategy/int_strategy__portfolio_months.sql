with

gl_lines as (

    select * from {{ ref('fct_gl_line') }}

),

evm as (

    select * from {{ ref('mart_project_evm') }}

),

-- the portfolio's months: from the first project cost or earned-value month to the latest one
data_months as (

    select {{ value_month_of('posting_on') }} as month_start_on
    from gl_lines
    where project_id is not null
    union all
    select month_start_on
    from evm

),

bounds as (

    select
        min(month_start_on) as first_month_on,
        max(month_start_on) as last_month_on
    from data_months

),

months as (

    {{ value_month_spine('(select first_month_on from bounds)', '(select last_month_on from bounds)') }}

),

final as (

    select
        months.month_start_on,
        {{ value_month_end_of('months.month_start_on') }} as month_end_on,
        months.month_start_on = bounds.last_month_on as is_as_of_month
    from months
    cross join bounds

)

select * from final
