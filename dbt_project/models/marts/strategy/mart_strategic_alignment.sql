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

-- actual cost lines: GL postings, and internal labour when var labour_cost_in_ac is true
cost_lines as (

    {{ value_actual_cost_lines() }}

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

-- every objective ever named (its latest version), so that no aligned amount lands on a missing row
objective_versions as (

    select *
    from objectives
    qualify row_number() over (partition by objective_id order by version_number desc) = 1

),

-- spend: actual cost of the month (a flow): GL postings plus counted labour (value_actual_cost_lines)
project_spend as (

    select project_costs.*
    from ({{ value_project_month_costs('cost_lines', 'spend_amount') }}) as project_costs
    inner join months on project_costs.month_start_on = months.month_start_on

),

-- EV: a stock, the cumulative EV at the latest status date up to the month's end
project_earned as (

    select
        evm.project_id,
        evm.month_start_on,
        evm.ev_amount
    from evm
    inner join months on evm.month_start_on = months.month_start_on
    where evm.ev_amount is not null

),

-- realized benefit value attributed to projects (dis-benefits negative); a benefit whose register
-- version names a known objective goes to it, any other follows its projects' weights
attributed_benefits as (

    select
        attribution.project_id,
        benefit_months.month_start_on,
        named_objectives.objective_id as named_objective_id,
        benefit_months.realized_value_reporting_amount * attribution.share as benefit_amount
    from benefit_months
    inner join attribution on benefit_months.benefit_id = attribution.benefit_id
    inner join months on benefit_months.month_start_on = months.month_start_on
    left join objective_versions as named_objectives
        on benefit_months.objective_id = named_objectives.objective_id
    where benefit_months.realized_value_reporting_amount is not null

),

project_benefits as (

    select
        project_id,
        month_start_on,
        sum(benefit_amount) as benefit_amount
    from attributed_benefits
    where named_objective_id is null
    group by project_id, month_start_on

),

named_objective_benefits as (

    select
        named_objective_id as objective_id,
        month_start_on,
        sum(benefit_amount) as benefit_amount
    from attributed_benefits
    where named_objective_id is not null
    group by named_objective_id, month_start_on

),

-- a project's weights of the month, scaled down pro rata when they sum above 1 (a template error
-- flagged in mart_reconciliation), so that aligned + unaligned = total holds for every measure
project_total_weights as (

    select
        project_id,
        month_start_on,
        sum(weight) as total_weight
    from project_weights
    group by project_id, month_start_on

),

applied_weights as (

    select
        project_weights.project_id,
        project_weights.objective_id,
        project_weights.month_start_on,
        project_weights.weight,
        project_weights.weight
            / (case when project_total_weights.total_weight > 1 then project_total_weights.total_weight else 1 end)
            as applied_weight
    from project_weights
    inner join project_total_weights
        on project_weights.project_id = project_total_weights.project_id
        and project_weights.month_start_on = project_total_weights.month_start_on

),

-- 1 - sum of weights (0 when they sum to 1 or more): the unaligned part of a project's month
unaligned_fractions as (

    select
        project_id,
        month_start_on,
        case when total_weight < 1 then 1 - total_weight else 0 end as unaligned_fraction
    from project_total_weights

),

weighted as (

    select
        applied_weights.objective_id,
        applied_weights.month_start_on,
        applied_weights.project_id,
        applied_weights.weight,
        coalesce(project_spend.spend_amount, 0) * applied_weights.applied_weight as spend_amount,
        coalesce(project_earned.ev_amount, 0) * applied_weights.applied_weight as ev_amount,
        coalesce(project_benefits.benefit_amount, 0) * applied_weights.applied_weight as benefit_amount
    from applied_weights
    left join project_spend
        on applied_weights.project_id = project_spend.project_id
        and applied_weights.month_start_on = project_spend.month_start_on
    left join project_earned
        on applied_weights.project_id = project_earned.project_id
        and applied_weights.month_start_on = project_earned.month_start_on
    left join project_benefits
        on applied_weights.project_id = project_benefits.project_id
        and applied_weights.month_start_on = project_benefits.month_start_on

),

aligned as (

    select
        objective_id,
        month_start_on,
        max(projects_aligned) as projects_aligned,
        max(sum_of_weights) as sum_of_weights,
        sum(spend_amount) as aligned_spend_amount,
        sum(ev_amount) as aligned_ev_amount,
        sum(benefit_amount) as aligned_realized_benefit_amount
    from (
        select
            objective_id,
            month_start_on,
            count(distinct case when weight > 0 then project_id end) as projects_aligned,
            sum(weight) as sum_of_weights,
            sum(spend_amount) as spend_amount,
            sum(ev_amount) as ev_amount,
            sum(benefit_amount) as benefit_amount
        from weighted
        group by objective_id, month_start_on
        union all
        select
            objective_id,
            month_start_on,
            0 as projects_aligned,
            0 as sum_of_weights,
            0 as spend_amount,
            0 as ev_amount,
            benefit_amount
        from named_objective_benefits
    ) as contributions
    group by objective_id, month_start_on

),

