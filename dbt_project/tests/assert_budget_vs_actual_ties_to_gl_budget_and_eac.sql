-- mart_budget_vs_actual ties out, per project: its actual equals the mapped GL lines (plus the
-- counted labour when var labour_cost_in_ac is true) posted up to the as-of month end (reporting
-- currency), its original and current budget equal the budget lines
-- of those versions (future months at the last rate), and its fiscal-year EACs add up to the
-- project's EAC, all to the cent.
-- Fails with the projects that do not tie.
-- Attached to the mart as a blocking check (dagster meta): it gates publication.
{{ config(meta={'dagster': {'ref': {'name': 'mart_budget_vs_actual'}}}) }}

with

mart as (

    select
        project_id,
        sum(actual_amount) as actual_amount,
        sum(original_budget_amount) as original_budget_amount,
        sum(budget_amount) as budget_amount,
        sum(eac_amount) as eac_amount,
        max(project_eac_amount) as project_eac_amount,
        max(budget_version) as budget_version
    from {{ ref('mart_budget_vs_actual') }}
    group by project_id

),

as_of as (

    select * from {{ ref('int_portfolio__as_of') }}

),

gl as (

    select
        gl_lines.project_id,
        sum(gl_lines.reporting_amount) as actual_amount
    from ({{ value_actual_cost_lines() }}) as gl_lines
    cross join as_of
    where gl_lines.posting_on <= as_of.as_of_month_end_on
    group by gl_lines.project_id

),

-- the last rate of each currency: budget months after it convert at it (fct_budget_line leaves
-- them null)
last_rates as (

    select currency, rate_on, rate_to_reporting
    from {{ ref('int_fx__daily_rates') }}
    qualify row_number() over (partition by currency order by rate_on desc) = 1

),

budget_lines as (

    select
        budget_lines.project_id,
        budget_lines.version,
        coalesce(
            budget_lines.reporting_amount,
            case when last_rates.rate_on < budget_lines.budget_month_on
                then cast(round(budget_lines.amount * last_rates.rate_to_reporting, 2) as decimal(18, 2)) end
        ) as reporting_amount
    from {{ ref('fct_budget_line') }} as budget_lines
    left join last_rates on upper(budget_lines.currency) = last_rates.currency
    where budget_lines.project_id is not null

),

budgets as (

    select
        project_id,
        sum(case when version = 'original' then reporting_amount else 0 end) as original_budget_amount,
        sum(case when version = 'revised' then reporting_amount else 0 end) as revised_budget_amount
    from budget_lines
    group by project_id

),

compared as (

    select
        coalesce(mart.project_id, gl.project_id, budgets.project_id) as project_id,
        coalesce(mart.actual_amount, 0) - coalesce(gl.actual_amount, 0) as actual_difference,
        coalesce(mart.original_budget_amount, 0) - coalesce(budgets.original_budget_amount, 0)
            as original_budget_difference,
        coalesce(mart.budget_amount, 0) - case when mart.budget_version = 'revised'
            then coalesce(budgets.revised_budget_amount, 0) else coalesce(budgets.original_budget_amount, 0) end
            as budget_difference,
        coalesce(mart.eac_amount, 0) - coalesce(mart.project_eac_amount, 0) as eac_difference
    from mart
    full outer join gl on mart.project_id = gl.project_id
    full outer join budgets on coalesce(mart.project_id, gl.project_id) = budgets.project_id

)

select *
from compared
where actual_difference <> 0
    or original_budget_difference <> 0
    or budget_difference <> 0
    or eac_difference <> 0
