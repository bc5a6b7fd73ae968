{#- The columns as strings with `null_as` for null, separated by '|': the parts of dbt.concat for a
    change-detection hash. -#}
{% macro value_coalesced_strings(columns, null_as='~') -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append(
            "coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '" ~ null_as ~ "')"
        ) -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ return(parts) }}
{%- endmacro %}
