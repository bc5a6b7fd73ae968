-- One row per (currency, calendar day) from the first published rate through fx_forward_years
-- (default 10) after the last one (var fx_daily_end_on overrides the end, for tests); never "today",
-- so a run's figures do not depend on its date. A day without a published rate (weekend, holiday,
-- the future) uses the latest earlier one: rate_source_on says which.
-- rate_to_reporting multiplies an amount in `currency` into the reporting currency (var
-- reporting_currency): X -> EUR = 1 / (X per EUR); EUR -> Y = Y per EUR; X -> Y via EUR. For a
-- cross rate rate_source_on is the earlier of the two ECB dates used.

{%- set reporting = value_reporting_currency() %}
{%- set end_on = var('fx_daily_end_on', none) %}

with

ecb as (

    select * from {{ ref('int_fx__ecb_rates') }}

),

with_euro as (

    select currency, rate_on, units_per_eur from ecb
    union all
    -- EUR itself: 1 per EUR on every day that has any published rate
    select distinct 'EUR' as currency, rate_on, 1.0 as units_per_eur from ecb

),

ranges as (

    select
        currency,
        rate_on,
        units_per_eur,
        lead(rate_on) over (partition by currency order by rate_on) as next_rate_on
    from with_euro

),

bounds as (

    select
        min(rate_on) as first_on,
        {% if end_on -%}
        cast('{{ end_on }}' as date) as last_on
        {%- else -%}
        cast({{ dbt.dateadd('year', var('fx_forward_years', 10), 'max(rate_on)') }} as date) as last_on
        {%- endif %}
    from ecb

),

offsets as (

    {{ integer_series(5) }}

),

days as (

    select {{ add_days('bounds.first_on', 's.n') }} as day_on
    from bounds
    inner join offsets as s
        on s.n <= {{ dbt.datediff('bounds.first_on', 'bounds.last_on', 'day') }}

),

daily as (

    select
        days.day_on,
        ranges.currency,
        ranges.units_per_eur,
        ranges.rate_on as rate_source_on
    from days
    inner join ranges
        on days.day_on >= ranges.rate_on
        and (ranges.next_rate_on is null or days.day_on < ranges.next_rate_on)

),

reporting as (

    select
        day_on,
        units_per_eur as reporting_units_per_eur,
        rate_source_on as reporting_rate_source_on
    from daily
    where currency = '{{ reporting }}'

),

final as (

    select
        daily.day_on as rate_on,
        daily.currency,
        case
            when daily.currency = '{{ reporting }}' then 1.0
            else reporting.reporting_units_per_eur / nullif(daily.units_per_eur, 0)
        end as rate_to_reporting,
        case
            when daily.currency = '{{ reporting }}' then daily.day_on
            when reporting.reporting_rate_source_on < daily.rate_source_on
                then reporting.reporting_rate_source_on
            else daily.rate_source_on
        end as rate_source_on
    from daily
    inner join reporting
        on daily.day_on = reporting.day_on

)

select * from final
