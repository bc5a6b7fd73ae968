-- Earned value per project and month (PMI practice standard; see docs DOMAIN.md), amounts in the
-- reporting currency. Ratios with a zero denominator are null. Earned schedule:
-- ES = C + (EV - PV_C) / (PV_C+1 - PV_C) with C = the number of plan months (months up to the last
-- month with planned value) whose cumulative PV <= EV, PV_0 = 0; ES = C when C reaches the end
-- of the plan; AT = actual time of the EV's status date; SV(t) = ES - AT; SPI(t) = ES / AT.

with

base as (

    select * from {{ ref('int_evm__project_months') }}

),

completed_periods as (

    select
        base.project_id,
        base.month_start_on,
        count(plan.month_index) as c_months
    from base
    left join base as plan
        on base.project_id = plan.project_id
        and plan.month_index <= base.plan_month_count
        and plan.pv_amount <= base.ev_amount
    group by base.project_id, base.month_start_on

),

earned_schedule as (

    select
        base.*,
        completed_periods.c_months,
        coalesce(pv_c.pv_amount, 0) as pv_c_amount,
        pv_c1.pv_amount as pv_c1_amount
    from base
    inner join completed_periods
        on base.project_id = completed_periods.project_id
        and base.month_start_on = completed_periods.month_start_on
    left join base as pv_c
        on base.project_id = pv_c.project_id
        and pv_c.month_index = completed_periods.c_months
    left join base as pv_c1
        on base.project_id = pv_c1.project_id
        and pv_c1.month_index = completed_periods.c_months + 1
        and completed_periods.c_months < base.plan_month_count

),

measures as (

    select
        *,
        ev_amount - pv_amount as sv_amount,
        ev_amount - ac_amount as cv_amount,
        ev_amount / nullif(pv_amount, 0) as spi,
        ev_amount / nullif(ac_amount, 0) as cpi,
        case
            when ev_amount is null or plan_month_count is null then null
            when c_months >= plan_month_count then cast(c_months as double)
            else c_months + (ev_amount - pv_c_amount) / nullif(pv_c1_amount - pv_c_amount, 0)
        end as es_months
    from earned_schedule

),

forecasts as (

    select
        *,
        bac_amount / nullif(cpi, 0) as eac_cpi_amount,
        ac_amount + (bac_amount - ev_amount) as eac_remaining_amount,
        ac_amount + (bac_amount - ev_amount) / nullif(cpi * spi, 0) as eac_composite_amount,
        (bac_amount - ev_amount) / nullif(bac_amount - ac_amount, 0) + 0.0 as tcpi  -- + 0.0: no -0.0
    from measures

),

final as (

    select
        project_id,
        month_start_on,
        month_end_on,
        status_on,
        baseline_number,
        cast(round(bac_amount, 2) as decimal(18, 2)) as bac_amount,
        cast(round(pv_amount, 2) as decimal(18, 2)) as pv_amount,
        cast(round(ev_amount, 2) as decimal(18, 2)) as ev_amount,
        cast(round(ac_amount, 2) as decimal(18, 2)) as ac_amount,
        cast(round(sv_amount, 2) as decimal(18, 2)) as sv_amount,
        cast(round(cv_amount, 2) as decimal(18, 2)) as cv_amount,
        cast(spi as double) as spi,
        cast(cpi as double) as cpi,
        cast(round(eac_cpi_amount, 2) as decimal(18, 2)) as eac_cpi_amount,
        cast(round(eac_remaining_amount, 2) as decimal(18, 2)) as eac_remaining_amount,
        cast(round(eac_composite_amount, 2) as decimal(18, 2)) as eac_composite_amount,
        cast(round(eac_cpi_amount - ac_amount, 2) as decimal(18, 2)) as etc_amount,
        cast(round(bac_amount - eac_cpi_amount, 2) as decimal(18, 2)) as vac_amount,
        cast(tcpi as double) as tcpi,
        cast(es_months as double) as es_months,
        cast(at_months as double) as at_months,
        cast(es_months - at_months as double) as sv_t_months,
        cast(es_months / nullif(at_months, 0) as double) as spi_t,
        '{{ value_reporting_currency() }}' as reporting_currency
    from forecasts
    where is_reported_month

)

select * from final
