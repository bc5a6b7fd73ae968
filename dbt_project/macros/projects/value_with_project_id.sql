{#- Every column of `relation` (a CTE name) plus the VRO project_id its `code_column` maps to
    through `project_keys` (int_project_keys filtered to one key_type), compared trimmed; null when
    the code is in no registry row (the row is kept). -#}
{% macro value_with_project_id(relation, code_column, project_keys='project_keys') -%}
    select
        {{ relation }}.*,
        {{ project_keys }}.project_id
    from {{ relation }}
    left join {{ project_keys }}
        on trim({{ relation }}.{{ code_column }}) = {{ project_keys }}.key_value
{%- endmacro %}
