with

objectives as (

    select * from {{ ref('dim_objective') }}

),

months as (

    select * from {{ ref('int_strategy__portfolio_months') }}

),

project_weights as (

    select * from {{ ref('int_strategy__project_objective_months') }}

),

gl_lines as (

    select * from {{ ref('fct_gl_line') }}

),

evm as (

    select * from {{ ref('mart_project_evm') }}

),

benefit_months as (

    select * from {{ ref('mart_benefits_realization') }}

),

attribution as (

    select * from {{ ref('bridge_benefit_project') }}

),

project_spend as (

    {{ value_project_month_costs('gl_lines', 'spend_amount') }}

),

-- earned value added in the month: the month's cumulative EV minus the previous month's
project_earned as (

    select
        project_id,
        month_start_on,
        coalesce(ev_amount, 0)
            - coalesce(lag(ev_amount) over (partition by project_id order by month_start_on), 0)
            as ev_change_amount
    from evm

),

project_benefits as (

    select
        attribution.project_id,
        benefit_months.month_start_on,
        sum(benefit_months.realized_value_reporting_amount * attribution.share) as realized_benefit_amount
    from benefit_months
    inner join attribution on benefit_months.benefit_id = attribution.benefit_id
    group by attribution.project_id, benefit_months.month_start_on

),

project_total_weights as (

    select
        project_id,
        month_start_on,
        sum(weight) as total_weight
    from project_weights
    group by project_id, month_start_on

),

portfolio as (

    select
        project_spend.month_start_on,
        sum(project_spend.spend_amount) as total_spend_amount,
        -- weights above 1 (a template error, see int_reconciliation__value_checks) count as fully aligned
        sum(project_spend.spend_amount * (1 - least(coalesce(project_total_weights.total_weight, 0), 1)))
            as unaligned_spend_amount
    from project_spend
    left join project_total_weights
        on project_spend.project_id = project_total_weights.project_id
        and project_spend.month_start_on = project_total_weights.month_start_on
    group by project_spend.month_start_on

),

aligned as (

    select
        project_weights.objective_id,
        project_weights.month_start_on,
        count(distinct case when project_weights.weight > 0 then project_weights.project_id end)
            as projects_aligned,
        sum(project_weights.weight) as sum_of_weights,
        sum(coalesce(project_spend.spend_amount, 0) * project_weights.weight) as aligned_spend_amount,
        sum(coalesce(project_earned.ev_change_amount, 0) * project_weights.weight) as aligned_ev_amount,
        sum(coalesce(project_benefits.realized_benefit_amount, 0) * project_weights.weight)
            as aligned_realized_benefit_amount
    from project_weights
    left join project_spend
        on project_weights.project_id = project_spend.project_id
        and project_weights.month_start_on = project_spend.month_start_on
    left join project_earned
        on project_weights.project_id = project_earned.project_id
        and project_weights.month_start_on = project_earned.month_start_on
    left join project_benefits
        on project_weights.project_id = project_benefits.project_id
        and project_weights.month_start_on = project_benefits.month_start_on
    group by project_weights.objective_id, project_weights.month_start_on

),

objective_months as (

    select
        objectives.objective_id,
        objectives.objective_name,
        objectives.objective_level,
        objectives.parent_objective_id,
        months.month_start_on,
        months.month_end_on
    from objectives
    cross join months
    where objectives.is_current

),

final as (

    select
        objective_months.objective_id,
        objective_months.month_start_on,
        objective_months.month_end_on,
        objective_months.objective_name,
        objective_months.objective_level,
        objective_months.parent_objective_id,
        cast(coalesce(aligned.projects_aligned, 0) as integer) as projects_aligned,
        cast(coalesce(aligned.sum_of_weights, 0) as double) as sum_of_weights,
        cast(round(coalesce(aligned.aligned_spend_amount, 0), 2) as decimal(18, 2)) as aligned_spend_amount,
        cast(round(coalesce(aligned.aligned_ev_amount, 0), 2) as decimal(18, 2)) as aligned_ev_amount,
        cast(round(coalesce(aligned.aligned_realized_benefit_amount, 0), 2) as decimal(18, 2))
            as aligned_realized_benefit_amount,
        cast(round(coalesce(portfolio.total_spend_amount, 0), 2) as decimal(18, 2)) as portfolio_spend_amount,
        cast(round(coalesce(portfolio.unaligned_spend_amount, 0), 2) as decimal(18, 2))
            as portfolio_unaligned_spend_amount,
        cast(aligned.aligned_spend_amount / nullif(portfolio.total_spend_amount, 0) as double)
            as aligned_spend_share,
        cast(portfolio.unaligned_spend_amount / nullif(portfolio.total_spend_amount, 0) as double)
            as portfolio_unaligned_spend_share,
        '{{ var("reporting_currency") }}' as reporting_currency
    from objective_months
    left join aligned
        on objective_months.objective_id = aligned.objective_id
        and objective_months.month_start_on = aligned.month_start_on
    left join portfolio
        on objective_months.month_start_on = portfolio.month_start_on

)

select * from final
