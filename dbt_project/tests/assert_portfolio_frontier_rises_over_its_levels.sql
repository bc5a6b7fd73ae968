-- The frontier has var optimize_frontier_levels levels from the mandatory minimum to everything, and
-- more budget never buys less marginal NPV; the current portfolio (every active project) lies on or
-- below the frontier's top. Fails with the offending rows.
-- Attached to the mart as a blocking check (dagster meta): it gates publication.
{{ config(meta={"dagster": {"ref": {"name": "mart_portfolio_frontier"}}}) }}

with

frontier as (

    select * from {{ ref('mart_portfolio_frontier') }}
    where point_kind = 'frontier'

),

current_portfolio as (

    select * from {{ ref('mart_portfolio_frontier') }}
    where point_kind = 'current_portfolio'

),

stepped as (

    select
        level,
        marginal_npv_amount,
        lag(marginal_npv_amount) over (order by level) as previous_npv_amount
    from frontier

),

final as (

    select 'less value than the level below' as problem, level
    from stepped
    where marginal_npv_amount < previous_npv_amount

    union all

    select 'not ' || cast({{ var('optimize_frontier_levels') }} as {{ dbt.type_string() }}) || ' levels' as problem,
        cast(count(*) as integer) as level
    from frontier
    having count(*) <> {{ var('optimize_frontier_levels') }}

    union all

    select 'current portfolio above the frontier' as problem, cast(null as integer) as level
    from current_portfolio
    where current_portfolio.marginal_npv_amount > (select max(marginal_npv_amount) from frontier) + 0.01

)

select * from final
