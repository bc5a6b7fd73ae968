-- Jira status transitions, one row per (issue_key, history_id, to_status_id): the same changelog
-- entry arriving in several files is kept once (the most recently ingested copy, kept by
-- int_jira__status_changes_latest). Status categories missing in the changelog are resolved from
-- the issues' current statuses by id.

with

changes as (

    select * from {{ ref('int_jira__status_changes_latest') }}

),

categories as (

    select * from {{ ref('int_jira__status_categories') }}

),

final as (

    select
        changes.status_change_key,
        changes.issue_key,
        changes.issue_id,
        changes.history_id,
        changes.author,
        changes.from_status_id,
        changes.from_status_name,
        coalesce(changes.from_status_category, from_categories.status_category) as from_status_category,
        changes.to_status_id,
        changes.to_status_name,
        coalesce(changes.to_status_category, to_categories.status_category) as to_status_category,
        changes.changed_at,
        changes.source_file
    from changes
    left join categories as from_categories
        on changes.from_status_id = from_categories.status_id
    left join categories as to_categories
        on changes.to_status_id = to_categories.status_id

)

select * from final
