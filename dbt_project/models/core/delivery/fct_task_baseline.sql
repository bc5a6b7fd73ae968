-- Task baselines per schedule snapshot: one row per (project_name, status_on, task_uid,
-- baseline_number) from the snapshot's chosen file version (latest ingested version of that
-- snapshot). Leaf tasks (not summary, not the project summary task UID 0) are flagged: only
-- they count in earned value. Baseline cost is converted to the reporting currency at the
-- snapshot's status date (or the latest earlier rate); no rate gives a null reporting amount.

with

snapshots as (

    select * from {{ ref('int_msproject__snapshots') }}

),

tasks as (

    select * from {{ ref('stg_msproject__tasks') }}

),

baselines as (

    select * from {{ ref('stg_msproject__task_baselines') }}

),

fx as (

    select * from {{ ref('int_fx__daily_rates') }}

),

snapshot_tasks as (

    select
        snapshots.project_id,
        snapshots.project_name,
        snapshots.status_on,
        snapshots.currency,
        snapshots.is_latest_snapshot,
        snapshots.source_file,
        snapshots.file_sha256,
        tasks.task_uid,
        tasks.task_name,
        tasks.wbs,
        tasks.outline_level,
        coalesce(tasks.is_summary, false) as is_summary,
        coalesce(tasks.is_milestone, false) as is_milestone,
        tasks.percent_complete
    from snapshots
    inner join tasks
        on snapshots.file_sha256 = tasks.file_sha256
        and snapshots.project_name = tasks.project_name

),

joined as (

    select
        snapshot_tasks.*,
        baselines.baseline_number,
        baselines.baseline_start_at,
        baselines.baseline_finish_at,
        baselines.baseline_duration_days,
        baselines.baseline_cost_amount
    from snapshot_tasks
    inner join baselines
        on snapshot_tasks.file_sha256 = baselines.file_sha256
        and snapshot_tasks.project_name = baselines.project_name
        and snapshot_tasks.task_uid = baselines.task_uid

),

converted as (

    {{ value_to_reporting_currency('joined', 'currency', 'status_on') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "project_name", "'|'", "cast(status_on as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(task_uid as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(baseline_number as " ~ dbt.type_string() ~ ")"
        ])) }} as task_baseline_key,
        project_id,
        project_name,
        status_on,
        cast(task_uid as integer) as task_uid,
        task_name,
        wbs,
        cast(outline_level as integer) as outline_level,
        is_summary,
        is_milestone,
        (not is_summary and task_uid <> 0) as is_leaf,
        is_latest_snapshot,
        cast(baseline_number as integer) as baseline_number,
        baseline_start_at,
        baseline_finish_at,
        baseline_duration_days,
        cast(baseline_cost_amount as decimal(18, 2)) as baseline_cost_amount,
        currency,
        cast(fx_rate as double) as fx_rate,
        cast(round(baseline_cost_amount * fx_rate, 2) as decimal(18, 2)) as baseline_cost_reporting_amount,
        '{{ value_reporting_currency() }}' as reporting_currency,
        cast(percent_complete as double) as percent_complete,
        source_file
    from converted

)

select * from final
