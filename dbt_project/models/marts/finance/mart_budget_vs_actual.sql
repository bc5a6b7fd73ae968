-- Budget vs actual vs EAC per project and fiscal year (fiscal years of dim_date, var
-- fiscal_year_start_month), in the reporting currency, measured at the portfolio as-of month.
-- Budget: the original version and the project's current version (revised when the project has any
-- revised line, else original), each at the rate of its budget month's first day (a month after the
-- last day with a rate, i.e. in the future, at the latest rate: fct_budget_line leaves it null).
-- Actual: GL posted
-- in the fiscal year up to the as-of month end, at posting-date rates, split capex / opex /
-- unclassified by the GL line's expense_type, plus internal labour by work date at work-date rates
-- (actual_labour_amount; only when var labour_cost_in_ac is true, value_actual_cost_lines). EAC: the project's whole-life EAC of mart_project_evm
-- (BAC / CPI, else AC + (BAC - EV); the latest row at or before the as-of month) allocated to
-- fiscal years as actual to date + the remainder (EAC - all actual to date) spread in proportion
-- to the current budget of the months after the as-of month; without such budget the remainder goes
-- to the as-of month's fiscal year. The allocations telescope (cumulative shares, rounded to the
-- cent), so a project's fiscal-year EACs sum to its EAC exactly.

with

budget_facts as (

    select * from {{ ref('fct_budget_line') }}
    where project_id is not null and version in ('original', 'revised')

),

fx as (

    select * from {{ ref('int_fx__daily_rates') }}

),

-- the last published rate per currency (the daily rates carry it forward beyond that day)
latest_rates as (

    select
        currency,
        max(rate_source_on) as rate_on
    from fx
    group by currency

),

-- a budget month that starts after the last published rate converts at that latest rate
-- (int_fx__daily_rates carries it forward); is_at_latest_rate says so
budget_lines as (

    select
        budget_facts.project_id,
        budget_facts.budget_month_on,
        budget_facts.version,
        budget_facts.reporting_amount,
        coalesce(latest_rates.rate_on < budget_facts.budget_month_on, false) as is_at_latest_rate,
        budget_facts.reporting_amount is null as is_fx_missing
    from budget_facts
    left join latest_rates
        on upper(budget_facts.currency) = latest_rates.currency

),

gl_lines as (

    {{ value_actual_cost_lines() }}

),

evm as (

    select * from {{ ref('mart_project_evm') }}

),

calendar as (

    select * from {{ ref('dim_date') }}

),

as_of as (

    select * from {{ ref('int_portfolio__as_of') }}

),

fiscal_years as (

    select
        fiscal_year,
        min(date_day_on) as fiscal_year_start_on,
        max(date_day_on) as fiscal_year_end_on
    from calendar
    group by fiscal_year

),

-- the version in force per project: revised when the project has one, else the original
current_versions as (

    select
        project_id,
        case when {{ dbt.bool_or("version = 'revised'") }} then 'revised' else 'original' end as budget_version
    from budget_lines
    group by project_id

),

budget_months as (

    select
        budget_lines.project_id,
        calendar.fiscal_year,
        budget_lines.budget_month_on,
        budget_lines.version = 'original' as is_original,
        budget_lines.version = current_versions.budget_version as is_current,
        budget_lines.reporting_amount,
        budget_lines.is_at_latest_rate,
        budget_lines.is_fx_missing
    from budget_lines
    inner join current_versions
        on budget_lines.project_id = current_versions.project_id
    inner join calendar
        on budget_lines.budget_month_on = calendar.date_day_on

),

budget_yearly as (

    select
        budget_months.project_id,
        budget_months.fiscal_year,
        sum(case when budget_months.is_original then budget_months.reporting_amount else 0 end)
            as original_budget_amount,
        sum(case when budget_months.is_current then budget_months.reporting_amount else 0 end) as budget_amount,
        sum(
            case when budget_months.is_current and budget_months.budget_month_on <= as_of.as_of_month_on
                then budget_months.reporting_amount else 0 end
        ) as budget_to_date_amount,
        sum(
            case when budget_months.is_current and budget_months.budget_month_on > as_of.as_of_month_on
                then budget_months.reporting_amount else 0 end
        ) as budget_remaining_amount,
        {{ dbt.bool_or('budget_months.is_at_latest_rate') }} as is_budget_at_latest_rate,
        {{ dbt.bool_or('budget_months.is_fx_missing') }} as is_budget_fx_missing
    from budget_months
    cross join as_of
    group by budget_months.project_id, budget_months.fiscal_year

),

