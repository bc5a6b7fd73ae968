{#- Red / amber / green of a ratio `expr` against the project vars `<thresholds>_green` and
    `<thresholds>_amber` (dbt_project.yml): green at or above the first, amber at or above the
    second, else red; null stays null. -#}
{% macro value_rag(expr, thresholds) -%}
    case
        when {{ expr }} is null then null
        when {{ expr }} >= {{ var(thresholds ~ '_green') }} then 'green'
        when {{ expr }} >= {{ var(thresholds ~ '_amber') }} then 'amber'
        else 'red'
    end
{%- endmacro %}
