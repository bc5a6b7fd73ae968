{#- The earlier (smaller) of two values, ignoring a null one; null only when both are. Written with
    coalesce so that it does not depend on how an engine's least() treats nulls. -#}
{% macro value_earliest(a, b) -%}
    least(coalesce({{ a }}, {{ b }}), coalesce({{ b }}, {{ a }}))
{%- endmacro %}
