-- Earned value per project and month (PMI practice standard; dbt_project/MEASURES.md). Every ratio and
-- forecast comes from BAC, EV, PV and AC measured at ONE status date (status_on): a month without
-- a newer status repeats the figures of its status date. They are computed in the project's
-- currency, then every amount of the row converts to the reporting currency at one rate (fx_rate:
-- the status date's, or the latest earlier one), so the ratios hold in both currencies. Month-end
-- PV and AC (the S-curves) sit beside them, at the same rate. AC is GL + internal labour (or GL
-- only: var labour_cost_in_ac), its two parts beside it (ac_gl_*, ac_labour_*). Ratios with a zero denominator are
-- null. Earned schedule on days (int_evm__earned_value_snapshots); months = days / 30.4375.

{%- set days_per_month = 30.4375 %}

with

base as (

    select * from {{ ref('int_evm__project_months') }}

),

measures as (

    select
        *,
        ev_amount - pv_amount as sv_amount,
        ev_amount - ac_amount as cv_amount,
        ev_amount / nullif(pv_amount, 0) as spi,
        ev_amount / nullif(ac_amount, 0) as cpi
    from base

),

forecasts as (

    select
        *,
        bac_amount / nullif(cpi, 0) as eac_cpi_amount,
        ac_amount + (bac_amount - ev_amount) as eac_remaining_amount,
        ac_amount + (bac_amount - ev_amount) / nullif(cpi * spi, 0) as eac_composite_amount
    from measures

),

indices as (

    select
        *,
        eac_cpi_amount - ac_amount as etc_amount,
        bac_amount - eac_cpi_amount as vac_amount,
        case when ac_amount < bac_amount
            then (bac_amount - ev_amount) / nullif(bac_amount - ac_amount, 0) + 0.0  -- + 0.0: no -0.0
        end as tcpi,
        (bac_amount - ev_amount) / nullif(eac_cpi_amount - ac_amount, 0) + 0.0 as tcpi_eac
    from forecasts

),

final as (

    select
        project_id,
        month_start_on,
        month_end_on,
        status_on,
        cast(baseline_number as integer) as baseline_number,
        project_currency,
        '{{ value_reporting_currency() }}' as reporting_currency,
        cast(fx_rate as double) as fx_rate,
        fx_rate_on,
        {%- for column in [
            'bac', 'pv', 'ev', 'ac', 'sv', 'cv', 'eac_cpi', 'eac_remaining', 'eac_composite', 'etc', 'vac',
            'pv_month_end', 'ac_month_end', 'original_bac',
            'ac_gl', 'ac_labour', 'ac_gl_month_end', 'ac_labour_month_end'] %}
        cast(round({{ column }}_amount * fx_rate, 2) as decimal(18, 2)) as {{ column }}_amount,
        {%- endfor %}
        cast(round((bac_amount - original_bac_amount) * fx_rate, 2) as decimal(18, 2)) as bac_change_amount,
        cast(spi as double) as spi,
        cast(cpi as double) as cpi,
        cast(tcpi as double) as tcpi,
        cast(tcpi_eac as double) as tcpi_eac,
        cast(es_days as integer) as es_days,
        cast(at_days as integer) as at_days,
        cast(es_days - at_days as integer) as sv_t_days,
        cast(es_days / {{ days_per_month }} as double) as es_months,
        cast(at_days / {{ days_per_month }} as double) as at_months,
        cast((es_days - at_days) / {{ days_per_month }} as double) as sv_t_months,
        cast(es_days * 1.0 / nullif(at_days, 0) as double) as spi_t,
        {%- for column in [
            'bac', 'pv', 'ev', 'ac', 'sv', 'cv', 'eac_cpi', 'eac_remaining', 'eac_composite', 'etc', 'vac',
            'pv_month_end', 'ac_month_end', 'original_bac',
            'ac_gl', 'ac_labour', 'ac_gl_month_end', 'ac_labour_month_end'] %}
        cast(round({{ column }}_amount, 2) as decimal(18, 2)) as {{ column }}_project_amount,
        {%- endfor %}
        baseline_start_on,
        baseline_finish_on,
        original_baseline_finish_on,
        cast({{ dbt.datediff('original_baseline_finish_on', 'baseline_finish_on', 'day') }} as integer)
            as baseline_finish_slip_days,
        is_finished,
        actual_finish_on
    from indices

)

select * from final