actual_yearly as (

    select
        gl_lines.project_id,
        calendar.fiscal_year,
        sum(gl_lines.reporting_amount) as actual_amount,
        sum(case when gl_lines.expense_type = 'capex' then gl_lines.reporting_amount else 0 end)
            as actual_capex_amount,
        sum(case when gl_lines.expense_type = 'opex' then gl_lines.reporting_amount else 0 end)
            as actual_opex_amount,
        sum(
            case when gl_lines.expense_type = 'capex' or gl_lines.expense_type = 'opex'
                or gl_lines.cost_source = 'labour' then 0
                else gl_lines.reporting_amount end
        ) as actual_unclassified_amount,
        sum(case when gl_lines.cost_source = 'labour' then gl_lines.reporting_amount else 0 end)
            as actual_labour_amount,
        {{ dbt.bool_or('gl_lines.is_fx_missing') }} as is_actual_fx_missing
    from gl_lines
    inner join calendar
        on gl_lines.posting_on = calendar.date_day_on
    cross join as_of
    where gl_lines.posting_on <= as_of.as_of_month_end_on
    group by gl_lines.project_id, calendar.fiscal_year

),

-- the project's EAC: the latest EVM row at or before the as-of month
project_eac as (

    select
        evm.project_id,
        evm.status_on as eac_status_on,
        coalesce(evm.eac_cpi_amount, evm.eac_remaining_amount) as eac_amount,
        case
            when evm.eac_cpi_amount is not null then 'bac_over_cpi'
            when evm.eac_remaining_amount is not null then 'ac_plus_remaining_budget'
        end as eac_method
    from evm
    cross join as_of
    where evm.month_start_on <= as_of.as_of_month_on
    qualify row_number() over (partition by evm.project_id order by evm.month_start_on desc) = 1

),

project_actuals as (

    select
        project_id,
        sum(actual_amount) as actual_to_date_amount
    from actual_yearly
    group by project_id

),

project_remaining_budget as (

    select
        project_id,
        sum(budget_remaining_amount) as budget_remaining_amount
    from budget_yearly
    group by project_id

),

-- the as-of fiscal year of a project with a remainder (EAC - actual to date) but no remaining
-- budget to spread it over
fallback_years as (

    select
        project_eac.project_id,
        calendar.fiscal_year
    from project_eac
    cross join as_of
    inner join calendar
        on as_of.as_of_month_on = calendar.date_day_on
    left join project_remaining_budget
        on project_eac.project_id = project_remaining_budget.project_id
    left join project_actuals
        on project_eac.project_id = project_actuals.project_id
    where project_eac.eac_amount is not null
        and project_eac.eac_amount <> coalesce(project_actuals.actual_to_date_amount, 0)
        and coalesce(project_remaining_budget.budget_remaining_amount, 0) <= 0

),

project_years as (

    select project_id, fiscal_year from budget_yearly
    union
    select project_id, fiscal_year from actual_yearly
    union
    select project_id, fiscal_year from fallback_years

),