-- per project and month: each measure's total and its unaligned part
project_measures as (

    select project_id, month_start_on, spend_amount, 0 as ev_amount, 0 as benefit_amount
    from project_spend
    union all
    select project_id, month_start_on, 0, ev_amount, 0
    from project_earned
    union all
    select project_id, month_start_on, 0, 0, benefit_amount
    from project_benefits

),

portfolio as (

    select
        months.month_start_on,
        sum(coalesce(project_measures.spend_amount, 0)) as total_spend_amount,
        sum(coalesce(project_measures.spend_amount, 0) * coalesce(unaligned_fractions.unaligned_fraction, 1))
            as unaligned_spend_amount,
        sum(coalesce(project_measures.ev_amount, 0)) as total_ev_amount,
        sum(coalesce(project_measures.ev_amount, 0) * coalesce(unaligned_fractions.unaligned_fraction, 1))
            as unaligned_ev_amount,
        sum(coalesce(project_measures.benefit_amount, 0)) as weighted_benefit_amount,
        sum(coalesce(project_measures.benefit_amount, 0) * coalesce(unaligned_fractions.unaligned_fraction, 1))
            as unaligned_benefit_amount
    from months
    left join project_measures on months.month_start_on = project_measures.month_start_on
    left join unaligned_fractions
        on project_measures.project_id = unaligned_fractions.project_id
        and project_measures.month_start_on = unaligned_fractions.month_start_on
    group by months.month_start_on

),

named_totals as (

    select
        month_start_on,
        sum(benefit_amount) as named_benefit_amount
    from named_objective_benefits
    group by month_start_on

),

objective_months as (

    select
        objective_versions.objective_id,
        objective_versions.objective_name,
        objective_versions.objective_level,
        objective_versions.parent_objective_id,
        objective_versions.is_current as is_current_objective,
        months.month_start_on,
        months.month_end_on
    from objective_versions
    cross join months

),

final as (

    select
        objective_months.objective_id,
        objective_months.month_start_on,
        objective_months.month_end_on,
        objective_months.objective_name,
        objective_months.objective_level,
        objective_months.parent_objective_id,
        objective_months.is_current_objective,
        cast(coalesce(aligned.projects_aligned, 0) as integer) as projects_aligned,
        cast(coalesce(aligned.sum_of_weights, 0) as double) as sum_of_weights,
        cast(round(coalesce(aligned.aligned_spend_amount, 0), 2) as decimal(18, 2)) as aligned_spend_amount,
        cast(round(coalesce(aligned.aligned_ev_amount, 0), 2) as decimal(18, 2)) as aligned_ev_amount,
        cast(round(coalesce(aligned.aligned_realized_benefit_amount, 0), 2) as decimal(18, 2))
            as aligned_realized_benefit_amount,
        cast(round(portfolio.total_spend_amount, 2) as decimal(18, 2)) as portfolio_spend_amount,
        cast(round(portfolio.unaligned_spend_amount, 2) as decimal(18, 2)) as portfolio_unaligned_spend_amount,
        cast(round(portfolio.total_ev_amount, 2) as decimal(18, 2)) as portfolio_ev_amount,
        cast(round(portfolio.unaligned_ev_amount, 2) as decimal(18, 2)) as portfolio_unaligned_ev_amount,
        cast(round(portfolio.weighted_benefit_amount + coalesce(named_totals.named_benefit_amount, 0), 2)
            as decimal(18, 2)) as portfolio_realized_benefit_amount,
        cast(round(portfolio.unaligned_benefit_amount, 2) as decimal(18, 2))
            as portfolio_unaligned_realized_benefit_amount,
        cast(coalesce(aligned.aligned_spend_amount, 0) / nullif(portfolio.total_spend_amount, 0) as double)
            as aligned_spend_share,
        cast(portfolio.unaligned_spend_amount / nullif(portfolio.total_spend_amount, 0) as double)
            as portfolio_unaligned_spend_share,
        '{{ var("reporting_currency") }}' as reporting_currency
    from objective_months
    left join aligned
        on objective_months.objective_id = aligned.objective_id
        and objective_months.month_start_on = aligned.month_start_on
    left join portfolio on objective_months.month_start_on = portfolio.month_start_on
    left join named_totals on objective_months.month_start_on = named_totals.month_start_on

)

select * from final
