-- Per portfolio scenario and active project: the best selection within the scenario's budget cap
-- (int_portfolio__scenario_selections, solved exactly), with the project's marginal case and the
-- scenario's totals.

with

selections as (

    select * from {{ ref('int_portfolio__scenario_selections') }}

),

scenarios as (

    select * from {{ ref('int_portfolio__scenarios') }}

),

projects as (

    select * from {{ ref('mart_value_optimization') }}

),

joined as (

    select
        selections.scenario,
        scenarios.description as scenario_description,
        scenarios.scenario_source,
        projects.as_of_month_on,
        projects.horizon_months,
        scenarios.budget_cap_amount,
        scenarios.is_alignment_weighted,
        cast(selections.solver as {{ dbt.type_string() }}) as solver,
        cast(selections.solver_status as {{ dbt.type_string() }}) as solver_status,
        cast(selections.solver_status as {{ dbt.type_string() }}) = 'optimal' as is_feasible,
        cast(nullif(selections.scenario_message, '') as {{ dbt.type_string() }}) as scenario_message,
        selections.project_id,
        projects.project_name,
        projects.is_mandatory,
        selections.is_selected,
        cast(selections.selection_reason as {{ dbt.type_string() }}) as selection_reason,
        projects.recommendation,
        projects.horizon_cost_amount,
        projects.marginal_npv_amount,
        projects.alignment_score,
        projects.reporting_currency
    from selections
    inner join scenarios on selections.scenario = scenarios.scenario
    inner join projects on selections.project_id = projects.project_id

),

totals as (

    select
        *,
        sum(case when is_selected then horizon_cost_amount else 0 end) over (partition by scenario)
            as scenario_selected_cost_amount,
        sum(case when is_selected then marginal_npv_amount else 0 end) over (partition by scenario)
            as scenario_selected_npv_amount,
        sum(case when is_selected then 1 else 0 end) over (partition by scenario) as scenario_selected_project_count
    from joined

),

final as (

    select
        scenario,
        scenario_description,
        scenario_source,
        as_of_month_on,
        cast(horizon_months as integer) as horizon_months,
        cast(budget_cap_amount as decimal(18, 2)) as budget_cap_amount,
        is_alignment_weighted,
        solver,
        solver_status,
        is_feasible,
        scenario_message,
        cast(scenario_selected_cost_amount as decimal(18, 2)) as scenario_selected_cost_amount,
        cast(scenario_selected_npv_amount as decimal(18, 2)) as scenario_selected_npv_amount,
        cast(scenario_selected_project_count as integer) as scenario_selected_project_count,
        project_id,
        project_name,
        is_mandatory,
        is_selected,
        selection_reason,
        recommendation,
        cast(horizon_cost_amount as decimal(18, 2)) as horizon_cost_amount,
        cast(marginal_npv_amount as decimal(18, 2)) as marginal_npv_amount,
        cast(alignment_score as double) as alignment_score,
        reporting_currency
    from totals

)

select * from final
