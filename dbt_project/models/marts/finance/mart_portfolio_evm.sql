-- Earned value of the whole portfolio per month, in the reporting currency: BAC, PV, EV, AC and
-- EAC summed over the projects that have a status date on or before the month end (each at its
-- own status date and rate, as in mart_project_evm), and SPI, CPI from those sums, never an
-- average of the projects' ratios. EAC per project is BAC / CPI, or AC + (BAC - EV) while its CPI
-- is undefined (no cost yet). Month-end PV and AC (the S-curves) sum over every project. AC's GL
-- and internal labour parts sit beside it (labour counted in AC per var labour_cost_in_ac).

with

project_months as (

    select * from {{ ref('mart_project_evm') }}

),

sums as (

    select
        month_start_on,
        month_end_on,
        reporting_currency,
        count(*) as project_count,
        count(status_on) as project_with_status_count,
        min(status_on) as earliest_status_on,
        max(status_on) as latest_status_on,
        sum(case when status_on is not null then bac_amount end) as bac_amount,
        sum(case when status_on is not null then pv_amount end) as pv_amount,
        sum(case when status_on is not null then ev_amount end) as ev_amount,
        sum(case when status_on is not null then ac_amount end) as ac_amount,
        sum(case when status_on is not null then ac_gl_amount end) as ac_gl_amount,
        sum(case when status_on is not null then ac_labour_amount end) as ac_labour_amount,
        sum(case when status_on is not null then coalesce(eac_cpi_amount, eac_remaining_amount) end) as eac_amount,
        sum(pv_month_end_amount) as pv_month_end_amount,
        sum(ac_month_end_amount) as ac_month_end_amount,
        sum(ac_gl_month_end_amount) as ac_gl_month_end_amount,
        sum(ac_labour_month_end_amount) as ac_labour_month_end_amount
    from project_months
    group by month_start_on, month_end_on, reporting_currency

),

final as (

    select
        month_start_on,
        month_end_on,
        reporting_currency,
        cast(project_count as integer) as project_count,
        cast(project_with_status_count as integer) as project_with_status_count,
        earliest_status_on,
        latest_status_on,
        cast(bac_amount as decimal(18, 2)) as bac_amount,
        cast(pv_amount as decimal(18, 2)) as pv_amount,
        cast(ev_amount as decimal(18, 2)) as ev_amount,
        cast(ac_amount as decimal(18, 2)) as ac_amount,
        cast(ac_gl_amount as decimal(18, 2)) as ac_gl_amount,
        cast(ac_labour_amount as decimal(18, 2)) as ac_labour_amount,
        cast(eac_amount as decimal(18, 2)) as eac_amount,
        cast(ev_amount - pv_amount as decimal(18, 2)) as sv_amount,
        cast(ev_amount - ac_amount as decimal(18, 2)) as cv_amount,
        cast(ev_amount / nullif(pv_amount, 0) as double) as spi,
        cast(ev_amount / nullif(ac_amount, 0) as double) as cpi,
        cast(bac_amount - eac_amount as decimal(18, 2)) as vac_amount,
        cast(pv_month_end_amount as decimal(18, 2)) as pv_month_end_amount,
        cast(ac_month_end_amount as decimal(18, 2)) as ac_month_end_amount,
        cast(ac_gl_month_end_amount as decimal(18, 2)) as ac_gl_month_end_amount,
        cast(ac_labour_month_end_amount as decimal(18, 2)) as ac_labour_month_end_amount
    from sums

)

select * from final
