-- Every active project (registry status active or on_hold, not closed) has a recommendation with its
-- reason in mart_value_optimization, and is in every portfolio scenario. Fails with what is missing.
-- Attached to the mart as a blocking check (dagster meta): it gates publication.
{{ config(meta={"dagster": {"ref": {"name": "mart_value_optimization"}}}) }}

with

active_projects as (

    select project_id
    from {{ ref('dim_project') }}
    where status in ('active', 'on_hold')
        and not is_closed

),

recommendations as (

    select project_id
    from {{ ref('mart_value_optimization') }}
    where recommendation is not null
        and recommendation_reason is not null

),

scenarios as (

    select scenario from {{ ref('int_portfolio__scenarios') }}

),

scenario_rows as (

    select scenario, project_id from {{ ref('mart_portfolio_scenarios') }}

),

final as (

    select 'no recommendation' as problem, cast(null as {{ dbt.type_string() }}) as scenario, active_projects.project_id
    from active_projects
    left join recommendations on active_projects.project_id = recommendations.project_id
    where recommendations.project_id is null

    union all

    select 'not in the scenario' as problem, scenarios.scenario, active_projects.project_id
    from scenarios
    cross join active_projects
    left join scenario_rows
        on scenarios.scenario = scenario_rows.scenario
        and active_projects.project_id = scenario_rows.project_id
    where scenario_rows.project_id is null

)

select * from final
