-- Latest-wins GL lines: one row per (company_code, fiscal_year, document_number, line_item), the
-- row from the most recently ingested file version (ties: the later file_as_of, then sha256).
-- Reversals are separate negative lines with their own keys, so they are kept.
--
-- Incremental: a run reads only the rows of file versions ingested since the last build, and lets
-- them compete with the current winners of the keys they touch (the winner of all versions of a
-- key is the winner of its current winner and the new rows). The pipeline rebuilds it in full when
-- the dbt project changed since the last build.

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='gl_line_key',
        on_schema_change='fail'
    )
}}

with

lines as (

    select
        {{ value_gl_line_key() }} as gl_line_key,
        *
    from {{ ref('stg_finance__gl_line_items') }}
    {{ value_ingested_since_last_build() }}

),

candidates as (

    {{ value_incremental_candidates('lines', 'gl_line_key') }}

),

final as (

    select *
    from candidates
    qualify row_number() over (
        partition by gl_line_key
        order by ingested_at desc, file_as_of desc nulls last, file_sha256 desc
    ) = 1

)

select * from final
