-- Jira status transitions, one row per (issue_key, history_id, to_status_id): the same changelog
-- entry arriving in several files is kept once (the most recently ingested copy). Status
-- categories missing in the changelog are resolved from the issues' current statuses by id.

with

changes as (

    select * from {{ ref('stg_jira__status_changes') }}

),

categories as (

    select * from {{ ref('int_jira__status_categories') }}

),

deduplicated as (

    select *
    from changes
    qualify row_number() over (
        partition by issue_key, history_id, to_status_id
        order by ingested_at desc, file_sha256 desc
    ) = 1

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "issue_key", "'|'", "coalesce(history_id, '')", "'|'", "coalesce(to_status_id, '')"
        ])) }} as status_change_key,
        deduplicated.issue_key,
        deduplicated.issue_id,
        deduplicated.history_id,
        deduplicated.author,
        deduplicated.from_status_id,
        deduplicated.from_status_name,
        coalesce(deduplicated.from_status_category, from_categories.status_category) as from_status_category,
        deduplicated.to_status_id,
        deduplicated.to_status_name,
        coalesce(deduplicated.to_status_category, to_categories.status_category) as to_status_category,
        deduplicated.changed_at,
        deduplicated.source_file
    from deduplicated
    left join categories as from_categories
        on deduplicated.from_status_id = from_categories.status_id
    left join categories as to_categories
        on deduplicated.to_status_id = to_categories.status_id

)

select * from final
