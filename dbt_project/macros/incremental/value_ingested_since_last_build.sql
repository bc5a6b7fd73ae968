{#- In an incremental latest-wins model: a where clause keeping only the rows of file versions
    ingested since the newest row already in the table (none on a full build, and every row when
    the table is empty). -#}
{% macro value_ingested_since_last_build() -%}
    {% if is_incremental() -%}
    where ingested_at > (
        select coalesce(max(ingested_at), cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }}))
        from {{ this }}
    )
    {%- endif %}
{%- endmacro %}
