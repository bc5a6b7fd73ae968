-- The efficient frontier (int_portfolio__frontier: the best total marginal NPV at each budget level)
-- and, as one more point, the current portfolio: every active project continuing.

with

frontier as (

    select * from {{ ref('int_portfolio__frontier') }}

),

projects as (

    select * from {{ ref('mart_value_optimization') }}

),

as_of as (

    select * from {{ ref('int_portfolio__as_of') }}

),

frontier_points as (

    select
        'frontier' as point_kind,
        cast(level as integer) as level,
        cast(budget_cap_amount as decimal(18, 2)) as budget_cap_amount,
        solver_status,
        cast(selected_project_count as integer) as project_count,
        cast(selected_cost_amount as decimal(18, 2)) as horizon_cost_amount,
        cast(selected_npv_amount as decimal(18, 2)) as marginal_npv_amount,
        selected_project_ids as project_ids
    from frontier

),

current_portfolio as (

    select
        'current_portfolio' as point_kind,
        cast(null as integer) as level,
        cast(null as decimal(18, 2)) as budget_cap_amount,
        cast(null as {{ dbt.type_string() }}) as solver_status,
        cast(count(*) as integer) as project_count,
        cast(coalesce(sum(horizon_cost_amount), 0) as decimal(18, 2)) as horizon_cost_amount,
        cast(coalesce(sum(marginal_npv_amount), 0) as decimal(18, 2)) as marginal_npv_amount,
        {{ dbt.listagg('project_id', "';'", "order by project_id") }} as project_ids
    from projects

),

points as (

    select * from frontier_points
    union all
    select * from current_portfolio

),

final as (

    select
        points.point_kind,
        points.level,
        as_of.as_of_month_on,
        cast({{ var('optimize_horizon_months') }} as integer) as horizon_months,
        {{ var('optimize_alignment_weighted') }} as is_alignment_weighted,
        points.budget_cap_amount,
        points.solver_status,
        points.project_count,
        points.horizon_cost_amount,
        points.marginal_npv_amount,
        points.project_ids,
        '{{ var("reporting_currency") }}' as reporting_currency
    from points
    cross join as_of

)

select * from final