combined as (

    select
        project_years.project_id,
        project_years.fiscal_year,
        current_versions.budget_version,
        coalesce(budget_yearly.original_budget_amount, 0) as original_budget_amount,
        coalesce(budget_yearly.budget_amount, 0) as budget_amount,
        coalesce(budget_yearly.budget_to_date_amount, 0) as budget_to_date_amount,
        coalesce(actual_yearly.actual_amount, 0) as actual_amount,
        coalesce(actual_yearly.actual_capex_amount, 0) as actual_capex_amount,
        coalesce(actual_yearly.actual_opex_amount, 0) as actual_opex_amount,
        coalesce(actual_yearly.actual_unclassified_amount, 0) as actual_unclassified_amount,
        coalesce(actual_yearly.actual_labour_amount, 0) as actual_labour_amount,
        project_eac.eac_amount as project_eac_amount,
        project_eac.eac_status_on,
        project_eac.eac_method,
        project_eac.eac_amount - coalesce(project_actuals.actual_to_date_amount, 0) as project_remaining_amount,
        -- the weight of this year in spreading the remainder
        case
            when coalesce(project_remaining_budget.budget_remaining_amount, 0) > 0
                then coalesce(budget_yearly.budget_remaining_amount, 0)
            when fallback_years.fiscal_year is not null then 1
            else 0
        end as spread_weight,
        coalesce(budget_yearly.is_budget_at_latest_rate, false) as is_budget_at_latest_rate,
        coalesce(budget_yearly.is_budget_fx_missing, false)
            or coalesce(actual_yearly.is_actual_fx_missing, false) as is_fx_missing
    from project_years
    left join current_versions
        on project_years.project_id = current_versions.project_id
    left join budget_yearly
        on project_years.project_id = budget_yearly.project_id
        and project_years.fiscal_year = budget_yearly.fiscal_year
    left join actual_yearly
        on project_years.project_id = actual_yearly.project_id
        and project_years.fiscal_year = actual_yearly.fiscal_year
    left join project_eac
        on project_years.project_id = project_eac.project_id
    left join project_actuals
        on project_years.project_id = project_actuals.project_id
    left join project_remaining_budget
        on project_years.project_id = project_remaining_budget.project_id
    left join fallback_years
        on project_years.project_id = fallback_years.project_id
        and project_years.fiscal_year = fallback_years.fiscal_year

),

-- cumulative spread shares, so that rounded allocations add up to the remainder exactly
shares as (

    select
        combined.*,
        sum(spread_weight) over (
            partition by project_id order by fiscal_year rows between unbounded preceding and current row
        ) / nullif(sum(spread_weight) over (partition by project_id), 0) as cumulative_share,
        coalesce(sum(spread_weight) over (
            partition by project_id order by fiscal_year rows between unbounded preceding and 1 preceding
        ), 0) / nullif(sum(spread_weight) over (partition by project_id), 0) as previous_cumulative_share
    from combined

),

final as (

    select
        shares.project_id,
        cast(shares.fiscal_year as integer) as fiscal_year,
        fiscal_years.fiscal_year_start_on,
        fiscal_years.fiscal_year_end_on,
        as_of.as_of_month_on,
        fiscal_years.fiscal_year_end_on <= as_of.as_of_month_end_on as is_fiscal_year_closed,
        shares.budget_version,
        cast(shares.original_budget_amount as decimal(18, 2)) as original_budget_amount,
        cast(shares.budget_amount as decimal(18, 2)) as budget_amount,
        cast(shares.budget_amount - shares.original_budget_amount as decimal(18, 2)) as budget_change_amount,
        cast(shares.budget_to_date_amount as decimal(18, 2)) as budget_to_date_amount,
        cast(shares.actual_amount as decimal(18, 2)) as actual_amount,
        cast(shares.actual_capex_amount as decimal(18, 2)) as actual_capex_amount,
        cast(shares.actual_opex_amount as decimal(18, 2)) as actual_opex_amount,
        cast(shares.actual_unclassified_amount as decimal(18, 2)) as actual_unclassified_amount,
        cast(shares.actual_labour_amount as decimal(18, 2)) as actual_labour_amount,
        cast(shares.budget_to_date_amount - shares.actual_amount as decimal(18, 2)) as variance_to_date_amount,
        cast(
            shares.actual_amount
            + round(shares.project_remaining_amount * coalesce(shares.cumulative_share, 0), 2)
            - round(shares.project_remaining_amount * coalesce(shares.previous_cumulative_share, 0), 2)
            as decimal(18, 2)
        ) as eac_amount,
        cast(
            shares.budget_amount - (
                shares.actual_amount
                + round(shares.project_remaining_amount * coalesce(shares.cumulative_share, 0), 2)
                - round(shares.project_remaining_amount * coalesce(shares.previous_cumulative_share, 0), 2)
            ) as decimal(18, 2)
        ) as variance_at_completion_amount,
        cast(shares.project_eac_amount as decimal(18, 2)) as project_eac_amount,
        shares.eac_status_on,
        shares.eac_method,
        shares.is_budget_at_latest_rate,
        shares.is_fx_missing,
        '{{ value_reporting_currency() }}' as reporting_currency
    from shares
    inner join fiscal_years
        on shares.fiscal_year = fiscal_years.fiscal_year
    cross join as_of

)

select * from final
