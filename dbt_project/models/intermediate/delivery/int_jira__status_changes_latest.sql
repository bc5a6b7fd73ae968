-- Jira status transitions, one row per (issue_key, history_id, to_status_id) under status_change_key:
-- the same changelog entry arriving in several files is kept once (the most recently ingested copy).
--
-- Incremental: a run reads only the changes of file versions ingested since the last build, and lets
-- them compete with the copy already kept for the same key. The pipeline rebuilds it in full when
-- the dbt project changed since the last build.

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='status_change_key',
        on_schema_change='fail'
    )
}}

with

changes as (

    select
        {{ dbt.hash(dbt.concat([
            "issue_key", "'|'", "coalesce(history_id, '')", "'|'", "coalesce(to_status_id, '')"
        ])) }} as status_change_key,
        *
    from {{ ref('stg_jira__status_changes') }}
    {{ value_ingested_since_last_build() }}

),

candidates as (

    {{ value_incremental_candidates('changes', 'status_change_key') }}

),

final as (

    select *
    from candidates
    qualify row_number() over (
        partition by status_change_key
        order by ingested_at desc, file_sha256 desc
    ) = 1

)

select * from final
