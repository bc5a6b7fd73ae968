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

mapped as (

    {{ value_with_project_id('latest_version', 'project_name') }}

),

final as (

    select
        project_id,
        project_name,
        snapshot_status_on as status_on,
        status_on_source,
        upper(coalesce(nullif(trim(currency_code), ''), 'EUR')) as currency,
        currency_code is null as is_currency_assumed,
        minutes_per_day,
        snapshot_status_on = max(snapshot_status_on) over (partition by project_name) as is_latest_snapshot,
        file_sha256,
        source_file,
        ingested_at
    from mapped

)

select * from final
