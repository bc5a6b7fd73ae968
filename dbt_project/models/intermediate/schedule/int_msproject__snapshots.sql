-- One row per MS Project schedule snapshot (project_name, status_on): the latest ingested file
-- version of that snapshot wins. status_on is the file's StatusDate, else its CurrentDate, else
-- the file's as-of date. Money in the file is in its CurrencyCode (EUR when missing). project_id
-- comes from the registry's msproject_names (null when the name is in no registry row).

with

projects as (

    select * from {{ ref('stg_msproject__projects') }}

),

project_keys as (

    select * from {{ ref('int_project_keys') }}
    where key_type = 'msproject_name'

),

dated as (

    select
        *,
        coalesce(status_on, current_on, file_as_of) as snapshot_status_on,
        case when status_on is not null then 'status_date'
            when current_on is not null then 'current_date'
            else 'file_as_of' end as status_on_source
    from projects

),

latest_version as (

    select *
    from dated
    qualify row_number() over (
        partition by project_name, snapshot_status_on
        order by ingested_at desc, file_sha256 desc
    ) = 1

),

final as (

    select
        project_keys.project_id,
        latest_version.project_name,
        latest_version.snapshot_status_on as status_on,
        latest_version.status_on_source,
        upper(coalesce(nullif(trim(latest_version.currency_code), ''), 'EUR')) as currency,
        latest_version.currency_code is null as is_currency_assumed,
        latest_version.minutes_per_day,
        latest_version.snapshot_status_on = max(latest_version.snapshot_status_on)
            over (partition by latest_version.project_name) as is_latest_snapshot,
        latest_version.file_sha256,
        latest_version.source_file,
        latest_version.ingested_at
    from latest_version
    left join project_keys
        on trim(latest_version.project_name) = project_keys.key_value

)

select * from final
