-- Cross-check of the EV computation: at every schedule snapshot, the sum of leaf baseline cost x
-- percent complete (int_evm__earned_value_snapshots, reporting currency) equals the BCWP that
-- MS Project saved on the project summary task (UID 0), converted at the same rate, within one
-- cent per leaf task. A warning only: a file saved with another EV method (physical % complete)
-- legitimately differs.
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'int_evm__earned_value_snapshots'}}}) }}

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

snapshot_rates as (

    {{ value_to_reporting_currency('snapshots', 'currency', 'status_on') }}

),

msproject_bcwp as (

    select
        snapshot_rates.project_id,
        snapshot_rates.status_on,
        sum(tasks.bcwp_amount * snapshot_rates.fx_rate) as bcwp_reporting
    from snapshot_rates
    inner join tasks
        on snapshot_rates.file_sha256 = tasks.file_sha256
    group by snapshot_rates.project_id, snapshot_rates.status_on

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
