-- Cross-check of the EV computation: at every schedule snapshot, the sum of leaf baseline cost x
-- percent complete (int_evm__earned_value_snapshots, reporting currency) equals the BCWP that
-- MS Project saved on the project summary task (UID 0), converted at the same rate, within one
-- cent per leaf task. A warning only: a file saved with another EV method (physical % complete)
-- legitimately differs.
{{ config(severity='warn') }}

with

snapshots as (

    select * from {{ ref('int_msproject__snapshots') }}
    where project_id is not null

),

tasks as (

    select * from {{ ref('stg_msproject__tasks') }}
    where task_uid = 0

),

earned as (

    select * from {{ ref('int_evm__earned_value_snapshots') }}

),

fx as (

    select * from {{ ref('int_fx__daily_rates') }}

),

msproject_bcwp as (

    select
        snapshots.project_id,
        snapshots.status_on,
        sum(tasks.bcwp_amount * case when snapshots.currency = '{{ var('reporting_currency', 'EUR') | upper }}'
            then 1.0 else fx.rate_to_reporting end) as bcwp_reporting
    from snapshots
    inner join tasks
        on snapshots.file_sha256 = tasks.file_sha256
    left join fx
        on snapshots.currency = fx.currency
        and snapshots.status_on = fx.rate_on
    group by snapshots.project_id, snapshots.status_on

),

final as (

    select
        earned.project_id,
        earned.status_on,
        earned.ev_amount,
        msproject_bcwp.bcwp_reporting
    from earned
    inner join msproject_bcwp
        on earned.project_id = msproject_bcwp.project_id
        and earned.status_on = msproject_bcwp.status_on
    where msproject_bcwp.bcwp_reporting is not null
        and abs(earned.ev_amount - msproject_bcwp.bcwp_reporting) > 0.01 * earned.leaf_task_count

)

select * from final
