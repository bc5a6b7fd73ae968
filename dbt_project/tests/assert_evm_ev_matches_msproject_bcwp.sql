-- Cross-check of the EV computation: at every schedule snapshot, the sum of leaf baseline cost x
-- percent complete (int_evm__earned_value_snapshots, project currency) equals the BCWP that
-- MS Project saved on the project summary task (UID 0), converted from the schedule's currency
-- into the project's at the same status-date rates, within one cent per leaf task. A warning
-- only: a file saved with another EV method (physical % complete) legitimately differs.
{{ config(severity=var('vro_severity').get('assert_evm_ev_matches_msproject_bcwp', 'error'), meta={'dagster': {'ref': {'name': 'int_evm__earned_value_snapshots'}}}) }}

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

{{ value_fx_ctes() }},

with_project as (

    select
        snapshots.*,
        earned.project_currency
    from snapshots
    inner join earned
        on snapshots.project_id = earned.project_id
        and snapshots.status_on = earned.status_on

),

snapshot_rates as (

    select
        with_project.*,
        {{ value_rate_to_reporting_columns('with_project', 'currency', 'status_on', 'schedule', 'fx_rate') }},
        {{ value_rate_to_reporting_columns('with_project', 'project_currency', 'status_on', 'project', 'project_rate') }}
    from with_project
    {{ value_rate_to_reporting_join('with_project', 'currency', 'status_on', 'schedule') }}
    {{ value_rate_to_reporting_join('with_project', 'project_currency', 'status_on', 'project') }}

),

msproject_bcwp as (

    select
        snapshot_rates.project_id,
        snapshot_rates.status_on,
        sum({{ value_to_project_currency('tasks.bcwp_amount', 'snapshot_rates.currency', 'snapshot_rates.fx_rate',
            'snapshot_rates.project_currency', 'snapshot_rates.project_rate') }}) as bcwp_project
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
        msproject_bcwp.bcwp_project
    from earned
    inner join msproject_bcwp
        on earned.project_id = msproject_bcwp.project_id
        and earned.status_on = msproject_bcwp.status_on
    where msproject_bcwp.bcwp_project is not null
        and abs(earned.ev_amount - msproject_bcwp.bcwp_project) > 0.01 * earned.leaf_task_count

)

select * from final
