-- Re-baselining made visible: one row per project and loaded schedule status date, with the
-- baseline in force in that snapshot (BAC, baseline start and finish) against the original one
-- (int_evm__earned_value_snapshots: of the earliest snapshot loaded, its Baseline1 when it has
-- one, else its baseline in force) and the previous snapshot. Amounts in the project's currency and
-- in the reporting currency; each row converts at its status date's rate (or the latest earlier
-- one), the original and previous BAC included, so a change is never an FX effect.

with

status_dates as (

    select * from {{ ref('int_evm__earned_value_snapshots') }}

),

{{ value_fx_ctes() }},

compared as (

    select
        project_id,
        status_on,
        project_currency,
        baseline_number,
        bac_amount,
        baseline_start_on,
        baseline_finish_on,
        original_baseline_number,
        original_bac_amount,
        original_baseline_finish_on,
        lag(bac_amount) over (partition by project_id order by status_on) as previous_bac_amount,
        lag(baseline_finish_on) over (partition by project_id order by status_on) as previous_baseline_finish_on,
        lag(status_on) over (partition by project_id order by status_on) as previous_status_on
    from status_dates

),

rated as (

    select
        compared.*,
        {{ value_rate_to_reporting_columns('compared', 'project_currency', 'status_on', 'status', 'fx_rate') }}
    from compared
    {{ value_rate_to_reporting_join('compared', 'project_currency', 'status_on', 'status') }}

),

final as (

    select
        project_id,
        status_on,
        previous_status_on,
        cast(baseline_number as integer) as baseline_number,
        cast(original_baseline_number as integer) as original_baseline_number,
        project_currency,
        '{{ value_reporting_currency() }}' as reporting_currency,
        cast(fx_rate as double) as fx_rate,
        fx_rate_on,
        cast(round(bac_amount * fx_rate, 2) as decimal(18, 2)) as bac_amount,
        cast(round(original_bac_amount * fx_rate, 2) as decimal(18, 2)) as original_bac_amount,
        cast(round((bac_amount - original_bac_amount) * fx_rate, 2) as decimal(18, 2)) as bac_change_vs_original_amount,
        cast(round((bac_amount - previous_bac_amount) * fx_rate, 2) as decimal(18, 2)) as bac_change_vs_previous_amount,
        cast(round(bac_amount, 2) as decimal(18, 2)) as bac_project_amount,
        cast(round(original_bac_amount, 2) as decimal(18, 2)) as original_bac_project_amount,
        cast(round(bac_amount - original_bac_amount, 2) as decimal(18, 2)) as bac_change_vs_original_project_amount,
        cast(round(bac_amount - previous_bac_amount, 2) as decimal(18, 2)) as bac_change_vs_previous_project_amount,
        baseline_start_on,
        baseline_finish_on,
        original_baseline_finish_on,
        previous_baseline_finish_on,
        cast({{ dbt.datediff('original_baseline_finish_on', 'baseline_finish_on', 'day') }} as integer) as finish_slip_vs_original_days,
        cast({{ dbt.datediff('previous_baseline_finish_on', 'baseline_finish_on', 'day') }} as integer) as finish_slip_vs_previous_days,
        coalesce(
            round(bac_amount, 2) <> round(coalesce(previous_bac_amount, original_bac_amount), 2)
            or baseline_finish_on <> coalesce(previous_baseline_finish_on, original_baseline_finish_on),
            false
        ) as is_rebaselined
    from rated

)

select * from final
