{#- The surrogate key of one version of a snapshot-versioned entity: key | valid_from_on. -#}
{% macro value_version_key(key, valid_from_on='valid_from_on') -%}
    {{ dbt.hash(dbt.concat([key, "'|'", 'cast(' ~ valid_from_on ~ ' as ' ~ dbt.type_string() ~ ')'])) }}
{%- endmacro %}
