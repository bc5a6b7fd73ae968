{#- In an incremental latest-wins model: the new rows (`new_rows`, a CTE filtered with
    value_ingested_since_last_build) and, on an incremental run, the current winner of each `key`
    they touch. Ranking these gives the same winner as ranking every version: the winner of all
    earlier versions is the current row. -#}
{% macro value_incremental_candidates(new_rows, key) -%}
    select * from {{ new_rows }}
    {% if is_incremental() -%}
    union all
    select * from {{ this }}
    where {{ key }} in (select {{ key }} from {{ new_rows }})
    {%- endif %}
{%- endmacro %}
