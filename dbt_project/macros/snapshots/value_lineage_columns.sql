{#- The five lineage columns every raw table carries, renamed for staging (every staging model). -#}
{% macro value_lineage_columns() -%}
        _source_file as source_file,
        _source_ref as source_ref,
        _file_sha256 as file_sha256,
        _file_as_of as file_as_of,
        _ingested_at as ingested_at
{%- endmacro %}
