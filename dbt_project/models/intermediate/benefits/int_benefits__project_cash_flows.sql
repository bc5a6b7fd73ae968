with

projects as (

    select * from {{ ref('dim_project') }}

),

months as (

    select * from {{ ref('int_strategy__portfolio_months') }}

),

gl_lines as (

    select * from {{ ref('fct_gl_line') }}

),

benefit_months as (

    select * from {{ ref('mart_benefits_realization') }}

),

attribution as (

    select * from {{ ref('bridge_benefit_project') }}

),

project_costs as (

    {{ value_project_month_costs('gl_lines', 'cost_amount') }}

),

project_benefits as (

    select
        attribution.project_id,
        benefit_months.month_start_on,
        sum(benefit_months.realized_value_reporting_amount * attribution.share) as benefit_amount
    from benefit_months
    inner join attribution on benefit_months.benefit_id = attribution.benefit_id
    where benefit_months.is_monetised
    group by attribution.project_id, benefit_months.month_start_on

),

first_costs as (

    select
        project_id,
        min(month_start_on) as first_cost_month_on
    from project_costs
    group by project_id

),

-- the project's first month: its start date's month, or its first posting if that came earlier
first_months as (

    select
        projects.project_id,
        {{ value_earliest(value_month_of('projects.start_on'), 'first_costs.first_cost_month_on') }}
            as first_month_on
    from projects
    left join first_costs on projects.project_id = first_costs.project_id

),

project_months as (

    select
        first_months.project_id,
        months.month_start_on,
        first_months.first_month_on
    from first_months
    inner join months on months.month_start_on >= first_months.first_month_on

),

final as (

    select
        project_months.project_id,
        project_months.month_start_on,
        cast({{ dbt.datediff('project_months.first_month_on', 'project_months.month_start_on', 'month') }}
            as integer) as period_index,
        cast(round(coalesce(project_benefits.benefit_amount, 0), 2) as decimal(18, 2)) as benefit_amount,
        cast(coalesce(project_costs.cost_amount, 0) as decimal(18, 2)) as cost_amount,
        cast(round(coalesce(project_benefits.benefit_amount, 0), 2) as decimal(18, 2))
            - cast(coalesce(project_costs.cost_amount, 0) as decimal(18, 2)) as net_cash_flow_amount
    from project_months
    left join project_costs
        on project_months.project_id = project_costs.project_id
        and project_months.month_start_on = project_costs.month_start_on
    left join project_benefits
        on project_months.project_id = project_benefits.project_id
        and project_months.month_start_on = project_benefits.month_start_on

)

select * from final
